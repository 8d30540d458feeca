// Topic and table names through the CLI a user runs, against the real broker and registry, on
// the embedded default (local warehouse, file catalog, local state): topics whose names fold
// into one table are refused but the first, naming it; `--table` gives them their own; and
// the longest topic Kafka allows is enabled, exported by `run` and read back exactly once.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel, type Admin, type Producer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalStateStore } from "../../../lib/adapters/local/local-state-store.js";
import { defaultTableName, distinctTableName } from "../../../lib/control/table-naming.js";
import { encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { readIcebergTable } from "../../env/iceberg-reader.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";
import { compileMessage } from "../../lib/schema/compile-fixture.js";
import { order, orderSchemaText, registerSchema } from "../ingest/ingest-harness.js";
import { cliBin, projectRoot, runCli } from "./cli-process.js";

describe("topic and table names, through the CLI", () => {
  const environment = testEnvironment();
  const warehouse = join(mkdtempSync(join(tmpdir(), "topic-names-")), "warehouse");
  const flags = ["--warehouse", warehouse, "--brokers", environment.kafkaBootstrap, "--schema-registry-url", environment.schemaRegistryUrl];
  const kafka = new Kafka({ clientId: "topic-names-test", brokers: [environment.kafkaBootstrap], logLevel: logLevel.NOTHING });
  const admin: Admin = kafka.admin();
  const producer: Producer = kafka.producer();
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
  });
  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await Promise.allSettled([admin.disconnect(), producer.disconnect()]);
  });

  async function createTopics(...topics: string[]): Promise<void> {
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
  }

  it("refuses the second and third of Dot.Name, dot_name and dot-name, naming the first; --table lets them into their own tables", async () => {
    const base = uniqueName("names");
    const topics = [`${base}.Dot.Name`, `${base}_dot_name`, `${base}-dot-name`] as const;
    await createTopics(...topics);
    const shared = defaultTableName(topics[0]);

    const first = await runCli(["enable", "--topic", topics[0], ...flags]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${topics[0]}: enabled`);
    for (const topic of [topics[1], topics[2]]) {
      const refused = await runCli(["enable", "--topic", topic, ...flags]);
      expect(refused.code, refused.stderr).toBe(2); // a configuration error
      expect(refused.stderr).toContain(`table kafka.${shared} is already the table of topic ${topics[0]}`);
      expect(refused.stderr).toContain(`--table ${distinctTableName(topic)}`);
      expect(refused.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }
    for (const topic of [topics[1], topics[2]]) {
      const enabled = await runCli(["enable", "--topic", topic, "--table", distinctTableName(topic), ...flags]);
      expect(enabled.code, enabled.stderr).toBe(0);
      expect(enabled.stdout).toContain(`kafka.${distinctTableName(topic)}`);
    }
    for (const [topic, table] of [[topics[0], shared], [topics[1], distinctTableName(topics[1])], [topics[2], distinctTableName(topics[2])]] as const) {
      const readout = await readIcebergTable({ catalog: "local", tableLocation: join(warehouse, "kafka", table) });
      expect(readout.properties["kafka-iceberg-export.topic"]).toBe(topic);
      expect(readout.rows).toEqual([]);
    }
  }, 180_000);

  it("enables a 249-character topic under its derived table name, and run exports each record once", async () => {
    const prefix = uniqueName("long").replaceAll("-", ".");
    const topic = `${prefix}.${"y".repeat(248 - prefix.length)}`;
    expect(topic).toHaveLength(249);
    await createTopics(topic);
    const schemaId = await registerSchema(environment.schemaRegistryUrl, `${topic}-value`, orderSchemaText);
    const table = defaultTableName(topic);

    const enabled = await runCli(["enable", "--topic", topic, ...flags]);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(enabled.stdout).toContain(`kafka.${table}`);

    const orderType = compileMessage(orderSchemaText, "shop.orders.Order");
    const count = 40;
    await producer.send({
      topic,
      messages: Array.from({ length: count }, (_, index) => ({
        key: `k-${index}`,
        value: Buffer.from(encodeConfluentFrame(schemaId, [0], orderType.encode(orderType.fromObject(order(index))).finish())),
      })),
    });

    const groupId = uniqueName("names-group");
    const child = spawn(process.execPath, [cliBin, "run", ...flags, "--topics", topic, "--group-id", groupId, "--commit-frequency-ms", "1000", "--batching-window-ms", "100", "--session-timeout-ms", "6000"], {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));

    const stateStore = createLocalStateStore({ directory: join(warehouse, "_state") });
    const deadline = Date.now() + 150_000;
    for (;;) {
      const watermark = await stateStore.stagedWatermark(topic, 0);
      if (watermark === BigInt(count - 1) && (await stateStore.stagedFiles(`kafka.${table}`)).length === 0) break;
      if (Date.now() > deadline) throw new Error(`timed out waiting for the export; runner output:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill("SIGINT");
    expect(await exited, output).toBe(0);
    expect(output).not.toMatch(/ENAMETOOLONG/);

    const readout = await readIcebergTable({ catalog: "local", tableLocation: join(warehouse, "kafka", table) });
    const ids = readout.rows.map((row) => (row["val"] as { id: string }).id).sort();
    expect(ids).toEqual(Array.from({ length: count }, (_, index) => `order-${index}`).sort());
    for (const file of readout["data-files"]) expect(file.path.slice(file.path.lastIndexOf("/") + 1).length).toBeLessThanOrEqual(255);
  }, 240_000);
});
