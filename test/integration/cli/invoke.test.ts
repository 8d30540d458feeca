// `invoke ingest --event FILE` and `invoke commit` run the Lambda handlers on this machine,
// configured by flags, as `serverless invoke local` would: here on the embedded default.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { readIcebergTable } from "../../env/iceberg-reader.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";
import { runCli } from "./cli-process.js";

interface FixtureEvent {
  records: Record<string, { topic: string; key?: string | null }[]>;
}

describe("kafka-iceberg-export invoke", () => {
  it("stages a Kafka event with the ingest handler, then commits it with the commit handler", async () => {
    const environment = testEnvironment();
    const topic = uniqueName("invoke");
    const directory = mkdtempSync(join(tmpdir(), "invoke-"));
    const warehouse = join(directory, "warehouse");
    const admin = new Kafka({ clientId: "invoke-test", brokers: [environment.kafkaBootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();

    // The MSK fixture, moved to this test's topic.
    const fixture = readFileSync(new URL("../../fixtures/events/msk-event.json", import.meta.url), "utf8");
    const event = JSON.parse(fixture.replaceAll('"orders', `"${topic}`)) as FixtureEvent;
    const eventFile = join(directory, "event.json");
    writeFileSync(eventFile, JSON.stringify(event));
    const keys = Object.values(event.records).flatMap((records) => records.map((record) => record.key ?? null));

    // A relative warehouse, as the README's tour writes it: every command resolves it against its working directory.
    const inDirectory = { cwd: directory };
    const enabled = await runCli(["enable", "--topic", topic, "--warehouse", "warehouse", "--brokers", environment.kafkaBootstrap], inDirectory);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(enabled.stdout).toContain("values are exported as raw bytes");

    const ingest = await runCli(["invoke", "ingest", "--event", eventFile, "--warehouse", "warehouse"], inDirectory);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toContain('"message":"batch staged"');
    expect(ingest.stdout).toContain('"RecordsExported"');

    const staged = await runCli(["status", "--topic", topic, "--json", "--warehouse", "warehouse"], inDirectory);
    const [status] = JSON.parse(staged.stdout) as { backlog: { files: number; records: number }; lastSnapshot?: unknown }[];
    expect(status?.backlog).toMatchObject({ files: 2, records: keys.length });
    expect(status?.lastSnapshot).toBeUndefined();

    const commit = await runCli(["invoke", "commit", "--warehouse", "warehouse"], inDirectory);
    expect(commit.code, commit.stderr).toBe(0);

    const table = await readIcebergTable({ catalog: "local", tableLocation: join(warehouse, "kafka", topic.replaceAll("-", "_")) });
    expect(table.rows.map((row) => (row["key"] as { __raw__: string | null }).__raw__).sort()).toEqual([...keys].sort());
    expect(table.snapshots).toHaveLength(1);
  });

  it("names the function to invoke and a missing event file", async () => {
    const unknown = await runCli(["invoke", "compact", "--warehouse", "/tmp/w"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("name the function to invoke: ingest or commit, not 'compact'");
    const missing = await runCli(["invoke", "ingest", "--event", "/no/such/event.json", "--warehouse", "/tmp/w"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--event /no/such/event.json cannot be read");
  });
});
