// Whether the store under a table location can hold every file this system writes there
// (SPEC.md §4 layout: `<location>/data/<partition>/<file>` and `<location>/metadata/<file>`).
// S3 keys hold at most 1024 bytes of UTF-8; a local file system 255 bytes per name and about
// 4096 per path. Checked when export is enabled, so that a name too long fails there with a
// suggestion, not every later write with ENAMETOOLONG.

/**
 * The most bytes written below a table location: "/data/" or "/metadata/", a partition
 * path (`timestamp_hour=2026-11-24-12`), a data file name (its topic part bounded by
 * lib/storage/file-name-part.ts, about 145 bytes) or a metadata file name (about 80).
 */
export const maxBytesBelowTableLocation = 256;

const maxS3KeyBytes = 1024;
const maxLocalNameBytes = 255;
const maxLocalPathBytes = 4095;

/** Why the location cannot hold the table's files, or undefined when it can. */
export function tableLocationProblem(location: string): string | undefined {
  if (location.startsWith("s3://")) {
    const key = location.slice("s3://".length).replace(/^[^/]*\/?/, "");
    const keyBytes = Buffer.byteLength(key, "utf8");
    if (keyBytes + maxBytesBelowTableLocation > maxS3KeyBytes) {
      return `its S3 key prefix is ${keyBytes} bytes and the files under it need up to ${maxBytesBelowTableLocation} more, over the ${maxS3KeyBytes}-byte limit of an S3 key`;
    }
    return undefined;
  }
  const longName = location.split("/").find((name) => Buffer.byteLength(name, "utf8") > maxLocalNameBytes);
  if (longName !== undefined) return `its folder name '${longName.slice(0, 40)}…' is ${Buffer.byteLength(longName, "utf8")} bytes, over the file system's ${maxLocalNameBytes}-byte limit of a name`;
  const pathBytes = Buffer.byteLength(location, "utf8");
  if (pathBytes + maxBytesBelowTableLocation > maxLocalPathBytes) {
    return `its path is ${pathBytes} bytes and the files under it need up to ${maxBytesBelowTableLocation} more, over the file system's ${maxLocalPathBytes}-byte limit of a path`;
  }
  return undefined;
}

/**
 * The state table keys a staged file by its topic and its location (DynamoDB: a sort key of
 * at most 1024 bytes, with about 40 bytes of prefix, partition and offset besides). Checked
 * whatever the state store, so a table that works locally works in AWS.
 */
export function stagedFileKeyProblem(topic: string, location: string): string | undefined {
  const keyBytes = 64 + Buffer.byteLength(topic, "utf8") + Buffer.byteLength(location, "utf8") + maxBytesBelowTableLocation;
  if (keyBytes <= maxS3KeyBytes) return undefined;
  return `the state table's key of a staged file holds the topic and the file's location, up to ${keyBytes} bytes here, over DynamoDB's 1024-byte limit of a sort key`;
}
