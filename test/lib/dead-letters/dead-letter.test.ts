import { describe, expect, it } from "vitest";
import { deadLetterOfEventRecord, deadLetterOfRecord, framedSchemaId } from "../../../lib/dead-letters/dead-letter.js";
import { deadLetterExportOf, deadLetterTableCommitted, deadLettersOn } from "../../../lib/dead-letters/dead-letter-table.js";
import { newDeadLetterSchema } from "../../../lib/dead-letters/dead-letter-schema.js";
import type { TopicExport } from "../../../lib/state/state-store.js";

const topicExport: TopicExport = {
  topic: "orders",
  enabled: true,
  table: { namespace: "kafka", name: "orders" },
  tableLocation: "s3://lake/warehouse/kafka/orders/",
  startOffsets: {},
  valueSubject: "orders-value",
  subjectIsExplicit: false,
  partitioning: "day",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

describe("a dead letter", () => {
  it("names the schema id of a Confluent header, whatever follows it, and none otherwise", () => {
    expect(framedSchemaId(Uint8Array.of(0, 0, 0, 1, 2))).toBe(258);
    expect(framedSchemaId(Uint8Array.of(0, 0, 0, 1))).toBeNull();
    expect(framedSchemaId(Uint8Array.of(1, 0, 0, 1, 2, 0))).toBeNull();
    expect(framedSchemaId(null)).toBeNull();
  });

  it("keeps a record's own bytes, and no timestamp the table cannot hold", () => {
    const record = { offset: 7n, timestampMs: 8.7e15, timestampType: "CREATE_TIME", key: null, value: Uint8Array.of(0, 0, 0, 0, 3, 0, 9), headers: [{ key: "h", value: null }], sizeBytes: 7 };
    const where = { topic: "orders", partition: 2 };
    expect(deadLetterOfRecord(record, where, { reason: "timestamp", detail: "too late", rejectedAtMs: 5 })).toEqual({
      topic: "orders",
      partition: 2,
      offset: 7n,
      timestampMs: null,
      key: null,
      value: record.value,
      headers: record.headers,
      reason: "timestamp",
      detail: "too late",
      schemaId: 3,
      rejectedAtMs: 5,
    });
    expect(deadLetterOfRecord({ ...record, timestampMs: 1000 }, where, { reason: "payload", detail: "truncated", rejectedAtMs: 5 }).timestampMs).toBe(1000);
  });

  it("keeps a malformed event record as the JSON it was", () => {
    const eventRecord = { offset: 3, value: "not base64!" };
    const deadLetter = deadLetterOfEventRecord(eventRecord, { topic: "orders", partition: 0, offset: 3n }, { detail: "bad base64", rejectedAtMs: 1 });
    expect(new TextDecoder().decode(deadLetter.value ?? undefined)).toBe(JSON.stringify(eventRecord));
    expect(deadLetter).toMatchObject({ reason: "malformed-event", key: null, headers: [], schemaId: null });
  });
});

describe("the dead-letter table of a topic", () => {
  it("sits beside the topic's table, unpartitioned, for the same topic", () => {
    expect(deadLetterExportOf(topicExport)).toMatchObject({ topic: "orders", table: { namespace: "kafka", name: "orders__dead_letters" }, tableLocation: "s3://lake/warehouse/kafka/orders__dead_letters", partitioning: "none" });
  });

  it("is kept as the topic chooses, else as the deployment's default; committed once either chose", () => {
    expect(deadLettersOn(topicExport, false)).toBe(false);
    expect(deadLettersOn(topicExport, true)).toBe(true);
    expect(deadLettersOn({ ...topicExport, deadLetters: false }, true)).toBe(false);
    expect(deadLetterTableCommitted(topicExport, false)).toBe(false);
    expect(deadLetterTableCommitted({ ...topicExport, deadLetters: false }, false)).toBe(true);
  });

  it("has the columns a dead letter needs, ids allocated once", () => {
    const schema = newDeadLetterSchema();
    expect(schema.fields.map((field) => [field.id, field.name, typeof field.type === "string" ? field.type : field.type.type])).toEqual([
      [1, "topic", "string"],
      [2, "partition", "int"],
      [3, "offset", "long"],
      [4, "timestamp", "timestamptz"],
      [5, "key", "binary"],
      [6, "value", "binary"],
      [7, "headers", "list"],
      [8, "reason", "string"],
      [9, "detail", "string"],
      [10, "schema_id", "int"],
      [11, "rejected_at", "timestamptz"],
    ]);
  });
});
