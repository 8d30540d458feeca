import { S3Client } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { createS3ObjectStore } from "../../../lib/adapters/aws/s3-object-store.js";
import { ingestKafkaBatch } from "../../../lib/ingest/ingest-batch.js";
import { parseKafkaEvent } from "../../../lib/kafka/lambda-event.js";
import { encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { awsTestClientConfig } from "../../env/aws.js";
import { readParquetFile, type ArrowField } from "../../env/iceberg-reader.js";
import { freeLoopbackPort } from "../../env/process.js";
import { createIngestHarness, order, type EventRecord, type IngestHarness } from "./ingest-harness.js";

function orders(from: number, to: number): EventRecord[] {
  return Array.from({ length: to - from + 1 }, (_, index) => ({ offset: from + index, value: order(from + index) }));
}

async function ingest(harness: IngestHarness, partition: number, records: EventRecord[], context = harness.context) {
  return ingestKafkaBatch(parseKafkaEvent(harness.event(partition, records)), context);
}

describe("staging a Kafka batch, exactly once", () => {
  let harness: IngestHarness;
  beforeAll(async () => {
    harness = await createIngestHarness();
    await harness.enableTopic();
  });

  it("stages a batch once: one file, the watermark at its last offset", async () => {
    const outcome = await ingest(harness, 0, orders(0, 9));
    expect(outcome.totals).toMatchObject({ recordsIn: 10, recordsExported: 10, filesStaged: 1, invalidRecords: 0, skippedAlreadyStaged: 0 });
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 0)).toBe(9n);
    const [file] = await harness.context.stateStore.stagedFiles(harness.table);
    expect(file).toMatchObject({ topic: harness.topic, partition: 0, firstOffset: 0n, lastOffset: 9n, recordCount: 10, partitionValues: { timestamp_day: 20781 } });
    expect(file?.location).toMatch(new RegExp(`^${harness.tableLocation}/data/timestamp_day=2026-11-24/${harness.topic}-0-0-9-[0-9a-f]{16}\\.parquet$`));
    expect(await harness.context.objectStore.exists(file?.location ?? "")).toBe(true);
  });

  it("writes a file pyarrow reads back with the table's field ids and the records' values", async () => {
    const [file] = await harness.context.stateStore.stagedFiles(harness.table);
    const parquet = await readParquetFile(await harness.downloadFile(file?.location ?? ""));
    const schema = (await harness.context.stateStore.schemaState(harness.table))?.state.schema;
    expect(parquet["num-rows"]).toBe(10);
    expect(parquet["num-row-groups"]).toBe(1);
    expect(new Set(parquet["column-chunks"].map((chunk) => chunk.codec))).toEqual(new Set(["SNAPPY"]));

    const idsByName = (fields: ArrowField[]): Record<string, number | null> => Object.fromEntries(fields.map((field) => [field.name, field["field-id"]]));
    expect(idsByName(parquet.schema)).toEqual(Object.fromEntries((schema?.fields ?? []).map((field) => [field.name, field.id])));
    const valField = schema?.fields.find((field) => field.name === "val");
    const valIds = typeof valField?.type === "object" && valField.type.type === "struct" ? valField.type.fields : [];
    expect(idsByName(parquet.schema.find((field) => field.name === "val")?.children ?? [])).toEqual(Object.fromEntries(valIds.map((field) => [field.name, field.id])));

    const first = parquet.rows.find((row) => (row["val"] as { id?: string } | null)?.id === "order-3");
    expect(first).toEqual({
      key: { __raw__: Buffer.from("key-3").toString("base64") },
      val: {
        id: "order-3",
        cents: 1003,
        status: "SHIPPED",
        tags: ["t3"],
        attributes: [["channel", "web"]],
        placed_at: "2025-11-24T16:00:03.000005+00:00",
        customer: { name: "customer 3", email: null },
        weight_kg: 1.5,
        quantity: 3,
        discount: 0.25,
      },
      headers: [],
      timestamp: "2026-11-24T12:00:00.003000+00:00",
    });
    expect(file?.metrics.valueCounts[valIds.find((field) => field.name === "id")?.id ?? 0]).toBe(10);
  });

  it("stages nothing new when the same batch is delivered again", async () => {
    const outcome = await ingest(harness, 0, orders(0, 9));
    expect(outcome.totals).toMatchObject({ recordsExported: 0, filesStaged: 0, skippedAlreadyStaged: 10 });
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toHaveLength(1);
  });

  it("stages only the new offsets of an overlapping batch", async () => {
    const outcome = await ingest(harness, 0, orders(5, 14));
    expect(outcome.totals).toMatchObject({ recordsExported: 5, skippedAlreadyStaged: 5, filesStaged: 1 });
    const files = await harness.context.stateStore.stagedFiles(harness.table);
    expect(files.map((file) => [file.firstOffset, file.lastOffset, file.recordCount])).toEqual([
      [0n, 9n, 10],
      [10n, 14n, 5],
    ]);
  });

  it("stages a batch once when two invocations deliver it at the same time", async () => {
    const [first, second] = await Promise.all([ingest(harness, 0, orders(15, 24)), ingest(harness, 0, orders(15, 24))]);
    expect(first.totals.recordsExported + second.totals.recordsExported).toBe(10);
    expect(first.totals.skippedAlreadyStaged + second.totals.skippedAlreadyStaged).toBe(10);
    const files = await harness.context.stateStore.stagedFiles(harness.table);
    expect(files.filter((file) => file.firstOffset === 15n)).toHaveLength(1);
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 0)).toBe(24n);
  });

  it("writes one file per day the batch's timestamps touch", async () => {
    const day = 86_400_000;
    const records = [25, 26, 27].map((offset, index) => ({ offset, value: order(offset), timestampMs: Date.UTC(2025, 10, 24) + index * day }));
    const outcome = await ingest(harness, 0, records);
    expect(outcome.totals).toMatchObject({ recordsExported: 3, filesStaged: 3 });
    const days = (await harness.context.stateStore.stagedFiles(harness.table)).filter((file) => file.firstOffset === 25n).map((file) => file.partitionValues["timestamp_day"]);
    expect(days.sort()).toEqual([20416, 20417, 20418]);
  });
});

