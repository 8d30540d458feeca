// One planned merge: the staged files of a group read back into rows and written as one
// data file (the bytes writeDataFile gives for all their rows), next to them, under a name
// that no ingest can produce and that is derived from the members and the content. Writing the same group again (a retried or crashed
// commit) gives the same name and the same bytes, so an overwrite never changes a file
// a snapshot may reference. The members stay in place, unreferenced once the merged file
// is committed: removing orphan files is a maintenance job, never the commit's.
import { createHash } from "node:crypto";
import type { AppendedDataFile } from "../iceberg/fast-append.js";
import type { IcebergSchema } from "../iceberg/types.js";
import { defaultRowGroupRows, writeStreamedDataFile, type StreamedRowGroup } from "../parquet/data-file-writer.js";
import type { TableRow } from "../schema/table-row.js";
import type { StagedFile } from "../state/state-store.js";
import { fileNamePart } from "../storage/file-name-part.js";
import type { ObjectStore } from "../storage/object-store.js";
import { readDataFileRows } from "./data-file-reader.js";
import { UnmergeableFileError } from "./unmergeable-file-error.js";

export interface StagedFileMergeOptions {
  objectStore: ObjectStore;
  /** The schema state's schema: ids are never reused, so it holds every member's columns. */
  schema: IcebergSchema;
  /** Rows per row group of the merged file; writeDataFile's default unless a test asks otherwise. */
  rowGroupRows?: number;
  /** Asked before each member is read into rows: true gives the merge up (UnmergeableFileError). */
  outOfTime?: () => boolean;
}

export async function mergeStagedFiles(members: readonly StagedFile[], options: StagedFileMergeOptions): Promise<AppendedDataFile> {
  const [first] = members;
  if (first === undefined) throw new UnmergeableFileError("a merge needs at least one staged file");
  // The members' bytes are read first (a merge holds at most the target size of them); their
  // rows are made one member at a time while the merged file is written, and let go, so the
  // merge never holds more than one member's rows and one row group's columns.
  const contents: (Uint8Array | undefined)[] = [];
  for (const member of members) contents.push(await options.objectStore.get(member.location));
  const merged = writeStreamedDataFile(options.schema, rowGroupsOf(members, contents, options));
  const location = mergedFileLocation(members, merged.bytes);
  await options.objectStore.put(location, merged.bytes);
  return {
    location,
    fileSizeBytes: merged.bytes.length,
    recordCount: merged.recordCount,
    partitionSpecId: first.partitionSpecId,
    partitionValues: { ...first.partitionValues },
    metrics: merged.metrics,
  };
}

/** The members' rows, in member order, cut into row groups where writeDataFile cuts them. */
function rowGroupsOf(members: readonly StagedFile[], contents: (Uint8Array | undefined)[], options: StagedFileMergeOptions): StreamedRowGroup[] {
  const { schema, rowGroupRows = defaultRowGroupRows, outOfTime } = options;
  const totalRows = members.reduce((sum, member) => sum + member.recordCount, 0);
  let memberIndex = 0;
  let rows: readonly TableRow[] = [];
  let next = 0;
  function nextRow(): TableRow {
    while (next >= rows.length) {
      const member = members[memberIndex];
      const bytes = contents[memberIndex];
      if (member === undefined || bytes === undefined) throw new UnmergeableFileError(`the staged files hold fewer rows than the ${totalRows} they were staged with`);
      if (outOfTime?.() === true) throw new UnmergeableFileError(`no time left to merge: given up before ${member.location}`);
      contents[memberIndex++] = undefined;
      rows = readDataFileRows(schema, bytes);
      next = 0;
      if (rows.length !== member.recordCount) throw new UnmergeableFileError(`${member.location} holds ${rows.length} rows, staged as ${member.recordCount}`);
    }
    return rows[next++] as TableRow;
  }
  const groups: StreamedRowGroup[] = [];
  for (let start = 0; start < totalRows; start += rowGroupRows) {
    const rowCount = Math.min(rowGroupRows, totalRows - start);
    groups.push({
      rowCount,
      fill(append) {
        for (let row = 0; row < rowCount; row++) append(nextRow());
      },
    });
  }
  return groups;
}

// Ingest names a file `<topic>-<partition>-<first>-<last>-<hash>`, all three numbers; the
// word between the offsets here keeps the two kinds of names apart.
function mergedFileLocation(members: readonly StagedFile[], bytes: Uint8Array): string {
  const directories = new Set(members.map((member) => member.location.slice(0, member.location.lastIndexOf("/"))));
  if (directories.size !== 1) throw new UnmergeableFileError(`the staged files of one partition lie in ${directories.size} directories`);
  const [directory = ""] = directories;
  const topics = fileNamePart([...new Set(members.map((member) => member.topic))].sort().join("+"));
  const firstOffset = members.map((member) => member.firstOffset).reduce((lowest, offset) => (offset < lowest ? offset : lowest));
  const lastOffset = members.map((member) => member.lastOffset).reduce((highest, offset) => (offset > highest ? offset : highest));
  const hash = createHash("sha256");
  for (const member of members) hash.update(`${member.location}\n`);
  const contentHash = hash.update(bytes).digest("hex").slice(0, 16);
  return `${directory}/merged-${topics}-${firstOffset}-to-${lastOffset}-${contentHash}.parquet`;
}
