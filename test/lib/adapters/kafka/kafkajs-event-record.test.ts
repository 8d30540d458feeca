import { readFileSync } from "node:fs";
import type { KafkaMessage } from "kafkajs";
import { describe, expect, it } from "vitest";
import { eventRecordOfMessage } from "../../../../lib/adapters/kafka/kafkajs-event-record.js";
import { parseKafkaEvent } from "../../../../lib/kafka/lambda-event.js";
import { selfManagedKafkaEvent } from "../../../../lib/kafka/self-managed-kafka-event.js";

interface FixtureEvent {
  eventSource: string;
  bootstrapServers: string;
  records: Record<string, Record<string, unknown>[]>;
}

function fixtureEvent(name: string): FixtureEvent {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/events/${name}`, import.meta.url), "utf8")) as FixtureEvent;
}

/** A message as kafkajs hands it to eachBatch from a record batch (magic 2). */
function consumed(fields: Partial<KafkaMessage> & { offset: string }, timestampType = 0): KafkaMessage {
  return {
    key: null,
    value: null,
    timestamp: "1764000000000",
    attributes: 0,
    headers: {},
    ...fields,
    batchContext: { timestampType },
  } as unknown as KafkaMessage;
}

describe("eventRecordOfMessage", () => {
  it("builds the fixture's self-managed Kafka event: null key, offset past 2^53 as digits, a header with a null value", () => {
    const fixture = fixtureEvent("self-managed-event.json");
    const message = consumed({ offset: "9007199254740993", value: Buffer.from("CgNhYmM=", "base64"), headers: { empty: null } as unknown as KafkaMessage["headers"] });
    const event = selfManagedKafkaEvent([eventRecordOfMessage("clicks.v1", 12, message)], ["kafka-1.internal:9092", "kafka-2.internal:9092"]);

    // Lambda writes the partition as a number; the fixture has it as a string, which the parser also takes.
    const fixtureRecord = fixture.records["clicks.v1-12"]?.[0];
    expect(event).toEqual({ ...fixture, records: { "clicks.v1-12": [{ ...fixtureRecord, partition: 12 }] } });
    expect(parseKafkaEvent(event)).toEqual(parseKafkaEvent(fixture));
  });

  it("writes keys and values in base64 and headers as signed byte lists, as in the fixture", () => {
    const fixture = fixtureEvent("msk-event.json");
    const message = consumed({
      offset: "16",
      timestamp: "1764000000123",
      key: Buffer.from("order-2"),
      value: Buffer.from("AAAAAAcACgdvcmRlci0y", "base64"),
      headers: { "trace-id": Buffer.from("t-2"), source: Buffer.from([255, 0, 127]) },
    });
    const record = eventRecordOfMessage("orders", 0, message);
    expect(record).toEqual(fixture.records["orders-0"]?.find((candidate) => candidate["offset"] === 16));
    expect(typeof record.offset).toBe("number");
    expect(typeof record.timestamp).toBe("number");
  });

  it("keeps null keys and values null, and a log-append timestamp type from the record batch", () => {
    const record = eventRecordOfMessage("orders", 1, consumed({ offset: "3", timestamp: "1764000001000" }, 1));
    expect(record).toEqual({ topic: "orders", partition: 1, offset: 3, timestamp: 1764000001000, timestampType: "LOG_APPEND_TIME", key: null, value: null, headers: [] });
  });

  it("reads the timestamp type of a legacy message from its attributes", () => {
    const legacy = (attributes: number): KafkaMessage => ({ key: null, value: Buffer.from([1]), timestamp: "5", attributes, offset: "0", size: 10 });
    expect(eventRecordOfMessage("t", 0, legacy(0x08)).timestampType).toBe("LOG_APPEND_TIME");
    expect(eventRecordOfMessage("t", 0, legacy(0)).timestampType).toBe("CREATE_TIME");
    expect(eventRecordOfMessage("t", 0, legacy(0)).headers).toEqual([]);
  });

  it("lists each value of a repeated header name in order, and encodes string header values as UTF-8", () => {
    const headers = { trace: [Buffer.from("a"), Buffer.from("b")], note: "é", gone: undefined } as KafkaMessage["headers"];
    const record = eventRecordOfMessage("t", 0, consumed({ offset: "0", headers }));
    expect(record.headers).toEqual([{ trace: [97] }, { trace: [98] }, { note: [-61, -87] }, { gone: null }]);
    const [batch] = parseKafkaEvent(selfManagedKafkaEvent([record], ["b:9092"]));
    expect(batch?.records[0]?.headers).toEqual([
      { key: "trace", value: new Uint8Array([97]) },
      { key: "trace", value: new Uint8Array([98]) },
      { key: "note", value: new Uint8Array(Buffer.from("é")) },
      { key: "gone", value: null },
    ]);
  });

  it("round-trips arbitrary key and value bytes through the event parser", () => {
    const key = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    const value = Buffer.from(Array.from({ length: 1000 }, (_, index) => (index * 7) % 256));
    const record = eventRecordOfMessage("bytes", 4, consumed({ offset: "42", key, value }));
    const [batch] = parseKafkaEvent(selfManagedKafkaEvent([record], ["b:9092"]));
    expect(batch).toMatchObject({ topic: "bytes", partition: 4 });
    expect(batch?.records[0]).toMatchObject({ offset: 42n, key: new Uint8Array(key), value: new Uint8Array(value), timestampMs: 1764000000000, sizeBytes: 1256 });
  });
});
