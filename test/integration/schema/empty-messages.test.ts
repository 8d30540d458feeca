// SPEC.md §3, "Empty messages and points of recursion", end to end on the real servers: the
// schema from the registry, `enable` against the broker, ingest and commit to Glue and S3 on
// moto, and the table read back by pyiceberg.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tableLocationFor } from "../../../lib/catalog/table-location.js";
import { loadOrCreateExportTable } from "../../../lib/commit/export-table.js";
import { enableTopic } from "../../../lib/control/enable-topic.js";
import type { NestedField, StructType } from "../../../lib/iceberg/types.js";
import { evolveSchemaState } from "../../../lib/schema/schema-state.js";
import type { TopicExport } from "../../../lib/state/state-store.js";
import type { IcebergField, IcebergTableReadout, IcebergType } from "../../env/iceberg-reader.js";
import { testEnvironment } from "../../env/test-environment.js";
import { compileFixtureMessage, fixtureProto } from "../../lib/schema/compile-fixture.js";
import { createControlHarness, type ControlHarness } from "../control/control-harness.js";
import { registerSchema } from "../ingest/ingest-harness.js";
import { evolveEmptyMessagesTable, exportEmptyMessagesTable, readEmptyMessagesTable } from "./empty-messages-table.js";

function currentFields(readout: IcebergTableReadout): IcebergField[] {
  return readout.schemas.find((schema) => schema["schema-id"] === readout["current-schema-id"])?.fields ?? [];
}

function valFields(readout: IcebergTableReadout): IcebergField[] {
  const val = currentFields(readout).find((field) => field.name === "val")?.type;
  return typeof val === "object" && val.type === "struct" ? val.fields : [];
}

/** Every struct of a type, however deep, that has no field: what Iceberg-Java refuses to write. */
function emptyStructs(type: IcebergType, path: string): string[] {
  if (typeof type === "string") return [];
  if (type.type === "struct") return type.fields.length === 0 ? [path] : type.fields.flatMap((field) => emptyStructs(field.type, `${path}.${field.name}`));
  if (type.type === "list") return emptyStructs(type.element, `${path}.element`);
  return emptyStructs(type.value, `${path}.value`);
}

function ids(readout: IcebergTableReadout): number[] {
  const found: number[] = [];
  function visit(type: IcebergType): void {
    if (typeof type === "string") return;
    if (type.type === "struct") {
      for (const field of type.fields) {
        found.push(field.id);
        visit(field.type);
      }
    } else if (type.type === "list") {
      found.push(type["element-id"]);
      visit(type.element);
    } else {
      found.push(type["key-id"], type["value-id"]);
      visit(type.value);
    }
  }
  for (const schema of readout.schemas) visit({ type: "struct", fields: schema.fields });
  return found;
}

