// Dead letters through the CLI a user runs, on the embedded default with the real broker and
// registry: `enable --dead-letters`, the ingest and commit handlers (`invoke`), then
// `status`, `dead-letters` and `replay` after a schema fix, read back by pyiceberg and
// Iceberg-Java.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { readIcebergTable } from "../../env/iceberg-reader.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";
import { compileMessage } from "../../lib/schema/compile-fixture.js";
import { order, orderSchemaText, registerSchema } from "../ingest/ingest-harness.js";
import { runCli } from "./cli-process.js";

describe("dead-letters and replay, through the CLI", () => {
  it("keeps what cannot be exported, shows it without its bytes unless asked, and replays it once after a schema fix", async () => {
    const environment = testEnvironment();
    const topic = uniqueName("dead-letters-cli");
    const table = topic.replaceAll("-", "_");
    const directory = mkdtempSync(join(tmpdir(), "dead-letters-cli-"));
    const warehouse = join(directory, "warehouse");
    const admin = new Kafka({ clientId: "dead-letters-cli-test", brokers: [environment.kafkaBootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const schemaId = await registerSchema(environment.schemaRegistryUrl, `${topic}-value`, orderSchemaText);
    const orderType = compileMessage(orderSchemaText, "shop.orders.Order");
    const flags = ["--warehouse", warehouse, "--schema-registry-url", environment.schemaRegistryUrl];

    const enabled = await runCli(["enable", "--topic", topic, "--dead-letters", "--brokers", environment.kafkaBootstrap, ...flags]);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(enabled.stdout).toContain(`dead letters  kept in kafka.${table}__dead_letters`);

    const valid = encodeConfluentFrame(schemaId, [0], orderType.encode(orderType.fromObject(order(0))).finish());
    const wrongMagic = Uint8Array.from([0x09, ...valid.subarray(1)]);
    const badName = encodeConfluentFrame(schemaId, [0], Uint8Array.from([...orderType.encode(orderType.fromObject({ id: "order-2" })).finish(), 0x3a, 4, 0x0a, 2, 0xc3, 0x28]));
    const record = (offset: number, value: Uint8Array) => ({ topic, partition: 0, offset, timestamp: Date.UTC(2026, 10, 24) + offset, timestampType: "CREATE_TIME", key: Buffer.from(`key-${offset}`).toString("base64"), value: Buffer.from(value).toString("base64"), headers: [] });
    const eventFile = join(directory, "event.json");
    writeFileSync(eventFile, JSON.stringify({ eventSource: "aws:kafka", records: { [`${topic}-0`]: [record(0, valid), record(1, wrongMagic), record(2, badName)] } }));

    const ingest = await runCli(["invoke", "ingest", "--event", eventFile, ...flags]);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toMatch(/"DeadLettersWritten":\s*\[?2/);
    const commit = await runCli(["invoke", "commit", ...flags]);
    expect(commit.code, commit.stderr).toBe(0);

    const status = await runCli(["status", "--topic", topic, ...flags]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`dead letters  2 in kafka.${table}__dead_letters, 0 of them replayed`);

    const shown = await runCli(["dead-letters", "--topic", topic, ...flags]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`${topic}: 2 dead letter(s) in kafka.${table}__dead_letters, 2 not replayed`);
    expect(shown.stdout).toMatch(/payload\s+1\s+0/);
    expect(shown.stdout).toMatch(/wire-format\s+1\s+0/);
    expect(shown.stdout).toMatch(/0\s+1\s+wire-format\s+\S+\s+no\s+not in the Confluent wire format: wrong magic byte 0x09/);
    expect(shown.stdout).not.toContain(Buffer.from(wrongMagic).toString("base64"));
    const withBytes = await runCli(["dead-letters", "--topic", topic, "--show-bytes", "--json", ...flags]);
    const report = JSON.parse(withBytes.stdout) as { latest: { offset: string; value: string; key: string }[] };
    expect(report.latest.find((entry) => entry.offset === "1")).toMatchObject({ value: Buffer.from(wrongMagic).toString("base64"), key: Buffer.from("key-1").toString("base64") });

    await registerSchema(environment.schemaRegistryUrl, `${topic}-value`, orderSchemaText.replace("    string name = 1;", "    bytes name = 1;"));
    const replayed = await runCli(["replay", "--topic", topic, ...flags]);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stdout).toMatch(new RegExp(`^${topic}: 1 dead letter\\(s\\) replayed into the table \\(snapshot \\d+\\); 0 replayed before; 1 still fail`));
    expect(replayed.stdout).toContain("still fails: partition 0 offset 1: wire-format: not in the Confluent wire format: wrong magic byte 0x09");
    const again = await runCli(["replay", "--topic", topic, "--reason", "payload", ...flags]);
    expect(again.stdout).toMatch(/0 dead letter\(s\) replayed into the table; 1 replayed before; 0 still fail/);

    const rows = (await readIcebergTable({ catalog: "local", tableLocation: join(warehouse, "kafka", table) })).rows;
    expect(rows.map((row) => (row["val"] as { id: string }).id).sort()).toEqual(["order-0", "order-2"]);
    expect((await runCli(["status", "--topic", topic, ...flags])).stdout).toContain("2 in kafka");
    expect((await runCli(["dead-letters", "--topic", topic, ...flags])).stdout).toMatch(/payload\s+1\s+1/);

    // Turned off for a topic already enabled: only that changes; what was kept stays.
    const off = await runCli(["enable", "--topic", topic, "--no-dead-letters", "--brokers", environment.kafkaBootstrap, ...flags]);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toContain(`${topic}: was already enabled; dead letters are no longer kept from now on`);
    expect((await runCli(["dead-letters", "--topic", topic, ...flags])).stdout).toContain(`${topic}: 2 dead letter(s)`);

    const reserved = await runCli(["enable", "--topic", topic, "--table", `${table}__dead_letters`, "--brokers", environment.kafkaBootstrap, ...flags]);
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toContain(`ends with __dead_letters, which names the dead-letter table of '${table}'`);
    const badReason = await runCli(["replay", "--topic", topic, "--reason", "nonsense", ...flags]);
    expect(badReason.code).toBe(2);
    expect(badReason.stderr).toContain("--reason must be one of wire-format, payload, timestamp, malformed-event");
  }, 300_000);
});
