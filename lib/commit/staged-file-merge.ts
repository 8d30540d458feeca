// One planned merge: the staged files of a group read back into rows and written as one
// data file, next to them, under a name that no ingest can produce and that is derived
// from the members and the content. Writing the same group again (a retried or crashed
// commit) gives the same name and the same bytes, so an overwrite never changes a file
// a snapshot may reference. The members stay in place, unreferenced once the merged file
// is committed: removing orphan files is a maintenance job, never the commit's.
import { createHash } from "node:crypto";
import type { AppendedDataFile } from "../iceberg/fast-append.js";
import type { IcebergSchema } from "../iceberg/types.js";
import { writeDataFile } from "../parquet/data-file-writer.js";
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
}

export async function mergeStagedFiles(members: readonly StagedFile[], options: StagedFileMergeOptions): Promise<AppendedDataFile> {
  const [first] = members;
  if (first === undefined) throw new UnmergeableFileError("a merge needs at least one staged file");
  const rows: TableRow[] = [];
  for (const member of members) {
    const memberRows = readDataFileRows(options.schema, await options.objectStore.get(member.location));
    if (memberRows.length !== member.recordCount) throw new UnmergeableFileError(`${member.location} holds ${memberRows.length} rows, staged as ${member.recordCount}`);
    for (const row of memberRows) rows.push(row);
  }
  const merged = writeDataFile(options.schema, rows);
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
