import { describe, expect, it } from "vitest";
import { readDataFileRows } from "../../../lib/commit/data-file-reader.js";
import { appendedDataFiles } from "../../../lib/commit/merge-staged-files.js";
import { UnavailableError } from "../../../lib/core/errors.js";
import type { Logger } from "../../../lib/core/logger.js";
import { writeDataFile } from "../../../lib/parquet/data-file-writer.js";
import type { TableRow } from "../../../lib/schema/table-row.js";
import type { StagedFile } from "../../../lib/state/state-store.js";
import { memoryObjectStore, type MemoryObjectStore } from "../iceberg/iceberg-fixtures.js";
import { sampleRows, sampleSchema } from "../parquet/sample-table.js";
import { afterRoundTrip } from "./merge-fixtures.js";

const directory = "s3://bucket/warehouse/kafka/orders/data/timestamp_day=2026-01-01";

async function stage(store: MemoryObjectStore, partition: number, firstOffset: bigint, rows: TableRow[]): Promise<StagedFile> {
  const file = writeDataFile(sampleSchema, rows);
  const location = `${directory}/orders-${partition}-${firstOffset}-${firstOffset + BigInt(rows.length - 1)}-${partition}${firstOffset}.parquet`;
  await store.put(location, file.bytes);
  return {
    table: "kafka.orders",
    location,
    fileSizeBytes: file.bytes.length,
    recordCount: file.recordCount,
    partitionSpecId: 0,
    partitionValues: { timestamp_day: 20454 },
    metrics: file.metrics,
    topic: "orders",
    partition,
    firstOffset,
    lastOffset: firstOffset + BigInt(rows.length - 1),
    schemaId: 0,
    stagedAt: 0,
  };
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => undefined, warn: (message) => warnings.push(message), error: () => undefined };
}

const rows = sampleRows();

describe("the data files a commit appends", () => {
  it("replaces the small files of a partition by one merged file holding their rows in stream order", async () => {
    const store = memoryObjectStore();
    const staged = [await stage(store, 1, 0n, rows.slice(2)), await stage(store, 0, 10n, rows.slice(0, 2)), await stage(store, 0, 0n, rows.slice(1, 3))];
    const options = { objectStore: store, schema: sampleSchema, targetFileSizeBytes: 1024 * 1024, logger: recordingLogger(), table: "kafka.orders" };
    const files = await appendedDataFiles(staged, options);

    expect(files).toHaveLength(1);
    const [merged] = files;
    expect(merged?.location).toMatch(new RegExp(`^${directory}/merged-orders-0-to-11-[0-9a-f]{16}\\.parquet$`));
    expect(merged).toMatchObject({ recordCount: 6, partitionSpecId: 0, partitionValues: { timestamp_day: 20454 } });
    const bytes = store.objects.get(merged?.location ?? "") ?? new Uint8Array();
    expect(merged?.fileSizeBytes).toBe(bytes.length);
    expect(merged?.metrics.valueCounts[4]).toBe(6);
    const inStreamOrder = [...rows.slice(1, 3), ...rows.slice(0, 2), ...rows.slice(2)];
    expect(readDataFileRows(sampleSchema, bytes)).toStrictEqual(inStreamOrder.map((row) => afterRoundTrip(sampleSchema, row)));
    expect(staged.every((file) => store.objects.has(file.location))).toBe(true);

    // The same staged files merge again into the same location and bytes.
    expect(await appendedDataFiles([...staged].reverse(), options)).toEqual(files);
    expect(store.objects.get(merged?.location ?? "")).toEqual(bytes);
  });

  it("keeps each partition's only small file, and files too big to merge, as staged", async () => {
    const store = memoryObjectStore();
    const alone = await stage(store, 0, 0n, rows);
    const otherDay = { ...(await stage(store, 1, 0n, rows)), partitionValues: { timestamp_day: 20455 } };
    const options = { objectStore: store, schema: sampleSchema, targetFileSizeBytes: 1024 * 1024, logger: recordingLogger(), table: "kafka.orders" };
    expect(await appendedDataFiles([alone, otherDay], options)).toEqual([alone, otherDay]);
    const sameDay = await stage(store, 0, 4n, rows);
    expect(await appendedDataFiles([alone, sameDay], { ...options, targetFileSizeBytes: alone.fileSizeBytes + 1 })).toEqual([alone, sameDay]);
    expect(store.puts.filter((location) => location.includes("/merged-"))).toEqual([]);
  });

  it("leaves a group it cannot read unmerged, and fails on a transient error", async () => {
    const store = memoryObjectStore();
    const staged = [await stage(store, 0, 0n, rows), await stage(store, 0, 4n, rows)];
    store.objects.set(staged[1]?.location ?? "", Uint8Array.of(1, 2, 3));
    const logger = recordingLogger();
    const options = { objectStore: store, schema: sampleSchema, targetFileSizeBytes: 1024 * 1024, logger, table: "kafka.orders" };
    expect(await appendedDataFiles(staged, options)).toEqual(staged);
    expect(logger.warnings).toEqual(["staged files left unmerged"]);

    const unavailable = { ...store, get: () => Promise.reject(new UnavailableError("STORAGE_UNAVAILABLE", "injected")) };
    await expect(appendedDataFiles(staged, { ...options, objectStore: unavailable })).rejects.toThrow(UnavailableError);
  });

  it("gives a merge up when its time runs out, before or during it, and appends the staged files as they are", async () => {
    const store = memoryObjectStore();
    const staged = [await stage(store, 0, 0n, rows), await stage(store, 0, 4n, rows), await stage(store, 0, 8n, rows)];
    const base = { objectStore: store, schema: sampleSchema, targetFileSizeBytes: 1024 * 1024, table: "kafka.orders" };

    const late = recordingLogger();
    expect(await appendedDataFiles(staged, { ...base, logger: late, deadlineMs: 1_000, now: () => 1_000 })).toEqual(staged);
    expect(late.warnings).toEqual(["no time left to merge: staged files appended unmerged"]);

    // The clock passes the deadline after the first member was read into rows.
    let reads = 0;
    const midway = recordingLogger();
    const files = await appendedDataFiles(staged, { ...base, logger: midway, deadlineMs: 2, now: () => reads++ });
    expect(files).toEqual(staged);
    expect(reads).toBeGreaterThan(2);
    expect(midway.warnings).toEqual(["staged files left unmerged"]);
    expect(store.puts.filter((location) => location.includes("/merged-"))).toEqual([]);

    expect(await appendedDataFiles(staged, { ...base, logger: recordingLogger(), deadlineMs: 1_000, now: () => 0 })).toHaveLength(1);
  });
});
