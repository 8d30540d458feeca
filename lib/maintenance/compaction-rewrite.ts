// One compaction group rewritten as one data file (SPEC.md §8): its files are read back by
// field id (the reader staged-file merging uses) and written with the table's current
// schema, so a group never holds more than the target size of data in memory. A file the
// reader cannot take back exactly (another engine's layout, a column the schema lost) is
// left out of the group and stays as it is; a transient failure fails the pass.
import { randomUUID } from "node:crypto";
import { readDataFileRows } from "../commit/data-file-reader.js";
import { UnmergeableFileError } from "../commit/unmergeable-file-error.js";
import { ExportError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { ReplacementDataFile } from "../iceberg/replace-files.js";
import type { IcebergSchema } from "../iceberg/types.js";
import { writeDataFile } from "../parquet/data-file-writer.js";
import type { TableRow } from "../schema/table-row.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { CompactionGroup, LiveDataFile } from "./compaction-plan.js";

export interface RewrittenGroup {
  group: CompactionGroup;
  /** The files the output holds the rows of: the group's, less those left out. */
  inputs: LiveDataFile[];
  output: ReplacementDataFile;
}

export interface GroupRewriteOptions {
  objectStore: ObjectStore;
  schema: IcebergSchema;
  logger: Logger;
  table: string;
}

/** undefined when fewer than two of the group's files could be read. */
export async function rewriteGroup(group: CompactionGroup, options: GroupRewriteOptions): Promise<RewrittenGroup | undefined> {
  const { objectStore, schema, logger, table } = options;
  const rows: TableRow[] = [];
  const inputs: LiveDataFile[] = [];
  for (const file of group.files) {
    const fileRows = await rowsOf(file, options);
    if (fileRows === undefined) continue;
    for (const row of fileRows) rows.push(row);
    inputs.push(file);
  }
  if (inputs.length < 2) {
    if (inputs.length < group.files.length) logger.warn("compaction group left as it is: too few of its files could be read", { table, files: group.files.map((file) => file.path) });
    return undefined;
  }
  const written = writeDataFile(schema, rows);
  const [first] = inputs as [LiveDataFile];
  const location = `${first.path.slice(0, first.path.lastIndexOf("/"))}/compacted-${randomUUID()}.parquet`;
  await objectStore.put(location, written.bytes);
  return {
    group,
    inputs,
    output: { location, fileSizeBytes: written.bytes.length, recordCount: written.recordCount, partitionSpecId: group.partitionSpecId, partition: { ...group.partition }, metrics: written.metrics },
  };
}

async function rowsOf(file: LiveDataFile, options: GroupRewriteOptions): Promise<TableRow[] | undefined> {
  try {
    const rows = readDataFileRows(options.schema, await options.objectStore.get(file.path));
    if (rows.length !== file.recordCount) throw new UnmergeableFileError(`${file.path} holds ${rows.length} rows, the manifest says ${file.recordCount}`);
    return rows;
  } catch (error) {
    if (error instanceof ExportError && error.retryable) throw error;
    // Gone: someone else's rewrite and expiry removed it since the plan; the commit drops the group.
    const reason = error instanceof ExportError && error.code === "NOT_FOUND" ? "the file is gone" : error instanceof Error ? error.message : String(error);
    options.logger.warn("data file left out of compaction", { table: options.table, file: file.path, reason });
    return undefined;
  }
}
