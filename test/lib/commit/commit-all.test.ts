// A commit round over many tables, on the embedded default's adapters (a temporary folder):
// a few tables at once, none started past the round's deadline, those left first next time.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commitAllTables } from "../../../lib/commit/commit-all.js";
import type { CommitContext } from "../../../lib/commit/commit-table.js";
import { parseExportConfig } from "../../../lib/config/export-config.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { createExportAdapters } from "../../../lib/runtime/export-adapters.js";
import type { StateStore, TopicExport } from "../../../lib/state/state-store.js";

function topicExport(index: number, warehouse: string): TopicExport {
  const name = `t${String(index).padStart(2, "0")}`;
  return { topic: name, enabled: true, table: { namespace: "kafka", name }, tableLocation: join(warehouse, "kafka", name), startOffsets: {}, valueSubject: `${name}-value`, subjectIsExplicit: false, partitioning: "day", updatedAt: "2026-12-01T00:00:00Z" };
}

async function roundContext(tables: number): Promise<{ context: CommitContext & { stateStore: StateStore }; clock: { now: number }; started: string[] }> {
  const warehouse = mkdtempSync(join(tmpdir(), "commit-all-"));
  const adapters = createExportAdapters(parseExportConfig({ WAREHOUSE: warehouse, CATALOG: "local", STATE_DIRECTORY: join(warehouse, "_state") }), { logger: silentLogger });
  for (let index = 0; index < tables; index++) await adapters.stateStore.putTopicExport(topicExport(index, warehouse));
  const clock = { now: 1_000 };
  const started: string[] = [];
  // Each table's commit starts by reading its staged files; the clock moves 10 ms per table.
  const stateStore: StateStore = Object.assign(Object.create(adapters.stateStore) as StateStore, {
    stagedFiles: (table: string) => {
      started.push(table);
      clock.now += 10;
      return adapters.stateStore.stagedFiles(table);
    },
  });
  return { context: { ...adapters, stateStore, logger: silentLogger, now: () => clock.now, leaseOwner: "round-test" }, clock, started };
}

describe("a commit round over many tables", () => {
  it("commits every table once, a few at a time", async () => {
    const { context, started } = await roundContext(10);
    const outcome = await commitAllTables(context, { concurrency: 3 });
    expect(outcome.tables.map((table) => table.table).sort()).toEqual(Array.from({ length: 10 }, (_, index) => `kafka.t${String(index).padStart(2, "0")}`));
    expect(outcome.tables.every((table) => table.status === "nothing-staged")).toBe(true);
    expect(new Set(started).size).toBe(10);
    expect(outcome.tablesLeft).toEqual([]);
  });

  it("takes no lease for a table with nothing staged", async () => {
    const { context } = await roundContext(3);
    const leases: string[] = [];
    const stateStore: StateStore = Object.assign(Object.create(context.stateStore) as StateStore, {
      acquireCommitLease: (table: string, request: Parameters<StateStore["acquireCommitLease"]>[1]) => {
        leases.push(table);
        return context.stateStore.acquireCommitLease(table, request);
      },
    });
    const outcome = await commitAllTables({ ...context, stateStore });
    expect(outcome.tables.map((table) => table.status)).toEqual(["nothing-staged", "nothing-staged", "nothing-staged"]);
    expect(leases).toEqual([]);
  });

  it("starts no table past the deadline; the next round takes those left first", async () => {
    const { context, started } = await roundContext(10);
    const first = await commitAllTables(context, { concurrency: 1, startDeadlineMs: 1_040 });
    expect(first.tables).toHaveLength(4);
    expect(first.tablesLeft).toEqual(["kafka.t04", "kafka.t05", "kafka.t06", "kafka.t07", "kafka.t08", "kafka.t09"]);
    started.length = 0;
    const second = await commitAllTables(context, { concurrency: 1, first: first.tablesLeft });
    expect(started.slice(0, 6)).toEqual(first.tablesLeft);
    expect(second.tables).toHaveLength(10);
  });
});
