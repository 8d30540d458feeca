// The CLI over an Iceberg REST catalog (the test environment's server) with a local warehouse
// folder and local state: `enable` creates the table through the catalog and prints how to
// read it with pyiceberg, `invoke ingest` and `invoke commit` export a Kafka event into it,
// `status` shows it, and the printed pyiceberg line reads it.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { readIcebergTable } from "../../env/iceberg-reader.js";
import { pythonBin } from "../../env/python.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";
import { runCli, runCommandLine } from "./cli-process.js";

describe("the CLI with --catalog rest", () => {
  it("enables, ingests, commits and shows a topic's table through the REST catalog; the printed pyiceberg line reads it", async () => {
    const environment = testEnvironment();
    const topic = uniqueName("rest-cli");
    const namespace = uniqueName("rest_cli").replaceAll("-", "_");
    const directory = mkdtempSync(join(tmpdir(), "rest-cli-"));
    const warehouse = join(directory, "warehouse");
    const admin = new Kafka({ clientId: "rest-cli-test", brokers: [environment.kafkaBootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const fixture = readFileSync(new URL("../../fixtures/events/msk-event.json", import.meta.url), "utf8");
    const eventFile = join(directory, "event.json");
    writeFileSync(eventFile, fixture.replaceAll('"orders', `"${topic}`));
    const catalogFlags = ["--catalog", "rest", "--catalog-uri", environment.restCatalogUrl, "--namespace", namespace, "--warehouse", warehouse];

    const enabled = await runCli(["enable", "--topic", topic, "--brokers", environment.kafkaBootstrap, ...catalogFlags]);
    expect(enabled.code, enabled.stderr).toBe(0);
    const table = `${namespace}.${topic.replaceAll("-", "_")}`;
    const tableLocation = join(warehouse, namespace, topic.replaceAll("-", "_"));
    expect(enabled.stdout).toContain(`table      ${table}`);
    expect(enabled.stdout).toContain(`location   ${tableLocation}`);
    const hint = enabled.stdout.split("\n").find((line) => line.includes("load_catalog('rest'"));
    expect(hint).toContain(`uri='${environment.restCatalogUrl}'`);

    const ingest = await runCli(["invoke", "ingest", "--event", eventFile, ...catalogFlags]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const commit = await runCli(["invoke", "commit", ...catalogFlags]);
    expect(commit.code, commit.stderr).toBe(0);

    const status = await runCli(["status", "--topic", topic, "--json", ...catalogFlags]);
    expect(status.code, status.stderr).toBe(0);
    const [shown] = JSON.parse(status.stdout) as { table: string; tableLocation: string; backlog: { files: number }; lastSnapshot?: unknown }[];
    expect(shown).toMatchObject({ table, tableLocation, backlog: { files: 0 } });
    expect(shown?.lastSnapshot).toBeDefined();

    const readout = await readIcebergTable({ catalog: "rest", uri: environment.restCatalogUrl, endpoint: environment.awsEndpoint, database: namespace, table: topic.replaceAll("-", "_") });
    expect(readout.rows.length).toBeGreaterThan(0);
    expect(readout.snapshots).toHaveLength(1);

    // The hint as a user would paste it: `python3 -c "<program>"`.
    const program = /python3 -c "(.*)"$/.exec(hint?.trim() ?? "")?.[1] ?? "";
    const read = await runCommandLine(pythonBin, ["-c", program]);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout.trim()).toBe(String(readout.rows.length));
  });
});
