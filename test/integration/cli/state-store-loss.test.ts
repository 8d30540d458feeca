// Issue 11, through the CLI a user runs, against the real broker and registry, on the
// embedded default: the local state folder deleted while `run` exports a stream stops the
// runner loudly, naming the state store, instead of dropping the stream as "not exported";
// `enable` then resumes from the offsets the table has committed and a new `run` reads
// again what was acknowledged but lost with the state. The table, read by pyiceberg, ends
// with every record produced while enabled exactly once, and the pipeline moves on.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
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

describe("a state folder deleted while run exports, and the recovery with enable", () => {
  const environment = testEnvironment();
  const topic = uniqueName("state-loss");
  const table = topic.replaceAll("-", "_");
  const groupId = uniqueName("state-loss-group");
  const warehouse = join(mkdtempSync(join(tmpdir(), "state-loss-")), "warehouse");
  const stateFolder = join(warehouse, "_state");
  const tableLocation = join(warehouse, "kafka", table);
  const kafka = new Kafka({ clientId: "state-loss-test", brokers: [environment.kafkaBootstrap], logLevel: logLevel.NOTHING });
  const admin: Admin = kafka.admin();
  const producer: Producer = kafka.producer();
  let orderType: protobuf.Type;
  let schemaId: number;
  let stateStore: StateStore;
  const running: RunningCli[] = [];
  /** The ids that must end in the table, each once. */
  const expected = new Set<string>();
  const flags = ["--warehouse", warehouse, "--brokers", environment.kafkaBootstrap, "--schema-registry-url", environment.schemaRegistryUrl];

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    schemaId = await registerSchema(environment.schemaRegistryUrl, `${topic}-value`, orderSchemaText);
    orderType = compileMessage(orderSchemaText, "shop.orders.Order");
    stateStore = createLocalStateStore({ directory: stateFolder });
  });
  afterAll(async () => {
    for (const run of running) run.child.kill("SIGKILL");
    await Promise.allSettled([admin.disconnect(), producer.disconnect()]);
  });

  async function produce(phase: string, count: number, exported: boolean): Promise<void> {
    const messages: (Message & { partition: number })[] = [];
    for (let index = 0; index < count; index++) {
      const id = `${phase}-${index}`;
      const value = Buffer.from(encodeConfluentFrame(schemaId, [0], orderType.encode(orderType.fromObject(order(index, { id }))).finish()));
      messages.push({ partition: index % partitions, key: Buffer.from(id), value });
      if (exported) expected.add(id);
    }
    for (let start = 0; start < messages.length; start += 500) await producer.send({ topic, messages: messages.slice(start, start + 500) });
  }

  function startRun(): RunningCli {
    const child = spawn(process.execPath, [cliBin, "run", ...flags, "--group-id", groupId, "--commit-frequency-ms", "1000", "--batching-window-ms", "100", "--session-timeout-ms", "6000", "--batch-size", "50"], {
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

  async function waitFor(what: string, condition: () => Promise<boolean>, run: RunningCli, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; runner output:\n${run.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

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

  async function expectTableHoldsExactlyTheExpectedRecords(): Promise<void> {
    const readout = await readIcebergTable({ catalog: "local", tableLocation });
    const seen = new Map<string, number>();
    for (const row of readout.rows) {
      const id = (row["val"] as { id: string }).id;
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    expect([...seen.keys()].filter((id) => !expected.has(id))).toEqual([]);
    expect([...seen].filter(([, count]) => count > 1)).toEqual([]);
    expect([...expected].filter((id) => !seen.has(id))).toEqual([]);
    expect(readout.rows.length).toBe(expected.size);
  }

  it("stops run loudly, loses nothing, and resumes every record exactly once after enable", async () => {
    await produce("before", 30, false);
    const enabled = await runCli(["enable", "--topic", topic, ...flags]);
    expect(enabled.code, enabled.stderr).toBe(0);
    await produce("a", 300, true);
    const first = startRun();
    await waitUntilCommitted(first);

    // The stream goes on while the state folder is deleted, so the loss is mid-stream.
    let chunksProduced = 0;
    const producing = (async () => {
      for (let chunk = 1; chunk <= 20; chunk++) {
        await produce(`c${chunk}`, 150, true);
        chunksProduced = chunk;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await waitFor("a few chunks are produced", () => Promise.resolve(chunksProduced >= 3), first);
    // Gone at once, as the runner sees it (rm -rf races the runner's writes: ENOTEMPTY).
    renameSync(stateFolder, `${stateFolder}-deleted`);
    rmSync(`${stateFolder}-deleted`, { recursive: true, force: true });
    let exit: { code: number | null } | undefined;
    void first.exited.then((result) => (exit = result));
    await waitFor("the runner stops on the lost state store", () => Promise.resolve(exit !== undefined), first, 120_000);
    expect(exit?.code, first.output()).toBe(1);
    expect(first.output()).toMatch(/^error: .*state (store|folder).*\[STATE_STORE_MISSING, retryable\]$/m);
    await producing;
    const end = await logEnd();
    const [consumed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const behind = (consumed?.partitions ?? []).filter(({ partition, offset }) => BigInt(offset) < (end.get(partition) ?? 0n));
    expect(behind.length, "the runner must stop before it consumed the stream").toBeGreaterThan(0);
    expect(await stateStore.topicExport(topic)).toBeUndefined();

    // Recovery: enable finds the table's committed offsets and resumes right after them.
    const recovered = await runCli(["enable", "--topic", topic, ...flags]);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stdout).toContain(`${topic}: enabled, resuming from the offsets its table has committed`);
    expect(recovered.stderr).toContain("the state store was lost");
    expect(existsSync(stateFolder)).toBe(true);

    const second = startRun();
    await waitUntilCommitted(second);
    await expectTableHoldsExactlyTheExpectedRecords();
    // And the pipeline moves on.
    await produce("after", 90, true);
    await waitUntilCommitted(second);
    second.child.kill("SIGINT");
    expect((await second.exited).code, second.output()).toBe(0);
    await expectTableHoldsExactlyTheExpectedRecords();
  }, 480_000);
});
