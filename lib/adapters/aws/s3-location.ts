// `s3://bucket/key`, the form Iceberg metadata records object locations in.
import { ExportError } from "../../core/errors.js";

export interface S3Location {
  bucket: string;
  /** Empty only for a prefix that covers the whole bucket. */
  key: string;
}

const s3LocationPattern = /^s3:\/\/([^/]+)(?:\/(.*))?$/s;

/** An object's location: the key must not be empty. */
export function parseS3ObjectLocation(location: string): S3Location {
  const parsed = parseS3Prefix(location);
  if (parsed.key === "") throw notAnS3Location(location, "it names a bucket but no object key");
  return parsed;
}

/** A listing prefix: `s3://bucket` and `s3://bucket/` cover the whole bucket. */
export function parseS3Prefix(location: string): S3Location {
  const match = s3LocationPattern.exec(location);
  const bucket = match?.[1];
  if (bucket === undefined) throw notAnS3Location(location, "expected s3://bucket/key");
  return { bucket, key: match?.[2] ?? "" };
}

export function formatS3Location({ bucket, key }: S3Location): string {
  return `s3://${bucket}/${key}`;
}

function notAnS3Location(location: string, problem: string): ExportError {
  return new ExportError("INTERNAL", `the S3 object store cannot address ${JSON.stringify(location)}: ${problem}`);
}
