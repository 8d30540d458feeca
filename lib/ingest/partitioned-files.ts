// Columns → one Parquet data file per table partition touched, written under the table
// location (SPEC.md §2, §4). A file's name is derived from the topic, partition and offset
// range (the topic bounded: lib/storage/file-name-part.ts), and from a hash of its content: a redelivered batch producing the same file
// overwrites it, and a writer that produced different content (another schema version)
// can never replace a file someone else staged.
import { createHash } from "node:crypto";
import { partitionPath, type PartitionSpec } from "../iceberg/partitioning.js";
import type { IcebergSchema } from "../iceberg/types.js";
import { writeTableColumns } from "../parquet/data-file-writer.js";
import { releaseTableColumns } from "../parquet/table-columns.js";
import type { PartitionColumns } from "./record-columns.js";
import type { StagedFile, TopicExport } from "../state/state-store.js";
import { fileNamePart } from "../storage/file-name-part.js";
import type { ObjectStore } from "../storage/object-store.js";

export interface PartitionedFilesOptions {
  objectStore: ObjectStore;
  schema: IcebergSchema;
  spec: PartitionSpec;
  topicExport: TopicExport;
  table: string;
  partition: number;
  firstOffset: bigint;
  lastOffset: bigint;
  stagedAt: number;
}

export async function writePartitionedDataFiles(groups: readonly PartitionColumns[], options: PartitionedFilesOptions): Promise<StagedFile[]> {
  const files: StagedFile[] = [];
  for (const { partitionValues, columns } of groups) {
    const content = writeTableColumns(columns);
    releaseTableColumns(columns);
    const location = dataFileLocation(options, partitionValues, content.bytes);
    await options.objectStore.put(location, content.bytes);
    files.push({
      table: options.table,
      location,
      fileSizeBytes: content.bytes.length,
      recordCount: content.recordCount,
      partitionSpecId: options.spec["spec-id"],
      partitionValues,
      metrics: content.metrics,
      topic: options.topicExport.topic,
      partition: options.partition,
      firstOffset: options.firstOffset,
      lastOffset: options.lastOffset,
      schemaId: options.schema["schema-id"],
      stagedAt: options.stagedAt,
    });
  }
  return files;
}

function dataFileLocation(options: PartitionedFilesOptions, partitionValues: Record<string, number | null>, bytes: Uint8Array): string {
  const directory = [options.topicExport.tableLocation, "data", partitionPath(options.spec, partitionValues)].filter((part) => part !== "").join("/");
  const contentHash = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  return `${directory}/${fileNamePart(options.topicExport.topic)}-${options.partition}-${options.firstOffset}-${options.lastOffset}-${contentHash}.parquet`;
}
