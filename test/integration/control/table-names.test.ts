// Topic and table names against the real broker, registry, Glue and DynamoDB (moto): each
// topic has its own table (SPEC.md §2.6), and a name the catalog or store cannot hold is
// refused at `enable` with a suggestion, never at every later write.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalStateStore } from "../../../lib/adapters/local/local-state-store.js";
import { enableTopic } from "../../../lib/control/enable-topic.js";
import { defaultTableName, distinctTableName } from "../../../lib/control/table-naming.js";
import { readIcebergTable } from "../../env/iceberg-reader.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";
import { orderSchemaText, registerSchema } from "../ingest/ingest-harness.js";
import { createControlHarness, type ControlHarness } from "./control-harness.js";

describe("table names at enable, against the broker, the registry and moto", () => {
  let harness: ControlHarness;
  beforeAll(async () => {
    harness = await createControlHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  async function createNamedTopic(topic: string): Promise<string> {
    await harness.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    return topic;
  }

  it("refuses a second and third topic whose names fold into the first one's table, naming it; --table gives each its own", async () => {
    const base = uniqueName("names");
    const [dotted, underscored, dashed] = await Promise.all([`${base}.Dot.Name`, `${base}_dot_name`, `${base}-dot-name`].map(createNamedTopic));
    if (dotted === undefined || underscored === undefined || dashed === undefined) throw new Error("no topics");
    const shared = defaultTableName(dotted);
    expect(defaultTableName(underscored)).toBe(shared);
    expect(defaultTableName(dashed)).toBe(shared);
    await registerSchema(testEnvironment().schemaRegistryUrl, `${dotted}-value`, orderSchemaText);

    const first = await enableTopic({ topic: dotted }, harness.context);
    expect(first.topicExport.table.name).toBe(shared);
    const schemaBefore = await harness.context.stateStore.schemaState(`${harness.database}.${shared}`);

    for (const topic of [underscored, dashed]) {
      const refusal = enableTopic({ topic }, harness.context);
      await expect(refusal).rejects.toMatchObject({ code: "CONFIGURATION", retryable: false });
      await expect(refusal).rejects.toThrow(`table ${harness.database}.${shared} is already the table of topic ${dotted}`);
      await expect(refusal).rejects.toThrow(`e.g. --table ${distinctTableName(topic)}`);
      expect(await harness.context.stateStore.topicExport(topic)).toBeUndefined();
    }
    // The refused topics (raw values) never touched the first table's schema.
    expect(await harness.context.stateStore.schemaState(`${harness.database}.${shared}`)).toEqual(schemaBefore);

    for (const topic of [underscored, dashed]) {
      const outcome = await enableTopic({ topic, table: distinctTableName(topic) }, harness.context);
      expect(outcome.status).toBe("enabled");
      expect(outcome.topicExport.table.name).toBe(distinctTableName(topic));
      const table = await readIcebergTable({ catalog: "glue", endpoint: testEnvironment().awsEndpoint, database: harness.database, table: distinctTableName(topic) });
      expect(table.properties["kafka-iceberg-export.topic"]).toBe(topic);
      expect(table.rows).toEqual([]);
    }
    // Naming the taken table explicitly is refused as well.
    const fourth = await createNamedTopic(`${base}-fourth`);
    await expect(enableTopic({ topic: fourth, table: shared }, harness.context)).rejects.toThrow(`is already the table of topic ${dotted}; two topics never share a table`);
  }, 180_000);

  it("refuses a table another deployment's topic created, read from the table itself", async () => {
    const owner = await harness.createTopic({ partitions: 1 });
    const created = await enableTopic({ topic: owner }, harness.context);
    const stranger = await harness.createTopic({ partitions: 1 });
    // A second export with a state of its own, over the same Glue database.
    const otherState = createLocalStateStore({ directory: join(mkdtempSync(join(tmpdir(), "names-state-")), "state") });
    const refusal = enableTopic({ topic: stranger, table: created.topicExport.table.name }, { ...harness.context, stateStore: otherState });
    await expect(refusal).rejects.toThrow(`table ${harness.database}.${created.topicExport.table.name} already holds topic ${owner}`);
    expect(await otherState.topicExport(stranger)).toBeUndefined();
  });

  it("enables the longest topic Kafka allows into a valid table of its derived name", async () => {
    const prefix = uniqueName("long").replaceAll("-", ".");
    const topic = await createNamedTopic(`${prefix}.${"x".repeat(248 - prefix.length)}`);
    expect(topic).toHaveLength(249);
    const outcome = await enableTopic({ topic }, harness.context);
    expect(outcome.topicExport.table.name).toBe(defaultTableName(topic));
    expect(outcome.topicExport.table.name).toHaveLength(249);
    const table = await readIcebergTable({ catalog: "glue", endpoint: testEnvironment().awsEndpoint, database: harness.database, table: outcome.topicExport.table.name });
    expect(table.rows).toEqual([]);
  });

  it("refuses a table name longer than Glue holds, suggesting one", async () => {
    const topic = await harness.createTopic({ partitions: 1 });
    await expect(enableTopic({ topic, table: "t".repeat(256) }, harness.context)).rejects.toThrow(/--table: 't{60}…' \(256 characters\) is not a valid table name: .* at most 255 characters, e.g. --table /);
    expect(await harness.context.stateStore.topicExport(topic)).toBeUndefined();
  });
});
