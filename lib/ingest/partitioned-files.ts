// Rows → one Parquet data file per table partition touched, written under the table
// location (SPEC.md §2, §4). A file's name is derived from the topic, partition and offset
// range, and from a hash of its content: a redelivered batch producing the same file
// overwrites it, and a writer that produced different content (another schema version)
// can never replace a file someone else staged.
import { createHash } from "node:crypto";
import { applyTimeTransform, partitionPath, timestampPartitionSpec, type PartitionSpec } from "../iceberg/partitioning.js";
import type { IcebergSchema } from "../iceberg/types.js";
import { writeDataFile } from "../parquet/data-file-writer.js";
import type { TableRow } from "../schema/table-row.js";
import type { StagedFile, TopicExport } from "../state/state-store.js";
import type { ObjectStore } from "../storage/object-store.js";

export interface PartitionedFilesOptions {
  objectStore: ObjectStore;
  schema: IcebergSchema;
  topicExport: TopicExport;
  table: string;
  partition: number;
  firstOffset: bigint;
  lastOffset: bigint;
  stagedAt: number;
}

export async function writePartitionedDataFiles(rows: readonly TableRow[], options: PartitionedFilesOptions): Promise<StagedFile[]> {
  const spec = timestampPartitionSpec(options.topicExport.partitioning, timestampFieldId(options.schema));
  const files: StagedFile[] = [];
  for (const [partitionValues, partitionRows] of groupByPartition(rows, spec)) {
    const content = writeDataFile(options.schema, partitionRows);
    const location = dataFileLocation(options, spec, partitionValues, content.bytes);
    await options.objectStore.put(location, content.bytes);
    files.push({
      table: options.table,
      location,
      fileSizeBytes: content.bytes.length,
      recordCount: content.recordCount,
      partitionSpecId: spec["spec-id"],
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

function groupByPartition(rows: readonly TableRow[], spec: PartitionSpec): Map<Record<string, number | null>, TableRow[]> {
  const field = spec.fields[0];
  if (field === undefined) return new Map([[{}, [...rows]]]);
  const transform = field.transform as Exclude<TopicExport["partitioning"], "none">;
  const groups = new Map<number | null, TableRow[]>();
  for (const row of rows) {
    const value = row.timestamp === null ? null : applyTimeTransform(transform, row.timestamp);
    const group = groups.get(value);
    if (group === undefined) groups.set(value, [row]);
    else group.push(row);
  }
  return new Map([...groups].map(([value, group]) => [{ [field.name]: value }, group]));
}

function dataFileLocation(options: PartitionedFilesOptions, spec: PartitionSpec, partitionValues: Record<string, number | null>, bytes: Uint8Array): string {
  const directory = [options.topicExport.tableLocation, "data", partitionPath(spec, partitionValues)].filter((part) => part !== "").join("/");
  const contentHash = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  return `${directory}/${options.topicExport.topic}-${options.partition}-${options.firstOffset}-${options.lastOffset}-${contentHash}.parquet`;
}

function timestampFieldId(schema: IcebergSchema): number {
  const field = schema.fields.find((candidate) => candidate.name === "timestamp");
  if (field === undefined) throw new TypeError("the table schema has no timestamp column");
  return field.id;
}
