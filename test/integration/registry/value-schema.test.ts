import { describe, expect, it } from "vitest";
import type { StructType } from "../../../lib/iceberg/types.js";
import { createSchemaRegistryClient } from "../../../lib/registry/registry-client.js";
import { evolveSchemaState, fieldIdsByPath } from "../../../lib/schema/schema-state.js";
import { latestValueSchema } from "../../../lib/registry/value-schema.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";
import { fixtureProto } from "../../lib/schema/compile-fixture.js";

async function register(subject: string, body: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${testEnvironment().schemaRegistryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: "POST",
    headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { id: number };
  if (!response.ok) throw new Error(`registering ${subject}: ${JSON.stringify(answer)}`);
  return answer.id;
}

describe("the table schema of a topic, from the running registry", () => {
  const registry = createSchemaRegistryClient({ url: testEnvironment().schemaRegistryUrl });

  it("is built from the latest Protobuf schema of the value subject, references included", async () => {
    const commonSubject = uniqueName("shop-common");
    const valueSubject = uniqueName("orders-value");
    await register(commonSubject, { schemaType: "PROTOBUF", schema: fixtureProto("common.proto") });
    const schemaId = await register(valueSubject, {
      schemaType: "PROTOBUF",
      schema: fixtureProto("order.proto"),
      references: [{ name: "common.proto", subject: commonSubject, version: 1 }],
    });

    const valueSchema = await latestValueSchema(registry, { subject: valueSubject });
    expect(valueSchema).toMatchObject({ kind: "protobuf", subject: valueSubject, schemaId, version: 1, messageName: "shop.orders.Order" });
    if (valueSchema.kind !== "protobuf") return;

    const { schema } = evolveSchemaState(undefined, valueSchema.messageType).state;
    const val = schema.fields.find((field) => field.name === "val")?.type as StructType;
    expect(val.fields.map((field) => [field.name, field.type])).toEqual([
      ["id", "string"],
      [
        "total",
        {
          type: "struct",
          fields: [
            { id: 10, name: "currency", required: false, type: "string" },
            { id: 11, name: "units", required: false, type: "long" },
            { id: 12, name: "nanos", required: false, type: "int" },
          ],
        },
      ],
      ["placed_at", "timestamptz"],
      ["tags", { type: "list", "element-id": 13, "element-required": false, element: "string" }],
    ]);
    expect(fieldIdsByPath(schema).get("val.total.units")).toBe(11);
  });

  it("follows a new version of the subject: the new field becomes a new column", async () => {
    const subject = uniqueName("events-value");
    await register(subject, { schemaType: "PROTOBUF", schema: 'syntax = "proto3"; message Event { string id = 1; }' });
    const first = await latestValueSchema(registry, { subject });
    const fresh = createSchemaRegistryClient({ url: testEnvironment().schemaRegistryUrl });
    await register(subject, { schemaType: "PROTOBUF", schema: 'syntax = "proto3"; message Event { string id = 1; int64 size = 2; }' });
    const second = await latestValueSchema(fresh, { subject });
    if (first.kind !== "protobuf" || second.kind !== "protobuf") throw new Error("expected Protobuf schemas");
    expect(second.version).toBe(2);

    const initial = evolveSchemaState(undefined, first.messageType).state;
    const evolved = evolveSchemaState(initial, second.messageType);
    expect(evolved.changed).toBe(true);
    expect(fieldIdsByPath(evolved.state.schema).get("val.size")).toBe(initial.lastColumnId + 1);
  });

  it("exports raw bytes when the default subject is not registered, or holds an Avro schema", async () => {
    expect(await latestValueSchema(registry, { subject: uniqueName("unregistered-value") })).toMatchObject({ kind: "raw" });
    const avroSubject = uniqueName("avro-value");
    await register(avroSubject, { schema: JSON.stringify({ type: "record", name: "R", fields: [{ name: "a", type: "string" }] }) });
    expect(await latestValueSchema(registry, { subject: avroSubject })).toMatchObject({ kind: "raw", reason: expect.stringContaining("AVRO") as unknown });
  });

  it("refuses an explicitly configured subject that is not registered, naming it", async () => {
    const subject = uniqueName("configured-value");
    await expect(latestValueSchema(registry, { subject, subjectIsExplicit: true })).rejects.toMatchObject({
      code: "SCHEMA_NOT_FOUND",
      retryable: false,
      message: expect.stringContaining(subject) as unknown,
    });
  });

  it("names the subject, its version and schema id when the schema does not give the configured message", async () => {
    const subject = uniqueName("wrong-message-value");
    const schemaId = await register(subject, { schemaType: "PROTOBUF", schema: 'syntax = "proto3"; message Event { string id = 1; }' });
    await expect(latestValueSchema(registry, { subject, messageName: "Missing" })).rejects.toMatchObject({
      code: "SCHEMA_INVALID",
      message: expect.stringMatching(new RegExp(`^subject ${subject} \\(version 1, schema id ${schemaId}\\): message "Missing" is not declared`)) as unknown,
    });
  });
});
