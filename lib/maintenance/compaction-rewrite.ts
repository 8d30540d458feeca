// One compaction group rewritten as one data file (SPEC.md §8): its files are read back by
// field id (the reader staged-file merging uses) and written with the table's current
// schema. The group's stored bytes are fetched first (at most the target size); rows are
// decoded one row group at a time while the output is written, so memory holds the inputs'
// and the output's bytes and one row group's rows, never the whole group's rows. A file the
// reader cannot take back exactly (another engine's layout, a column the schema lost) is left
// out of the group and stays as it is; a transient failure fails the pass.
import { randomUUID } from "node:crypto";
import { readDataFileRows } from "../commit/data-file-reader.js";
import { UnmergeableFileError } from "../commit/unmergeable-file-error.js";
import { ExportError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { ReplacementDataFile } from "../iceberg/replace-files.js";
import type { IcebergSchema } from "../iceberg/types.js";
import { writeDataFileInRowGroups, type DataFile, type LazyRowGroup } from "../parquet/data-file-writer.js";
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
  /** Input files are gathered into one row group of the output until their stored size reaches this... */
  rowGroupInputBytes?: number;
  /** ...or their rows this many (decoded rows take far more memory than stored ones). */
  rowGroupRows?: number;
}

interface FetchedFile {
  file: LiveDataFile;
  bytes: Uint8Array;
}

const defaultRowGroupInputBytes = 8 * 1024 * 1024;
const defaultRowGroupRows = 100_000;

/** undefined when fewer than two of the group's files could be read. */
export async function rewriteGroup(group: CompactionGroup, options: GroupRewriteOptions): Promise<RewrittenGroup | undefined> {
  const { objectStore, logger, table } = options;
  let members = await fetchFiles(group.files, options);
  for (;;) {
    if (members.length < 2) {
      logger.warn("compaction group left as it is: too few of its files could be read", { table, files: group.files.map((file) => file.path) });
      return undefined;
    }
    const attempt = writeMembers(members, options);
    if ("written" in attempt) {
      const inputs = members.map((member) => member.file);
      const [first] = inputs as [LiveDataFile];
      const location = `${first.path.slice(0, first.path.lastIndexOf("/"))}/compacted-${randomUUID()}.parquet`;
      await objectStore.put(location, attempt.written.bytes);
      const { written } = attempt;
      return {
        group,
        inputs,
        output: { location, fileSizeBytes: written.bytes.length, recordCount: written.recordCount, partitionSpecId: group.partitionSpecId, partition: { ...group.partition }, metrics: written.metrics },
      };
    }
    logger.warn("data file left out of compaction", { table, file: attempt.unreadable.path, reason: attempt.reason });
    members = members.filter((member) => member.file !== attempt.unreadable);
  }
}

async function fetchFiles(files: readonly LiveDataFile[], options: GroupRewriteOptions): Promise<FetchedFile[]> {
  const fetched: FetchedFile[] = [];
  for (const file of files) {
    try {
      fetched.push({ file, bytes: await options.objectStore.get(file.path) });
    } catch (error) {
      // Gone: someone else's rewrite and an expiry removed it since the plan; the commit would drop the group.
      if (!(error instanceof ExportError && error.code === "NOT_FOUND")) throw error;
      options.logger.warn("data file left out of compaction", { table: options.table, file: file.path, reason: "the file is gone" });
    }
  }
  return fetched;
}

/** The output, or the member whose rows could not be read back. */
function writeMembers(members: readonly FetchedFile[], options: GroupRewriteOptions): { written: DataFile } | { unreadable: LiveDataFile; reason: string } {
  let reading: LiveDataFile | undefined;
  const rowsOf = (member: FetchedFile): TableRow[] => {
    reading = member.file;
    const rows = readDataFileRows(options.schema, member.bytes);
    if (rows.length !== member.file.recordCount) throw new UnmergeableFileError(`${member.file.path} holds ${rows.length} rows, the manifest says ${member.file.recordCount}`);
    reading = undefined;
    return rows;
  };
  const rowGroups: LazyRowGroup[] = chunksOf(members, options.rowGroupInputBytes ?? defaultRowGroupInputBytes, options.rowGroupRows ?? defaultRowGroupRows).map((chunk) => ({
    rowCount: chunk.reduce((sum, member) => sum + member.file.recordCount, 0),
    rows: () => chunk.flatMap(rowsOf),
  }));
  try {
    return { written: writeDataFileInRowGroups(options.schema, rowGroups) };
  } catch (error) {
    // Only a failure to read a member leaves it out; a failure to write fails the pass.
    if (reading === undefined || (error instanceof ExportError && error.retryable)) throw error;
    return { unreadable: reading, reason: error instanceof Error ? error.message : String(error) };
  }
}

// A file is never split: one bigger than the limits is a row group of its own.
function chunksOf(members: readonly FetchedFile[], chunkBytes: number, chunkRows: number): FetchedFile[][] {
  const chunks: FetchedFile[][] = [];
  let current: FetchedFile[] = [];
  let bytes = 0;
  let rows = 0;
  for (const member of members) {
    if (current.length > 0 && (bytes + member.file.fileSizeBytes > chunkBytes || rows + member.file.recordCount > chunkRows)) {
      chunks.push(current);
      current = [];
      bytes = 0;
      rows = 0;
    }
    current.push(member);
    bytes += member.file.fileSizeBytes;
    rows += member.file.recordCount;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
