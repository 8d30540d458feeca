// The end-to-end check, through the CLI a user runs, against the real broker and
// registry, on the embedded default (local warehouse, file catalog, local state):
// records produced before `enable` and while disabled are never exported; everything else is
// exported exactly once, also when `run` is killed with SIGKILL mid-stream and restarted.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel, type Admin, type Message, type Producer } from "kafkajs";
import type protobuf from "protobufjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalStateStore } from "../../../lib/adapters/local/local-state-store.js";
import { encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import type { StateStore } from "../../../lib/state/state-store.js";
import { readIcebergTable } from "../../env/iceberg-reader.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";
import { compileMessage } from "../../lib/schema/compile-fixture.js";
import { order, orderSchemaText, registerSchema } from "../ingest/ingest-harness.js";
import { cliBin, projectRoot, runCli } from "./cli-process.js";

const partitions = 3;

interface RunningCli {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

describe("enable, run, disable, enable, SIGKILL and restart, through the CLI", () => {
  const environment = testEnvironment();
  const topic = uniqueName("lifecycle");
  const table = topic.replaceAll("-", "_");
  const groupId = uniqueName("lifecycle-group");
  const warehouse = join(mkdtempSync(join(tmpdir(), "lifecycle-")), "warehouse");
  const tableLocation = join(warehouse, "kafka", table);
  const kafka = new Kafka({ clientId: "lifecycle-test", brokers: [environment.kafkaBootstrap], logLevel: logLevel.NOTHING });
  const admin: Admin = kafka.admin();
  const producer: Producer = kafka.producer();
  let orderType: protobuf.Type;
  let schemaId: number;
  let stateStore: StateStore;
  const running: RunningCli[] = [];
  /** id → how it was produced; only records that must end in the table. */
  const expected = new Map<string, { key: string | null; tombstone: boolean; headers: boolean }>();
  const flags = ["--warehouse", warehouse, "--brokers", environment.kafkaBootstrap, "--schema-registry-url", environment.schemaRegistryUrl];

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    schemaId = await registerSchema(environment.schemaRegistryUrl, `${topic}-value`, orderSchemaText);
    orderType = compileMessage(orderSchemaText, "shop.orders.Order");
    stateStore = createLocalStateStore({ directory: join(warehouse, "_state") });
  });
  afterAll(async () => {
    for (const run of running) run.child.kill("SIGKILL");
    await Promise.allSettled([admin.disconnect(), producer.disconnect()]);
  });

  /** Produces `count` records named `<phase>-<i>`: every 7th invalid, every 11th a tombstone, every 5th with a null key, every 3rd with headers. */
  async function produce(phase: string, count: number, exported: boolean): Promise<void> {
    const messages: (Message & { partition: number })[] = [];
    for (let index = 0; index < count; index++) {
      const id = `${phase}-${index}`;
      const invalid = index % 7 === 3;
      const tombstone = !invalid && index % 11 === 5;
      // A tombstone is about a key, so tombstones always have one.
      const key = index % 5 === 1 && !tombstone ? null : id;
      const headers = index % 3 === 0 ? { trace: `t-${id}` } : undefined;
      const value = invalid ? Buffer.from([0, 0, 0, 0, schemaId, 0, 0x0a, 0x7f, 1]) : tombstone ? null : Buffer.from(encodeConfluentFrame(schemaId, [0], orderType.encode(orderType.fromObject(order(index, { id }))).finish()));
      messages.push({ partition: index % partitions, key: key === null ? null : Buffer.from(key), value, ...(headers === undefined ? {} : { headers }) });
      if (exported && !invalid) expected.set(tombstone ? `tombstone:${id}` : id, { key, tombstone, headers: headers !== undefined });
    }
    for (let start = 0; start < messages.length; start += 500) await producer.send({ topic, messages: messages.slice(start, start + 500) });
  }

  function startRun(): RunningCli {
    const child = spawn(process.execPath, [cliBin, "run", ...flags, "--group-id", groupId, "--commit-frequency-ms", "1000", "--batching-window-ms", "100", "--session-timeout-ms", "6000"], {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
    const run = { child, output: () => output, exited };
    running.push(run);
    return run;
  }

  async function logEnd(): Promise<Map<number, bigint>> {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((offset) => [offset.partition, BigInt(offset.high)]));
  }

  async function waitFor(what: string, condition: () => Promise<boolean>, run: RunningCli, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; runner output:\n${run.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Every record up to the log end is staged and nothing staged waits for a commit. */
  async function waitUntilCommitted(run: RunningCli): Promise<void> {
    const end = await logEnd();
    await waitFor(
      "everything produced is committed",
      async () => {
        for (const [partition, high] of end) if (((await stateStore.stagedWatermark(topic, partition)) ?? -1n) < high - 1n) return false;
        return (await stateStore.stagedFiles(`kafka.${table}`)).length === 0;
      },
      run,
    );
  }

  async function groupHasConsumedEverything(): Promise<boolean> {
    const end = await logEnd();
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (committed?.partitions ?? []).every((partition) => BigInt(partition.offset) >= (end.get(partition.partition) ?? 0n)) && (committed?.partitions.length ?? 0) === partitions;
  }

  async function expectTableHoldsExactlyTheExpectedRecords(): Promise<void> {
    const readout = await readIcebergTable({ catalog: "local", tableLocation });
    const seen = new Map<string, number>();
    for (const row of readout.rows) {
      const val = row["val"] as { id: string } | null;
      const key = (row["key"] as { __raw__: string | null }).__raw__;
      const name = val === null ? `tombstone:${key === null ? "?" : Buffer.from(key, "base64").toString()}` : val.id;
      seen.set(name, (seen.get(name) ?? 0) + 1);
      const wanted = expected.get(name);
      expect(wanted, `${name} must not be in the table`).toBeDefined();
      if (wanted === undefined) continue;
      expect(key === null ? null : Buffer.from(key, "base64").toString()).toBe(wanted.key);
      expect((row["headers"] as unknown[]).length).toBe(wanted.headers ? 1 : 0);
    }
    const duplicates = [...seen].filter(([, count]) => count > 1);
    expect(duplicates).toEqual([]);
    const missing = [...expected.keys()].filter((name) => !seen.has(name));
    expect(missing).toEqual([]);
    expect(readout.rows.length).toBe(expected.size);
  }

  it("exports only what was produced while enabled, each record once", { timeout: 400_000 }, async () => {
    await produce("before", 30, false);
    const enabled = await runCli(["enable", "--topic", topic, ...flags]);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(enabled.stdout).toContain(`${topic}: enabled`);
    expect(enabled.stdout).toContain("values: shop.orders.Order");
    await produce("a", 60, true);

    const run = startRun();
    await waitUntilCommitted(run);
    await expectTableHoldsExactlyTheExpectedRecords();

    // Disabled while the runner runs: the gap's records are consumed and dropped.
    const disabled = await runCli(["disable", "--topic", topic, "--warehouse", warehouse]);
    expect(disabled.code, disabled.stderr).toBe(0);
    await produce("gap", 30, false);
    await waitFor("the runner consumed the gap", groupHasConsumedEverything, run);
    const reEnabled = await runCli(["enable", "--topic", topic, ...flags]);
    expect(reEnabled.stdout).toContain(`${topic}: enabled again`);
    await produce("b", 40, true);
    await waitUntilCommitted(run);
    await expectTableHoldsExactlyTheExpectedRecords();

    const status = await runCli(["status", "--topic", topic, "--json", ...flags]);
    const [topicStatus] = JSON.parse(status.stdout) as { enabled: boolean; partitions: { lag: string }[]; backlog: { files: number } }[];
    expect(topicStatus?.enabled).toBe(true);
    expect(topicStatus?.backlog.files).toBe(0);
    expect(topicStatus?.partitions.map((partition) => partition.lag)).toEqual(["0", "0", "0"]);

    // Ctrl-C: a clean stop after a final commit.
    run.child.kill("SIGINT");
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.output()).toMatch(/^stopped: staged \d+ of \d+ records/m);
  });

  it("a runner killed with SIGKILL mid-stream and started again still exports each record once", { timeout: 400_000 }, async () => {
    const before = await logEnd();
    const first = startRun();
    await produce("c0", 150, true);
    await waitFor("the runner stages", async () => ((await stateStore.stagedWatermark(topic, 0)) ?? -1n) >= (before.get(0) ?? 0n), first);

    // The stream goes on while the runner is killed, so the kill is mid-stream by construction.
    let chunksProduced = 0;
    const producing = (async () => {
      for (let chunk = 1; chunk <= 20; chunk++) {
        await produce(`c${chunk}`, 150, true);
        chunksProduced = chunk;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await waitFor("a few more chunks are produced", () => Promise.resolve(chunksProduced >= 5), first);
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const stagedAtKill = (await stateStore.stagedWatermark(topic, 0)) ?? -1n;
    await producing;
    const end = await logEnd();
    expect(stagedAtKill, "the kill must come before the end of the stream").toBeLessThan((end.get(0) ?? 0n) - 1n);

    const second = startRun();
    await waitUntilCommitted(second);
    second.child.kill("SIGINT");
    expect((await second.exited).code).toBe(0);
    await expectTableHoldsExactlyTheExpectedRecords();
  });

  it("enable refuses a compacted topic, naming the topic and the reason", async () => {
    const compacted = uniqueName("compacted");
    await admin.createTopics({ topics: [{ topic: compacted, numPartitions: 1, configEntries: [{ name: "cleanup.policy", value: "compact" }] }], waitForLeaders: true });
    const refused = await runCli(["enable", "--topic", compacted, ...flags]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`error: topic ${compacted} cannot be exported: its cleanup.policy is 'compact'`);
    expect(refused.stderr).toContain("[TOPIC_NOT_EXPORTABLE]");
    const status = await runCli(["status", "--topic", compacted, "--warehouse", warehouse]);
    expect(status.stdout).toContain(`${compacted} has never been enabled for export`);
  });
});
