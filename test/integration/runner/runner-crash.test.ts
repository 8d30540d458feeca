// A runner killed with SIGKILL mid-stream (after some batches were staged, before the end)
// and started again with the same group: the table holds every record exactly once.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunnerProgress } from "../../../lib/runner/runner-progress.js";
import { projectRoot } from "../../env/install.js";
import { expectedOrderIds, orderIds } from "../commit/commit-harness.js";
import { order } from "../ingest/ingest-harness.js";
import { createRunnerHarness, type RunnerHarness } from "./runner-harness.js";
import type { RunnerProcessSettings } from "./runner-process.js";

const recordCount = 1_500;
const partitions = 3;

interface RunnerProcess {
  child: ChildProcess;
  progress: RunnerProgress[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// `node --import tsx` runs the script in this one process, so a SIGKILL reaches the runner itself.
function startRunnerProcess(settings: RunnerProcessSettings): RunnerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", join(projectRoot, "test/integration/runner/runner-process.ts"), JSON.stringify(settings)], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const progress: RunnerProgress[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => progress.push(JSON.parse(line) as RunnerProgress));
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on("line", (line) => stderr.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { child, progress, stderr, exited };
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, process: RunnerProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline || process.child.exitCode !== null) throw new Error(`no ${what}; runner stderr:\n${process.stderr.join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a runner killed with SIGKILL and started again", () => {
  let harness: RunnerHarness;
  const processes: RunnerProcess[] = [];
  let settings: RunnerProcessSettings;

  beforeAll(async () => {
    harness = await createRunnerHarness();
    await harness.createTopic(partitions);
    await harness.enableAtLogEnd();
    const timestampMs = Date.UTC(2026, 10, 24, 12, 0, 0);
    await harness.produce(Array.from({ length: recordCount }, (_, index) => ({ partition: index % partitions, key: `key-${index}`, value: order(index), timestampMs: timestampMs + index })));
    if (harness.config.state.type !== "dynamodb") throw new Error("the harness uses DynamoDB state");
    settings = {
      environment: {
        WAREHOUSE: harness.warehouse,
        CATALOG: "glue",
        GLUE_DATABASE: harness.glueTable.database,
        STATE_TABLE: harness.config.state.tableName,
        SCHEMA_REGISTRY_URL: harness.registryUrl,
      },
      awsClientConfig: harness.clientConfig,
      kafka: harness.kafkaSettings,
      groupId: harness.groupId,
      topics: [harness.topic],
      batchSize: 20,
      commitFrequencyMs: 1_000,
      // A runner killed during a commit round holds the table's lease until it expires.
      leaseDurationMs: 10_000,
    };
  });
  afterAll(async () => {
    for (const runner of processes) if (runner.child.exitCode === null && runner.child.signalCode === null) runner.child.kill("SIGKILL");
    await Promise.all(processes.map((runner) => runner.exited));
    await harness.close();
  });

  it("exports every record exactly once", { timeout: 400_000 }, async () => {
    const first = startRunnerProcess(settings);
    processes.push(first);
    await waitFor(() => (first.progress.at(-1)?.batchesStaged ?? 0) >= 8, "eight batches staged", first);
    first.child.kill("SIGKILL");
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });

    // Mid-stream: some records were staged and acknowledged, not all.
    const acknowledged = Object.values(await harness.groupOffsets()).reduce((sum, offset) => sum + (offset < 0n ? 0n : offset), 0n);
    expect(acknowledged).toBeGreaterThanOrEqual(8n * 20n);
    expect(acknowledged).toBeLessThan(BigInt(recordCount));

    const second = startRunnerProcess(settings);
    processes.push(second);
    await harness.waitForGroupAtLogEnd(harness.groupId, 120_000);
    // Commit rounds resume once the killed runner's lease, if it held one, has expired.
    const logEnd = await harness.logEndOffsets();
    const allCommitted = async (): Promise<boolean> => {
      const committed = await Promise.all(Object.keys(logEnd).map((partition) => harness.context.stateStore.committedOffset(harness.topic, Number(partition))));
      return Object.values(logEnd).every((end, partition) => committed[partition] === end - 1n);
    };
    await waitFor(allCommitted, "every record committed", second, 120_000);
    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    // Stopped, it left the group: a runner started next gets the partitions at once instead
    // of after the session timeout.
    const [group] = (await harness.admin.describeGroups([harness.groupId])).groups;
    expect(group).toMatchObject({ state: "Empty", members: [] });
    const last = second.progress.at(-1);
    expect(last?.event).toBe("commit-round");
    expect(last?.commitFailures).toBe(0);
    // The second runner starts from the group's offsets, not from the beginning.
    expect(last?.recordsConsumed).toBeLessThan(recordCount);

    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, recordCount - 1]));
    expect(table.rows).toHaveLength(recordCount);
  });
});
