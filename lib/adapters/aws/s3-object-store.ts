// The ObjectStore on S3. Create-only writes use S3's conditional write (If-None-Match: *),
// so two writers racing for one metadata file cannot both win.
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { ConditionFailedError, ExportError, UnavailableError } from "../../core/errors.js";
import type { ObjectStore, PutOptions, StoredObject } from "../../storage/object-store.js";
import { awsErrorName, awsFailure, awsHttpStatus } from "./aws-errors.js";
import { formatS3Location, parseS3ObjectLocation, parseS3Prefix } from "./s3-location.js";

/** S3's limit of keys in one DeleteObjects request. */
const maxKeysPerDelete = 1_000;

export interface S3ObjectStoreOptions {
  client: S3Client;
  /** Keys per ListObjectsV2 page; S3's own default (1000) when absent. */
  listPageSize?: number;
}

export function createS3ObjectStore(options: S3ObjectStoreOptions): ObjectStore {
  const { client, listPageSize } = options;

  async function put(location: string, body: Uint8Array, putOptions: PutOptions = {}): Promise<void> {
    const { bucket, key } = parseS3ObjectLocation(location);
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, IfNoneMatch: putOptions.ifAbsent === true ? "*" : undefined }));
    } catch (error) {
      if (awsHttpStatus(error) === 412 || awsErrorName(error) === "PreconditionFailed") {
        throw new ConditionFailedError(`${location} already exists; a create-only write must not replace it`, error);
      }
      throw awsFailure(`S3 PutObject ${location}`, error);
    }
  }

  async function get(location: string): Promise<Uint8Array> {
    const { bucket, key } = parseS3ObjectLocation(location);
    try {
      const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Body === undefined ? new Uint8Array() : await Body.transformToByteArray();
    } catch (error) {
      if (isMissingObject(error)) throw new ExportError("NOT_FOUND", `no object at ${location}`, { cause: error });
      throw awsFailure(`S3 GetObject ${location}`, error);
    }
  }

  async function exists(location: string): Promise<boolean> {
    const { bucket, key } = parseS3ObjectLocation(location);
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw awsFailure(`S3 HeadObject ${location}`, error);
    }
  }

  async function deleteObject(location: string): Promise<void> {
    const { bucket, key } = parseS3ObjectLocation(location);
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      throw awsFailure(`S3 DeleteObject ${location}`, error);
    }
  }

  async function deleteMany(locations: readonly string[]): Promise<void> {
    const keysByBucket = new Map<string, string[]>();
    for (const location of locations) {
      const { bucket, key } = parseS3ObjectLocation(location);
      keysByBucket.set(bucket, [...(keysByBucket.get(bucket) ?? []), key]);
    }
    const failed: string[] = [];
    let firstError: unknown;
    for (const [bucket, keys] of keysByBucket) {
      for (let start = 0; start < keys.length; start += maxKeysPerDelete) {
        const chunk = keys.slice(start, start + maxKeysPerDelete);
        try {
          const { Errors } = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: chunk.map((key) => ({ Key: key })), Quiet: true } }));
          for (const { Key, Code } of Errors ?? []) failed.push(`${formatS3Location({ bucket, key: Key ?? "?" })} (${Code ?? "error"})`);
        } catch (error) {
          firstError ??= error;
          failed.push(...chunk.map((key) => formatS3Location({ bucket, key })));
        }
      }
    }
    if (failed.length === 0) return;
    const operation = `S3 DeleteObjects of ${failed.length} of ${locations.length} objects (${failed.slice(0, 5).join(", ")}${failed.length > 5 ? ", …" : ""})`;
    // Only per-key errors: S3 answered, and a later attempt may delete them.
    throw firstError === undefined ? new UnavailableError("STORAGE_UNAVAILABLE", `${operation} failed`) : awsFailure(operation, firstError);
  }

  async function listPage(prefix: string, continuationToken: string | undefined): Promise<ListObjectsV2CommandOutput> {
    const { bucket, key } = parseS3Prefix(prefix);
    try {
      return await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: listPageSize, ContinuationToken: continuationToken }));
    } catch (error) {
      throw awsFailure(`S3 ListObjectsV2 ${prefix}`, error);
    }
  }

  // S3 lists keys in UTF-8 byte order, page after page; re-sorting in JavaScript (UTF-16
  // order) would differ for some characters, so the pages are kept as they come.
  async function listObjects(prefix: string): Promise<StoredObject[]> {
    const { bucket } = parseS3Prefix(prefix);
    const objects: StoredObject[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await listPage(prefix, continuationToken);
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        objects.push({ location: formatS3Location({ bucket, key: object.Key }), sizeBytes: object.Size ?? 0, lastModifiedMs: object.LastModified?.getTime() ?? 0 });
      }
      continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
    return objects;
  }

  async function list(prefix: string): Promise<string[]> {
    return (await listObjects(prefix)).map((object) => object.location);
  }

  return { put, get, exists, delete: deleteObject, deleteMany, list, listObjects };
}

/** GetObject says NoSuchKey, HeadObject (no body to carry a name) a bare 404 "NotFound". */
function isMissingObject(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === "NoSuchKey" || name === "NotFound" || (awsHttpStatus(error) === 404 && name !== "NoSuchBucket");
}
