// One contender of a cross-process race, run with tsx by race.ts: it prepares (loads the
// table it will commit on), prints "ready", waits for a line on stdin so that all contenders
// start together, makes its one conditional write and prints the outcome as JSON.
import { createInterface } from "node:readline";
import { createFileCatalog } from "../../../../lib/adapters/local/file-catalog.js";
import { createLocalStateStore } from "../../../../lib/adapters/local/local-state-store.js";
import { CommitConflictError } from "../../../../lib/core/errors.js";

export type RaceTask =
  | { kind: "stage"; stateDirectory: string; contender: number; expectedWatermark: string; newWatermark: string }
  | { kind: "lease"; stateDirectory: string; contender: number; nowMs: number }
  | { kind: "topics"; stateDirectory: string; contender: number; count: number }
  | { kind: "commit"; warehouse: string; namespace: string; name: string; contender: number };

async function prepare(task: RaceTask): Promise<() => Promise<string>> {
  if (task.kind === "commit") {
    const catalog = createFileCatalog({ warehouse: task.warehouse });
    const base = await catalog.loadTable({ namespace: task.namespace, name: task.name });
    if (base === undefined) throw new Error(`no table ${task.namespace}.${task.name}`);
    const commit = { updates: [{ action: "set-properties" as const, updates: { writer: `contender-${task.contender}` } }], requirements: [], nowMs: base.metadata["last-updated-ms"] + 1 };
    return async () => {
      try {
        return `committed ${(await catalog.commitTable(base, commit)).metadataLocation}`;
      } catch (error) {
        if (error instanceof CommitConflictError) return "conflict";
        throw error;
      }
    };
  }
  const store = createLocalStateStore({ directory: task.stateDirectory });
  if (task.kind === "topics") {
    return async () => {
      for (let index = 0; index < task.count; index += 1) {
        const topic = `topic-${task.contender}-${index}`;
        await store.putTopicExport({
          topic,
          enabled: true,
          table: { namespace: "sales", name: topic },
          tableLocation: `/warehouse/sales/${topic}`,
          startOffsets: { 0: 0n },
          valueSubject: `${topic}-value`,
          subjectIsExplicit: false,
          partitioning: "day",
          updatedAt: "2026-01-01T00:00:00.000Z",
        });
      }
      return "done";
    };
  }
  if (task.kind === "lease") return async () => String(await store.acquireCommitLease("sales.orders", { owner: `contender-${task.contender}`, nowMs: task.nowMs, durationMs: 60_000 }));
  const newWatermark = BigInt(task.newWatermark);
  const file = {
    table: "sales.orders",
    location: `/warehouse/sales/orders/data/contender-${task.contender}.parquet`,
    fileSizeBytes: 100 + task.contender,
    recordCount: 1,
    partitionSpecId: 0,
    partitionValues: {},
    metrics: { columnSizes: {}, valueCounts: {}, nullValueCounts: {}, nanValueCounts: {}, lowerBounds: {}, upperBounds: { 1: Uint8Array.from([task.contender]) } },
    topic: "orders",
    partition: 0,
    firstOffset: BigInt(task.expectedWatermark) + 1n,
    lastOffset: newWatermark,
    schemaId: 0,
    stagedAt: 1_700_000_000_000,
  };
  return () => store.stageFiles({ topic: "orders", partition: 0, expectedWatermark: BigInt(task.expectedWatermark), newWatermark, files: [file] });
}

const task = JSON.parse(process.argv[2] ?? "") as RaceTask;
const run = await prepare(task);
const lines = createInterface({ input: process.stdin });
const go = new Promise((resolve) => lines.once("line", resolve));
process.stdout.write("ready\n");
await go;
lines.close();
process.stdout.write(`${JSON.stringify({ contender: task.contender, outcome: await run() })}\n`);
