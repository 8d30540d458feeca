// A commit never appends a file that does not exist (SPEC.md §2.5): an orphan-file removal
// run by another engine, or an S3 lifecycle rule, may delete a staged file whose commit
// stalled. Appending it would leave a table that every reader fails on, so the table's
// commit fails loudly instead, naming the files and the records they held, until an
// operator drops those entries and the loss is recorded in the table (drop-missing-staged).
import { ExportError } from "../core/errors.js";
import type { StagedFile } from "../state/state-store.js";
import type { ObjectStore } from "../storage/object-store.js";

export class MissingStagedFilesError extends ExportError {
  constructor(
    readonly table: string,
    readonly files: readonly StagedFile[],
  ) {
    super(
      "STAGED_FILES_MISSING",
      `${table}: ${files.length} staged data file(s) no longer exist, so nothing was committed: ${files.map(describeStagedFile).join("; ")}. ` +
        `Run 'kafka-iceberg-export drop-missing-staged --table ${table}' to drop them from staging and record the lost offset ranges in the table`,
    );
  }
}

/** "orders-3 offsets 100-199 (42 records) in s3://…/file.parquet" */
export function describeStagedFile(file: StagedFile): string {
  return `${file.topic}-${file.partition} offsets ${file.firstOffset}-${file.lastOffset} (${file.recordCount} records) in ${file.location}`;
}

/** The staged files whose objects are gone, checked a few at a time. */
export async function missingStagedFiles(files: readonly StagedFile[], objectStore: ObjectStore, concurrency = 16): Promise<StagedFile[]> {
  const missing = new Set<StagedFile>();
  let next = 0;
  async function worker(): Promise<void> {
    while (next < files.length) {
      const file = files[next++] as StagedFile;
      if (!(await objectStore.exists(file.location))) missing.add(file);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return files.filter((file) => missing.has(file));
}

/** Fails with MissingStagedFilesError when any of the files is gone. */
export async function checkStagedFilesExist(table: string, files: readonly StagedFile[], objectStore: ObjectStore): Promise<void> {
  const missing = await missingStagedFiles(files, objectStore);
  if (missing.length > 0) throw new MissingStagedFilesError(table, missing);
}
