// SPEC.md §3's empty messages and recursion through the CLI a user runs, on the embedded
// default: `enable` of such a topic, records staged and committed with `invoke`, the table
// read by pyiceberg; and `enable` of a value message that maps to no column fails with one
// line naming the topic, the subject, the message and the field, no stack trace.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { readIcebergTable } from "../../env/iceberg-reader.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";
import { compileFixtureMessage, fixtureProto } from "../../lib/schema/compile-fixture.js";
import { registerSchema } from "../ingest/ingest-harness.js";
import { eventMessage, expectedVal } from "../schema/empty-messages-table.js";
import { runCli } from "./cli-process.js";

async function createTopic(topic: string): Promise<void> {
  const admin = new Kafka({ clientId: "empty-messages-cli-test", brokers: [testEnvironment().kafkaBootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

describe("empty messages and recursion through the CLI", () => {
  const environment = testEnvironment();

  it("enables such a topic, and invoke ingest and commit export its records: every field with a column, none without", async () => {
    const topic = uniqueName("empty-cli");
    await createTopic(topic);
    const schemaId = await registerSchema(environment.schemaRegistryUrl, `${topic}-value`, fixtureProto("empty/event.proto"));
    const directory = mkdtempSync(join(tmpdir(), "empty-cli-"));
    const warehouse = join(directory, "warehouse");
    const flags = ["--warehouse", warehouse, "--schema-registry-url", environment.schemaRegistryUrl];

    const enabled = await runCli(["enable", "--topic", topic, "--brokers", environment.kafkaBootstrap, ...flags]);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(enabled.stdout).toContain("values: fixtures.empty.Event");

    const event = compileFixtureMessage("empty/event.proto", "Event");
    const records = Array.from({ length: 5 }, (_, index) => ({
      topic,
      partition: 0,
      offset: index,
      timestamp: Date.UTC(2026, 11, 2, 12, 0, index),
      timestampType: "CREATE_TIME",
      key: Buffer.from(`k${index}`).toString("base64"),
      value: Buffer.from(encodeConfluentFrame(schemaId, [0], event.encode(event.fromObject(eventMessage(index))).finish())).toString("base64"),
      headers: [],
    }));
    const eventFile = join(directory, "event.json");
    writeFileSync(eventFile, JSON.stringify({ eventSource: "aws:kafka", eventSourceArn: "arn:aws:kafka:us-east-1:123456789012:cluster/test/0", records: { [`${topic}-0`]: records } }));
    const ingest = await runCli(["invoke", "ingest", "--event", eventFile, ...flags]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const commit = await runCli(["invoke", "commit", ...flags]);
    expect(commit.code, commit.stderr).toBe(0);

    const table = await readIcebergTable({ catalog: "local", tableLocation: join(warehouse, "kafka", topic.replaceAll("-", "_")) });
    const vals = table.rows.map((row) => row["val"] as Record<string, unknown>).sort((a, b) => (a["count"] as number) - (b["count"] as number));
    expect(vals).toEqual(records.map((_, index) => expectedVal(index)));
  });

  it("refuses a value message with no field that maps to a column in one line naming topic, subject, message and field", async () => {
    const topic = uniqueName("nothing-cli");
    await createTopic(topic);
    await registerSchema(environment.schemaRegistryUrl, `${topic}-value`, fixtureProto("empty/nothing.proto"));
    const warehouse = join(mkdtempSync(join(tmpdir(), "nothing-cli-")), "warehouse");

    const enabled = await runCli(["enable", "--topic", topic, "--brokers", environment.kafkaBootstrap, "--warehouse", warehouse, "--schema-registry-url", environment.schemaRegistryUrl]);
    expect(enabled.code).toBe(1);
    expect(enabled.stderr).toMatch(new RegExp(`^error: topic ${topic}, subject ${topic}-value, message fixtures\\.empty\\.Nothing: field val: no field of the message maps to a column .*\\[SCHEMA_INVALID\\]\\n$`));
    expect(enabled.stderr).not.toMatch(/^\s+at /m);
  });
});
