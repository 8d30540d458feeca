// Shared by the unit tests of lib/iceberg: an export table's schema and partition spec,
// staged data files with the metrics ingest computes for them, and an ObjectStore in memory.
import { ConditionFailedError, ExportError } from "../../../lib/core/errors.js";
import type { AppendedDataFile } from "../../../lib/iceberg/fast-append.js";
import type { DataFileMetrics } from "../../../lib/iceberg/metrics.js";
import { applyTimeTransform, timestampPartitionSpec, type PartitionSpec } from "../../../lib/iceberg/partitioning.js";
import type { IcebergSchema } from "../../../lib/iceberg/types.js";
import type { ObjectStore } from "../../../lib/storage/object-store.js";

/** key, val { order_id, amount, note }, headers, timestamp: the shape of SPEC.md §3. */
export const exportSchema: IcebergSchema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "key", required: false, type: { type: "struct", fields: [{ id: 5, name: "__raw__", required: false, type: "binary" }] } },
    {
      id: 2,
      name: "val",
      required: false,
      type: {
        type: "struct",
        fields: [
          { id: 6, name: "order_id", required: false, type: "long" },
          { id: 7, name: "amount", required: false, type: "double" },
          { id: 8, name: "note", required: false, type: "string" },
        ],
      },
    },
    {
      id: 3,
      name: "headers",
      required: false,
      type: {
        type: "list",
        "element-id": 9,
        "element-required": false,
        element: {
          type: "struct",
          fields: [
            { id: 10, name: "key", required: false, type: "string" },
            { id: 11, name: "value", required: false, type: "binary" },
          ],
        },
      },
    },
    { id: 4, name: "timestamp", required: false, type: "timestamptz" },
  ],
};

export const daySpec: PartitionSpec = timestampPartitionSpec("day", 4);
export const unpartitionedSpec: PartitionSpec = { "spec-id": 1, fields: [] };

export function micros(iso: string): bigint {
  return BigInt(Date.parse(iso)) * 1000n;
}

function longBytes(value: bigint): Uint8Array {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64LE(value);
  return new Uint8Array(buffer);
}

function doubleBytes(value: number): Uint8Array {
  const buffer = Buffer.alloc(8);
  buffer.writeDoubleLE(value);
  return new Uint8Array(buffer);
}

/** Metrics of a file of `records` rows with order ids from `firstOrderId`, all at `at`. */
export function metricsOf(records: number, firstOrderId: bigint, at: string): DataFileMetrics {
  const last = firstOrderId + BigInt(records - 1);
  return {
    columnSizes: { 4: 40 + records, 5: 30 + records, 6: 50 + records, 7: 60 + records, 8: 70 + records, 10: 20, 11: 20 },
    valueCounts: { 4: records, 5: records, 6: records, 7: records, 8: records, 10: records * 2, 11: records * 2 },
    nullValueCounts: { 4: 0, 5: 0, 6: 0, 7: 1, 8: records, 10: 0, 11: 0 },
    nanValueCounts: { 7: 0 },
    lowerBounds: { 4: longBytes(micros(at)), 5: Uint8Array.of(0x00, 0x01), 6: longBytes(firstOrderId), 7: doubleBytes(-2.5) },
    upperBounds: { 4: longBytes(micros(at)), 5: Uint8Array.of(0xff, 0x10), 6: longBytes(last), 7: doubleBytes(1999.99) },
  };
}

/** A file staged by ingest under the day spec (or unpartitioned), as fast append takes it. */
export function stagedFile(name: string, records: number, at: string | null, options: { firstOrderId?: bigint; spec?: PartitionSpec } = {}): AppendedDataFile {
  const { firstOrderId = 1000n, spec = daySpec } = options;
  const day = at === null ? null : applyTimeTransform("day", micros(at));
  const partitionValues: Record<string, number | null> = spec.fields.length === 0 ? {} : { timestamp_day: day };
  return {
    location: `s3://warehouse/db/orders/data/${name}.parquet`,
    fileSizeBytes: 4096 + records * 10,
    recordCount: records,
    partitionSpecId: spec["spec-id"],
    partitionValues,
    metrics: metricsOf(records, firstOrderId, at ?? "1970-01-01T00:00:00Z"),
  };
}

export interface MemoryObjectStore extends ObjectStore {
  objects: Map<string, Uint8Array>;
  puts: string[];
}

export function memoryObjectStore(): MemoryObjectStore {
  const objects = new Map<string, Uint8Array>();
  const puts: string[] = [];
  return {
    objects,
    puts,
    put(location, body, options) {
      // Create-only, as the object stores are: the file catalog's commit is this write.
      if (options?.ifAbsent === true && objects.has(location)) return Promise.reject(new ConditionFailedError(`an object exists at ${location}`));
      objects.set(location, body);
      puts.push(location);
      return Promise.resolve();
    },
    get(location) {
      const body = objects.get(location);
      return body === undefined ? Promise.reject(new ExportError("NOT_FOUND", `no object at ${location}`)) : Promise.resolve(body);
    },
    exists: (location) => Promise.resolve(objects.has(location)),
    delete(location) {
      objects.delete(location);
      return Promise.resolve();
    },
    deleteMany(locations) {
      for (const location of locations) objects.delete(location);
      return Promise.resolve();
    },
    list: (prefix) => Promise.resolve([...objects.keys()].filter((location) => location.startsWith(prefix)).sort()),
    listObjects: (prefix) =>
      Promise.resolve(
        [...objects]
          .filter(([location]) => location.startsWith(prefix))
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([location, body]) => ({ location, sizeBytes: body.length, lastModifiedMs: 0 })),
      ),
  };
}