describe("records that are not exported", () => {
  it("skips records below the partition's start offset (no backfill)", async () => {
    const harness = await createIngestHarness();
    await harness.enableTopic({ 0: 100n });
    const outcome = await ingest(harness, 0, orders(95, 104));
    expect(outcome.totals).toMatchObject({ recordsExported: 5, skippedBeforeStart: 5 });
    const [file] = await harness.context.stateStore.stagedFiles(harness.table);
    expect(file).toMatchObject({ firstOffset: 100n, lastOffset: 104n, recordCount: 5 });
  });

  it("skips every record of a topic that is not enabled", async () => {
    const harness = await createIngestHarness();
    await harness.enableTopic({}, false);
    const outcome = await ingest(harness, 0, orders(0, 4));
    expect(outcome.totals).toMatchObject({ recordsExported: 0, skippedNotExported: 5, filesStaged: 0 });
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 0)).toBeUndefined();
  });
});

describe("invalid records and failures", () => {
  it("stages the valid records of a batch, and counts and logs the invalid ones without their bytes", async () => {
    const harness = await createIngestHarness();
    await harness.enableTopic();
    const garbage = new Uint8Array([7, 1, 2, 3]);
    const truncated = encodeConfluentFrame(harness.schemaId, [0], new Uint8Array([0x0a, 0x05, 0x61]));
    const outcome = await ingest(harness, 2, [
      { offset: 0, value: order(0) },
      { offset: 1, value: garbage },
      { offset: 2, value: order(2) },
      { offset: 3, value: truncated },
      { offset: 4, value: null },
    ]);
    expect(outcome.totals).toMatchObject({ recordsIn: 5, recordsExported: 3, invalidRecords: 2 });
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 2)).toBe(4n);
    const warnings = harness.logs.filter((log) => log.level === "warn");
    expect(warnings.map((log) => log.attributes)).toEqual([
      { topic: harness.topic, partition: 2, offset: "1", reason: "not in the Confluent wire format: wrong magic byte 0x07" },
      { topic: harness.topic, partition: 2, offset: "3", reason: "length 5 runs past the end of the payload" },
    ]);
  });

  it("skips and counts a record whose timestamp no timestamptz holds, staging the rest of its batch", async () => {
    const harness = await createIngestHarness();
    await harness.enableTopic();
    // Nanoseconds written where milliseconds belong: year 55 million.
    const outcome = await ingest(harness, 0, [
      { offset: 0, value: order(0) },
      { offset: 1, value: order(1), timestampMs: 1_764_000_000_000_000_000 },
      { offset: 2, value: order(2) },
    ]);
    expect(outcome.totals).toMatchObject({ recordsIn: 3, recordsExported: 2, invalidRecords: 1, filesStaged: 1 });
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 0)).toBe(2n);
    const warnings = harness.logs.filter((log) => log.level === "warn").map((log) => log.attributes);
    expect(warnings).toEqual([{ topic: harness.topic, partition: 0, offset: "1", reason: expect.stringContaining("the latest a timestamptz column") as unknown }]);
  });

  it("fails the invocation when S3 cannot be reached, and stages nothing", async () => {
    const harness = await createIngestHarness();
    await harness.enableTopic();
    const unreachable = new S3Client({ ...awsTestClientConfig(`http://127.0.0.1:${await freeLoopbackPort()}`), maxAttempts: 1 });
    const context = { ...harness.context, objectStore: createS3ObjectStore({ client: unreachable }) };
    await expect(ingest(harness, 0, orders(0, 4), context)).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE", retryable: true });
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toEqual([]);
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 0)).toBeUndefined();

    const retried = await ingest(harness, 0, orders(0, 4));
    expect(retried.totals.recordsExported).toBe(5);
  });
});
