// The files of one stage request as state table items (layout in dynamodb-state-keys.ts).
// DynamoDB holds at most 400 KB per item, 100 items and 4 MB per transaction, while a batch
// may touch hundreds of table partitions and a file's metrics grow with the table's
// columns. So a request's files travel as one gzip'd list in one "staged batch" item; a
// list too big for it is cut into "staged part" items, written before the transaction that
// creates the batch item and moves the watermark. A part is only ever read through its
// batch item, so parts of an attempt that lost (or crashed) are never staged files.
import { gunzipSync, gzipSync } from "node:zlib";
import { ExportError } from "../../core/errors.js";
import { isJsonObject } from "../../core/json-object.js";
import type { DataFileMetrics } from "../../iceberg/metrics.js";
import type { StagedFile } from "../../state/state-store.js";
import { attributeReader, bigintValue, integerValue, type Attributes } from "./dynamodb-attributes.js";
import { describeItem, stagedBatchKey, stagedPartKey, type StagedBatchName } from "./dynamodb-state-keys.js";

/** Commit deletes batches otherwise; only `staged` ones are waiting. */
export const stagedStatus = "staged";

/**
 * Bytes of file list one item carries: DynamoDB's 400 KB item limit less room for the key
 * (a topic name is at most 249 characters) and the other attributes.
 */
export const maxFileListBytesPerItem = 380_000;

export interface StagedBatchWrite {
  name: StagedBatchName;
  /** Put (unconditionally, idempotently) before the batch item; empty when the list fits it. */
  parts: Attributes[];
  /** Put in the stage transaction, on condition that no batch of that name exists. */
  batch: Attributes;
}

/** What a staged batch item says: its files, or where its parts are. */
export interface StagedBatch {
  name: StagedBatchName;
  stagedAt: number;
  fileCount: number;
  fileList: { inline: Uint8Array } | { batchId: string; parts: number };
}

/** `files` share table, topic, partition and first offset (one batch of one table). */
export function stagedBatchWrite(files: readonly StagedFile[], batchId: string, maxBytes = maxFileListBytesPerItem): StagedBatchWrite {
  const [first] = files;
  if (first === undefined) throw new ExportError("INTERNAL", "a staged batch needs at least one file");
  const name: StagedBatchName = { table: first.table, topic: first.topic, partition: first.partition, firstOffset: first.firstOffset };
  const list = encodeFileList(files);
  const common: Attributes = {
    ...stagedBatchKey(name),
    status: { S: stagedStatus },
    table: { S: name.table },
    topic: { S: name.topic },
    partition: integerValue(name.partition),
    firstOffset: bigintValue(name.firstOffset),
    lastOffset: bigintValue(files.reduce((highest, file) => (file.lastOffset > highest ? file.lastOffset : highest), first.lastOffset)),
    stagedAt: integerValue(files.reduce((earliest, file) => Math.min(earliest, file.stagedAt), first.stagedAt)),
    fileCount: integerValue(files.length),
  };
  if (list.byteLength <= maxBytes) return { name, parts: [], batch: { ...common, files: { B: list } } };
  const parts: Attributes[] = [];
  for (let start = 0, part = 0; start < list.byteLength; start += maxBytes, part++) {
    parts.push({ ...stagedPartKey(name, batchId, part), files: { B: list.subarray(start, start + maxBytes) } });
  }
  return { name, parts, batch: { ...common, batchId: { S: batchId }, parts: integerValue(parts.length) } };
}

export function stagedBatchFromItem(item: Attributes): StagedBatch {
  const read = attributeReader(item, describeItem(item));
  const name: StagedBatchName = { table: read.string("table"), topic: read.string("topic"), partition: read.integer("partition"), firstOffset: read.bigint("firstOffset") };
  const batchId = read.optionalString("batchId");
  return {
    name,
    stagedAt: read.integer("stagedAt"),
    fileCount: read.integer("fileCount"),
    fileList: batchId === undefined ? { inline: read.bytes("files") } : { batchId, parts: read.integer("parts") },
  };
}

/** The part items' lists, in part order, joined and decoded. */
export function filesOfParts(batch: StagedBatch, partItems: readonly Attributes[], where: string): StagedFile[] {
  if (!("parts" in batch.fileList)) throw new ExportError("INTERNAL", `${where} keeps its files inline, not in parts`);
  const sorted = [...partItems].sort((a, b) => ((a["sk"]?.S ?? "") < (b["sk"]?.S ?? "") ? -1 : 1));
  if (sorted.length !== batch.fileList.parts) {
    throw new ExportError("INTERNAL", `${where} lists its files in ${batch.fileList.parts} part item(s) but ${sorted.length} exist: the state table lost a part`);
  }
  const chunks = sorted.map((item) => attributeReader(item, describeItem(item)).bytes("files"));
  return decodeFileList(Buffer.concat(chunks), batch, where);
}

