// The ObjectStore on a local folder (SPEC.md §6, embedded default). Locations are absolute
// paths, the form Iceberg metadata records and pyiceberg, DuckDB and Spark read; `file:`
// URIs are accepted too and listed back in the form the prefix was given.
import { readdir, readFile, stat, unlink } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { ExportError } from "../../core/errors.js";
import type { ObjectStore, PutOptions, StoredObject } from "../../storage/object-store.js";
import { fileFailure, isMissing, localPath, temporaryFilePrefix, writeFileDurably } from "./local-files.js";

export function createFolderObjectStore(): ObjectStore {
  async function put(location: string, body: Uint8Array, options: PutOptions = {}): Promise<void> {
    await writeFileDurably(localPath(location), body, { exclusive: options.ifAbsent === true });
  }

  async function get(location: string): Promise<Uint8Array> {
    const path = localPath(location);
    try {
      const contents = await readFile(path);
      return new Uint8Array(contents.buffer, contents.byteOffset, contents.byteLength);
    } catch (error) {
      // A folder is not an object, as a common prefix is not one in S3.
      if (isMissing(error) || (error as { code?: unknown }).code === "EISDIR") throw new ExportError("NOT_FOUND", `no object at ${location}`, { cause: error });
      throw fileFailure(`reading ${location}`, error);
    }
  }

  async function exists(location: string): Promise<boolean> {
    const path = localPath(location);
    try {
      return (await stat(path)).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw fileFailure(`checking ${location}`, error);
    }
  }

  async function deleteObject(location: string): Promise<void> {
    const path = localPath(location);
    try {
      await unlink(path);
    } catch (error) {
      if (isMissing(error)) return;
      throw fileFailure(`deleting ${location}`, error);
    }
  }

  // A prefix is a string prefix as in S3, not a folder: `data/a` matches `data/a.parquet`
  // and `data/a/b.parquet`. The walk starts at the folder the prefix is in.
  async function matchingFiles(prefix: string): Promise<{ path: string; location: string }[]> {
    const path = localPath(prefix);
    const folder = path.endsWith("/") ? path.slice(0, -1) : path.slice(0, path.lastIndexOf("/"));
    const files = await filesUnder(folder === "" ? "/" : folder);
    const matching = files.filter((file) => file.startsWith(path)).sort(byUtf8Bytes);
    if (prefix === path) return matching.map((file) => ({ path: file, location: file }));
    // A file: URI prefix: the same scheme form back, or a canonical URI when it was encoded.
    const scheme = prefix.slice(0, prefix.length - path.length);
    return matching.map((file) => ({ path: file, location: prefix.endsWith(path) ? `${scheme}${file}` : pathToFileURL(file).href }));
  }

  async function list(prefix: string): Promise<string[]> {
    return (await matchingFiles(prefix)).map((file) => file.location);
  }

  async function listObjects(prefix: string): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    for (const { path, location } of await matchingFiles(prefix)) {
      try {
        const stats = await stat(path);
        objects.push({ location, sizeBytes: stats.size, lastModifiedMs: stats.mtimeMs });
      } catch (error) {
        // Deleted since the walk saw it: as in S3, a listing is not a snapshot.
        if (!isMissing(error)) throw fileFailure(`reading the size and time of ${location}`, error);
      }
    }
    return objects;
  }

  async function deleteMany(locations: readonly string[]): Promise<void> {
    // Every one is tried; the first failure (it names its file) is the one reported.
    const failures: unknown[] = [];
    for (const location of locations) await deleteObject(location).catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  }

  return { put, get, exists, delete: deleteObject, deleteMany, list, listObjects };
}

/** Every file under `folder`, recursively, without in-flight temporary files. */
async function filesUnder(folder: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw fileFailure(`listing ${folder}`, error);
  }
  const files: string[] = [];
  const base = folder.endsWith("/") ? folder : `${folder}/`;
  for (const entry of entries) {
    if (entry.name.startsWith(temporaryFilePrefix)) continue;
    if (entry.isDirectory()) files.push(...(await filesUnder(`${base}${entry.name}`)));
    else if (entry.isFile()) files.push(`${base}${entry.name}`);
  }
  return files;
}

/** S3's order, UTF-8 bytes, so both stores list alike; UTF-16 order differs past U+FFFF. */
function byUtf8Bytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
