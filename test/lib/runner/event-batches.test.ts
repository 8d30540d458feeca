import { describe, expect, it } from "vitest";
import { eventPayloadBytes, selfManagedKafkaEvent, type SelfManagedKafkaEventRecord } from "../../../lib/kafka/self-managed-kafka-event.js";
import { cutEventBatches, type EventBatch } from "../../../lib/runner/event-batches.js";

const brokers = ["broker-1:9092", "broker-2:9092"];

function record(offset: number, valueBytes: number, extra: Partial<SelfManagedKafkaEventRecord> = {}): SelfManagedKafkaEventRecord {
  return {
    topic: "orders",
    partition: 3,
    offset,
    timestamp: 1764000000000 + offset,
    timestampType: "CREATE_TIME",
    key: offset % 3 === 0 ? null : Buffer.from(`key-${offset}`).toString("base64"),
    value: Buffer.alloc(valueBytes, offset).toString("base64"),
    headers: offset % 2 === 0 ? [{ trace: [1, -2, 3] }] : [],
    ...extra,
  };
}

function offsets(batches: EventBatch[]): number[][] {
  return batches.map((batch) => batch.records.map((one) => Number(one.offset)));
}

describe("cutEventBatches", () => {
  it("cuts by record count, keeping offset order", () => {
    const records = Array.from({ length: 7 }, (_, index) => record(index, 10));
    expect(offsets(cutEventBatches(records, { batchSize: 3, maxPayloadBytes: 1_000_000, bootstrapServers: brokers }))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(offsets(cutEventBatches(records, { batchSize: 10_000, maxPayloadBytes: 1_000_000, bootstrapServers: brokers }))).toEqual([[0, 1, 2, 3, 4, 5, 6]]);
    expect(cutEventBatches([], { batchSize: 3, maxPayloadBytes: 1_000_000, bootstrapServers: brokers })).toEqual([]);
  });

  it("cuts by payload bytes: every event's JSON fits the limit, and none could have taken the next record", () => {
    const records = Array.from({ length: 200 }, (_, index) => record(index, 50 + ((index * 37) % 400)));
    const maxPayloadBytes = 4_096;
    const batches = cutEventBatches(records, { batchSize: 10_000, maxPayloadBytes, bootstrapServers: brokers });
    expect(batches.flatMap((batch) => batch.records)).toEqual(records);
    expect(batches.length).toBeGreaterThan(10);
    batches.forEach((batch, index) => {
      expect(eventPayloadBytes(selfManagedKafkaEvent(batch.records, brokers))).toBeLessThanOrEqual(maxPayloadBytes);
      const next = batches[index + 1]?.records[0];
      if (next !== undefined) expect(eventPayloadBytes(selfManagedKafkaEvent([...batch.records, next], brokers))).toBeGreaterThan(maxPayloadBytes);
    });
  });

  it("fills an event exactly up to the limit", () => {
    const records = [1, 2, 3].map((offset) => record(offset, 100, { key: "a2V5", headers: [] }));
    const twoRecords = eventPayloadBytes(selfManagedKafkaEvent(records.slice(0, 2), brokers));
    expect(offsets(cutEventBatches(records, { batchSize: 100, maxPayloadBytes: twoRecords, bootstrapServers: brokers }))).toEqual([[1, 2], [3]]);
    expect(offsets(cutEventBatches(records, { batchSize: 100, maxPayloadBytes: twoRecords - 1, bootstrapServers: brokers }))).toEqual([[1], [2], [3]]);
  });

  it("counts multi-byte characters of header names and the broker list in UTF-8", () => {
    const records = Array.from({ length: 20 }, (_, index) => record(index, 20, { headers: [{ "größe-ü": [1, 2] }] }));
    const maxPayloadBytes = 1_500;
    const servers = ["brøker:9092"];
    for (const batch of cutEventBatches(records, { batchSize: 100, maxPayloadBytes, bootstrapServers: servers })) {
      expect(eventPayloadBytes(selfManagedKafkaEvent(batch.records, servers))).toBeLessThanOrEqual(maxPayloadBytes);
    }
  });

  it("applies whichever limit comes first", () => {
    const records = Array.from({ length: 10 }, (_, index) => record(index, 100));
    const threeRecords = eventPayloadBytes(selfManagedKafkaEvent(records.slice(0, 3), brokers));
    expect(offsets(cutEventBatches(records, { batchSize: 2, maxPayloadBytes: threeRecords, bootstrapServers: brokers }))).toEqual([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]);
    expect(offsets(cutEventBatches(records, { batchSize: 4, maxPayloadBytes: threeRecords, bootstrapServers: brokers }))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
  });

  it("gives a record that alone makes an event over the limit an event of its own, and says how big it is", () => {
    const records = [record(1, 10), record(2, 5_000), record(3, 10), record(4, 10)];
    const batches = cutEventBatches(records, { batchSize: 100, maxPayloadBytes: 4_096, bootstrapServers: brokers });
    expect(offsets(batches)).toEqual([[1], [2], [3, 4]]);
    for (const batch of batches) expect(batch.payloadBytes).toBe(eventPayloadBytes(selfManagedKafkaEvent(batch.records, brokers)));
    expect(batches.map((batch) => batch.payloadBytes > 4_096)).toEqual([false, true, false]);
  });
});