export function inlineFiles(batch: StagedBatch, where: string): StagedFile[] {
  if (!("inline" in batch.fileList)) throw new ExportError("INTERNAL", `${where} keeps its files in parts`);
  return decodeFileList(batch.fileList.inline, batch, where);
}

// Field by field rather than a generic JSON of StagedFile, so that bigint offsets and binary
// bounds read back exactly and a change to StagedFile cannot silently drop a field here.
interface EncodedFile {
  location: string;
  fileSizeBytes: number;
  recordCount: number;
  partitionSpecId: number;
  partitionValues: Record<string, number | null>;
  counts: Record<"columnSizes" | "valueCounts" | "nullValueCounts" | "nanValueCounts", Record<string, number>>;
  bounds: Record<"lowerBounds" | "upperBounds", Record<string, string>>;
  lastOffset: string;
  schemaId: number;
  stagedAt: number;
}

function encodeFileList(files: readonly StagedFile[]): Uint8Array {
  const encoded = files.map(
    (file): EncodedFile => ({
      location: file.location,
      fileSizeBytes: file.fileSizeBytes,
      recordCount: file.recordCount,
      partitionSpecId: file.partitionSpecId,
      partitionValues: file.partitionValues,
      counts: {
        columnSizes: file.metrics.columnSizes,
        valueCounts: file.metrics.valueCounts,
        nullValueCounts: file.metrics.nullValueCounts,
        nanValueCounts: file.metrics.nanValueCounts,
      },
      bounds: { lowerBounds: base64Map(file.metrics.lowerBounds), upperBounds: base64Map(file.metrics.upperBounds) },
      lastOffset: file.lastOffset.toString(),
      schemaId: file.schemaId,
      stagedAt: file.stagedAt,
    }),
  );
  return gzipSync(JSON.stringify(encoded));
}

function decodeFileList(bytes: Uint8Array, batch: StagedBatch, where: string): StagedFile[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(gunzipSync(bytes).toString("utf8"));
  } catch (error) {
    throw new ExportError("INTERNAL", `${where}: the staged file list is not gzip'd JSON`, { cause: error });
  }
  if (!Array.isArray(parsed) || parsed.length !== batch.fileCount || !parsed.every(isEncodedFile)) {
    throw new ExportError("INTERNAL", `${where}: the staged file list is not the ${batch.fileCount} file(s) its batch item counts`);
  }
  const { table, topic, partition, firstOffset } = batch.name;
  return parsed.map((file) => ({
    table,
    location: file.location,
    fileSizeBytes: file.fileSizeBytes,
    recordCount: file.recordCount,
    partitionSpecId: file.partitionSpecId,
    partitionValues: file.partitionValues,
    metrics: metricsOf(file),
    topic,
    partition,
    firstOffset,
    lastOffset: BigInt(file.lastOffset),
    schemaId: file.schemaId,
    stagedAt: file.stagedAt,
  }));
}

function isEncodedFile(value: unknown): value is EncodedFile {
  return (
    isJsonObject(value) &&
    typeof value["location"] === "string" &&
    typeof value["lastOffset"] === "string" &&
    /^\d+$/.test(value["lastOffset"]) &&
    isJsonObject(value["counts"]) &&
    isJsonObject(value["bounds"]) &&
    isJsonObject(value["partitionValues"])
  );
}

function metricsOf(file: EncodedFile): DataFileMetrics {
  const counts = (record: Record<string, number>): Record<number, number> => Object.fromEntries(Object.entries(record).map(([id, count]) => [Number(id), count]));
  const bounds = (record: Record<string, string>): Record<number, Uint8Array> =>
    Object.fromEntries(Object.entries(record).map(([id, bound]) => [Number(id), new Uint8Array(Buffer.from(bound, "base64"))]));
  return {
    columnSizes: counts(file.counts.columnSizes),
    valueCounts: counts(file.counts.valueCounts),
    nullValueCounts: counts(file.counts.nullValueCounts),
    nanValueCounts: counts(file.counts.nanValueCounts),
    lowerBounds: bounds(file.bounds.lowerBounds),
    upperBounds: bounds(file.bounds.upperBounds),
  };
}

function base64Map(record: Record<number, Uint8Array>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([id, bound]) => [id, Buffer.from(bound.buffer, bound.byteOffset, bound.byteLength).toString("base64")]));
}
