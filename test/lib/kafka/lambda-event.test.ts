import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseKafkaEvent } from "../../../lib/kafka/lambda-event.js";

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
    ["a negative offset", { records: { "t-0": [{ offset: -1, timestamp: 1 }] } }, /records\["t-0"\]\[0\]\.offset is not a non-negative integer/],
    ["a timestamp that is not a number", { records: { "t-0": [{ offset: 1, timestamp: "soon" }] } }, /timestamp is not a number/],
    ["headers that are not bytes", { records: { "t-0": [{ offset: 1, timestamp: 1, headers: [{ h: "x" }, { h: [1.5] }] }] } }, /headers\.h is not a list of bytes/],
  ])("refuses %s with INVALID_EVENT naming the place", (_name, event, message) => {
    expect(() => parseKafkaEvent(event)).toThrow(expect.objectContaining({ code: "INVALID_EVENT", retryable: false, message: expect.stringMatching(message) as unknown }));
  });
});