describe("a topic whose messages hold empty messages and recursion, exported and read back by pyiceberg", () => {
  let harness: ControlHarness;
  beforeAll(async () => {
    harness = await createControlHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it("is enabled, has no column for Empty, empty messages or recursion, and holds every other field of every record", async () => {
    const table = await exportEmptyMessagesTable(harness, { records: 20 });
    expect(table.enabled.status).toBe("enabled");
    const readout = await readEmptyMessagesTable(table);

    expect(valFields(readout).map((field) => field.name)).toEqual(["id", "tree", "department", "count", "error"]);
    expect(emptyStructs({ type: "struct", fields: currentFields(readout) }, "")).toEqual([]);
    const rows = readout.rows.map((row) => row["val"] as Record<string, unknown>).sort((a, b) => (a["count"] as number) - (b["count"] as number));
    expect(rows).toEqual(table.expectedVals);
    expect(readout.snapshots).toHaveLength(1);
  });

  it("gives the fields of an empty message that gained a field new struct columns with fresh ids; earlier rows read null there", async () => {
    const table = await exportEmptyMessagesTable(harness, { records: 6 });
    const before = await readEmptyMessagesTable(table);
    await evolveEmptyMessagesTable(harness, table, { records: 4 });
    const after = await readEmptyMessagesTable(table);

    expect(valFields(after).map((field) => field.name)).toEqual(["id", "tree", "department", "count", "error", "marker", "markers", "markers_by_name"]);
    expect(after["current-schema-id"]).toBe(before["current-schema-id"] + 1);
    const earlierIds = new Set(ids(before));
    const newIds = ids(after).filter((id) => !earlierIds.has(id));
    expect(newIds.length).toBeGreaterThan(0);
    expect(Math.min(...newIds)).toBeGreaterThan(Math.max(...earlierIds));
    expect(emptyStructs({ type: "struct", fields: currentFields(after) }, "")).toEqual([]);
    const rows = after.rows.map((row) => row["val"] as Record<string, unknown>).sort((a, b) => (a["count"] as number) - (b["count"] as number));
    expect(rows).toEqual(table.expectedVals);
  });

  it("drops the empty struct columns of a table made before SPEC.md §3 left them out, with a new schema; ids are not reused", async () => {
    const event = compileFixtureMessage("empty/event.proto", "Event");
    const empty: StructType = { type: "struct", fields: [] };
    let legacyIds: number[] = [];
    const table = await exportEmptyMessagesTable(harness, {
      records: 5,
      // The schema state and the table as an earlier version made them: Empty as an empty
      // struct, the recursion as a list of one.
      async beforeEnable(topic) {
        const current = evolveSchemaState(undefined, event).state;
        let id = current.lastColumnId;
        legacyIds = [id + 1, id + 2, id + 3];
        const legacyFields: NestedField[] = [
          { id: ++id, name: "ping", required: false, type: empty },
          { id: ++id, name: "pings", required: false, type: { type: "list", "element-id": ++id, "element-required": false, element: empty } },
        ];
        const schema = { ...current.schema, fields: current.schema.fields.map((field) => (field.name === "val" && typeof field.type === "object" && field.type.type === "struct" ? { ...field, type: { ...field.type, fields: [...field.type.fields, ...legacyFields] } } : field)) };
        const identifier = { namespace: harness.database, name: topic.replaceAll("-", "_") };
        await harness.context.stateStore.saveSchemaState(`${identifier.namespace}.${identifier.name}`, { formatVersion: 1, lastColumnId: id, schema }, undefined);
        const warehouse = harness.context.warehouse;
        if (warehouse === undefined) throw new Error("the control harness on Glue has a warehouse");
        const topicExport: TopicExport = {
          topic,
          enabled: false,
          table: identifier,
          tableLocation: tableLocationFor(warehouse, identifier),
          startOffsets: {},
          valueSubject: `${topic}-value`,
          subjectIsExplicit: false,
          partitioning: "day",
          updatedAt: new Date().toISOString(),
        };
        await loadOrCreateExportTable(topicExport, schema, harness.context);
      },
    });
    const readout = await readEmptyMessagesTable(table);
    expect(readout.schemas).toHaveLength(2);
    const legacy = readout.schemas.find((schema) => schema["schema-id"] !== readout["current-schema-id"]);
    expect(emptyStructs({ type: "struct", fields: legacy?.fields ?? [] }, "")).toEqual([".val.ping", ".val.pings.element"]);
    expect(emptyStructs({ type: "struct", fields: currentFields(readout) }, "")).toEqual([]);
    expect(valFields(readout).map((field) => field.name)).toEqual(["id", "tree", "department", "count", "error"]);
    const rows = readout.rows.map((row) => row["val"] as Record<string, unknown>).sort((a, b) => (a["count"] as number) - (b["count"] as number));
    expect(rows).toEqual(table.expectedVals);

    // The marker gains a field: its new columns take ids after every id the legacy state gave.
    await evolveEmptyMessagesTable(harness, table, { records: 2 });
    const evolved = await readEmptyMessagesTable(table);
    const marker = valFields(evolved).find((field) => field.name === "marker");
    expect(marker?.id).toBeGreaterThan(Math.max(...legacyIds));
  });

  it("refuses, naming the topic, the subject, the message and val, a value message with no field that maps to a column; nothing is created", async () => {
    const topic = await harness.createTopic({ partitions: 1 });
    await registerSchema(testEnvironment().schemaRegistryUrl, `${topic}-value`, fixtureProto("empty/nothing.proto"));
    const refusal = enableTopic({ topic }, harness.context);
    await expect(refusal).rejects.toMatchObject({ code: "SCHEMA_INVALID", retryable: false });
    await expect(refusal).rejects.toThrow(`topic ${topic}, subject ${topic}-value, message fixtures.empty.Nothing: field val: no field of the message maps to a column`);
    expect(await harness.context.stateStore.topicExport(topic)).toBeUndefined();
    expect(await harness.context.catalog.loadTable({ namespace: harness.database, name: topic.replaceAll("-", "_") })).toBeUndefined();
  });

  it("refuses fields that differ only by case, naming them, before the table or its schema state exists", async () => {
    const topic = await harness.createTopic({ partitions: 1 });
    const schema = 'syntax = "proto3";\npackage fixtures.cases;\nmessage Person {\n  string name = 1;\n  string Name = 2;\n  Address home = 3;\n}\nmessage Address { string city = 1; string CITY = 2; }\n';
    await registerSchema(testEnvironment().schemaRegistryUrl, `${topic}-value`, schema);
    const refusal = enableTopic({ topic }, harness.context);
    await expect(refusal).rejects.toMatchObject({ code: "SCHEMA_INVALID" });
    await expect(refusal).rejects.toThrow(`topic ${topic}, subject ${topic}-value, message fixtures.cases.Person: the table could not be queried through Glue and Athena`);
    await expect(refusal).rejects.toThrow("fields val.name and val.Name differ only by case");
    await expect(refusal).rejects.toThrow("fields val.home.city and val.home.CITY differ only by case");
    const tableName = topic.replaceAll("-", "_");
    expect(await harness.context.stateStore.schemaState(`${harness.database}.${tableName}`)).toBeUndefined();
    expect(await harness.context.catalog.loadTable({ namespace: harness.database, name: tableName })).toBeUndefined();
  });
});
