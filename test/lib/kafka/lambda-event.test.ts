import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseKafkaEvent, type TopicPartitionBatch } from "../../../lib/kafka/lambda-event.js";

function fixtureEvent(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/events/${name}`, import.meta.url), "utf8"));
}

describe("parseKafkaEvent", () => {
  it("reads an MSK event: records per topic-partition in offset order, bytes decoded", () => {
    const batches = parseKafkaEvent(fixtureEvent("msk-event.json"));
    expect(batches.map((batch) => [batch.topic, batch.partition, batch.records.map((record) => record.offset)])).toEqual([
      ["orders", 0, [15n, 16n]],
      ["orders", 1, [3n]],
    ]);
    const [first, second] = batches[0]?.records ?? [];
    expect(Buffer.from(first?.key ?? []).toString()).toBe("order-1");
    expect(first?.value).toEqual(new Uint8Array(Buffer.from("AAAAAAcACgdvcmRlci0x", "base64")));
    expect(second?.timestampMs).toBe(1764000000123);
    expect(second?.headers).toEqual([
      { key: "trace-id", value: new Uint8Array([116, 45, 50]) },
      { key: "source", value: new Uint8Array([255, 0, 127]) },
    ]);
    const tombstone = batches[1]?.records[0];
    expect(tombstone).toMatchObject({ key: null, value: null, timestampType: "LOG_APPEND_TIME", sizeBytes: 0 });
  });

  it("reads a self-managed Kafka event with string partition and offset, beyond 2^53", () => {
    const [batch] = parseKafkaEvent(fixtureEvent("self-managed-event.json"));
    expect(batch?.topic).toBe("clicks.v1");
    expect(batch?.partition).toBe(12);
    expect(batch?.records[0]?.offset).toBe(9007199254740993n);
    expect(batch?.records[0]?.key).toBeNull();
    expect(batch?.records[0]?.headers).toEqual([{ key: "empty", value: null }]);
  });

  it("falls back to the record group's key for topic and partition", () => {
    const [batch] = parseKafkaEvent({ records: { "my-topic-name-3": [{ offset: 1, timestamp: 5, value: "AA==" }] } });
    expect(batch).toMatchObject({ topic: "my-topic-name", partition: 3 });
  });

  it.each([
    ["not an object", 42, /not a JSON object/],
    ["an unknown event source", { eventSource: "aws:sqs", records: {} }, /unknown eventSource "aws:sqs"/],
    ["no records", { eventSource: "aws:kafka" }, /no "records" object/],
    ["a group that is not a list", { records: { "t-0": { offset: 1 } } }, /records\["t-0"\] is not a list/],
    ["a group key without a partition", { records: { orders: [{ topic: "orders", partition: 0, offset: 1, timestamp: 1 }] } }, /records key "orders" is not "<topic>-<partition>"/],
    ["a group key with a non-canonical partition", { records: { "t-01": [] } }, /records key "t-01"/],
  ])("refuses an event with %s: INVALID_EVENT naming the place", (_name, event, message) => {
    expect(() => parseKafkaEvent(event)).toThrow(expect.objectContaining({ code: "INVALID_EVENT", retryable: false, message: expect.stringMatching(message) as unknown }));
  });
});

describe("a malformed record", () => {
  const good = { topic: "t", partition: 0, offset: 1, timestamp: 5, key: "a2V5", value: "dmFsdWU=", headers: [{ h: [1, 2] }] };

  function parsedGroup(records: unknown[]): TopicPartitionBatch {
    const [batch] = parseKafkaEvent({ eventSource: "aws:kafka", records: { "t-0": records } });
    if (batch === undefined) throw new Error("no batch");
    return batch;
  }

  it.each([
    ["not an object", "nonsense", undefined, /\[1\] is not an object/],
    ["a negative offset", { ...good, offset: -1 }, undefined, /\[1\]\.offset is not a non-negative integer: -1/],
    ["no offset", { ...good, offset: undefined }, undefined, /\[1\]\.offset is not a non-negative integer/],
    ["a timestamp that is not a number", { ...good, offset: 2, timestamp: "soon" }, 2n, /\[1\]\.timestamp is not a number/],
    ["a null timestamp", { ...good, offset: 2, timestamp: null }, 2n, /\[1\]\.timestamp is not a number/],
    ["a key that is not base64", { ...good, offset: 2, key: "not base64!" }, 2n, /\[1\]\.key is not valid base64/],
    ["a value with a misplaced =", { ...good, offset: 2, value: "a=bc" }, 2n, /\[1\]\.value is not valid base64/],
    ["a value with a line break", { ...good, offset: 2, value: "YWJj\nZGVm" }, 2n, /\.value is not valid base64/],
    ["a key that is a number", { ...good, offset: 2, key: 42 }, 2n, /\.key is not a base64 string/],
    ["headers that are not bytes", { ...good, offset: 2, headers: [{ h: "x!" }] }, 2n, /\.headers\.h is not valid base64/],
    ["header bytes out of range", { ...good, offset: 2, headers: [{ h: [1.5] }] }, 2n, /\.headers\.h is not a list of bytes/],
    ["headers that are not a list", { ...good, offset: 2, headers: { h: [1] } }, 2n, /\.headers is not a list/],
    ["a partition that disagrees with its group", { ...good, offset: 2, partition: 1 }, 2n, /\[1\]\.partition 1 disagrees with its group's partition 0/],
    ["a string partition that disagrees", { ...good, offset: 2, partition: "3" }, 2n, /partition "3" disagrees/],
    ["a topic that disagrees with its group", { ...good, offset: 2, topic: "other" }, 2n, /\[1\]\.topic "other" disagrees with its group's topic "t"/],
  ])("is set aside, not exported, when it has %s; the good records stay", (_name, bad, offset, reason) => {
    const batch = parsedGroup([good, bad, { ...good, offset: 3 }]);
    expect(batch.records.map((record) => record.offset)).toEqual([1n, 3n]);
    // The record is kept as it stood in the event, for the dead-letter table.
    expect(batch.malformed).toEqual([{ offset, reason: expect.stringMatching(reason) as unknown, kept: { eventRecord: bad } }]);
    expect(batch.malformed[0]?.reason).toMatch(/^records\["t-0"\]\[1\]/);
  });

  it("accepts what the event source writes: padded base64, empty strings, string partition, signed header bytes", () => {
    const batch = parsedGroup([{ ...good, partition: "0", key: "", value: "AA==", headers: [{ h: [-1, 255] }] }]);
    expect(batch.malformed).toEqual([]);
    expect(batch.records[0]).toMatchObject({ key: new Uint8Array(), value: new Uint8Array([0]), headers: [{ key: "h", value: new Uint8Array([255, 255]) }] });
  });

  it("decodes base64 exactly as Buffer does for every valid length", () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, index) => (index * 37 + length) & 0xff);
      const text = Buffer.from(bytes).toString("base64");
      for (const form of [text, text.replace(/=+$/, ""), Buffer.from(bytes).toString("base64url")]) {
        const batch = parsedGroup([{ ...good, value: form }]);
        expect(batch.malformed, form).toEqual([]);
        expect(batch.records[0]?.value).toEqual(bytes);
      }
    }
  });

  it("collapses exact duplicates of an offset into one record and counts them", () => {
    const batch = parsedGroup([{ ...good, offset: 2 }, good, { ...good, offset: 2 }, good, good]);
    expect(batch.records.map((record) => record.offset)).toEqual([1n, 2n]);
    expect(batch.duplicates).toBe(3);
    expect(batch.malformed).toEqual([]);
  });

  it("sets aside every record of an offset that holds different records: nothing tells which one the partition has", () => {
    const batch = parsedGroup([good, { ...good, offset: 2 }, { ...good, offset: 2, value: "b3RoZXI=" }, { ...good, offset: 3 }]);
    expect(batch.records.map((record) => record.offset)).toEqual([1n, 3n]);
    expect(batch.duplicates).toBe(0);
    const reason = 'records["t-0"] holds 2 different records at offset 2';
    expect(batch.malformed).toEqual([
      { offset: 2n, reason, kept: { record: expect.objectContaining({ offset: 2n, value: new Uint8Array(Buffer.from(good.value, "base64")) }) as unknown } },
      { offset: 2n, reason, kept: { record: expect.objectContaining({ offset: 2n, value: new Uint8Array(Buffer.from("other")) }) as unknown } },
    ]);
  });

  it("tells duplicates apart by key, headers, timestamp and type as well as value", () => {
    for (const change of [{ key: null }, { headers: [] }, { timestamp: 6 }, { timestampType: "LOG_APPEND_TIME" }, { headers: [{ h: [1, 3] }] }]) {
      const batch = parsedGroup([good, { ...good, ...change }]);
      expect(batch.records, JSON.stringify(change)).toEqual([]);
      expect(batch.malformed).toHaveLength(2);
    }
  });
});
