// The table the maintenance race and crash tests work on: small commits of ours into two
// day partitions, a stray file for the orphan scan, a retention that keeps two snapshots,
// and a pass in which every part has work (every partition closed, every file old enough).
import { expect } from "vitest";
import type { Catalog } from "../../../lib/catalog/catalog.js";
import { commitTableChange } from "../../../lib/catalog/table-change.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { expiryProperties } from "../../../lib/iceberg/table-properties.js";
import { maintainTables, type MaintenancePassOutcome } from "../../../lib/maintenance/maintain-tables.js";
import type { ObjectStore } from "../../../lib/storage/object-store.js";
import type { CommitHarness } from "../commit/commit-harness.js";
import { order } from "../ingest/ingest-harness.js";
import { tableIdentifierOf } from "./table-files.js";

const day1 = Date.UTC(2026, 10, 24, 12);
const day2 = Date.UTC(2026, 10, 25, 12);

export interface Workload {
  /** Three commits of 5 orders each, alternating days and Kafka partitions, then a stray file under data/. */
  add(): Promise<void>;
  /** Stages 5 orders without committing them. */
  stage(): Promise<void>;
  /** Stages again the last orders staged, at their offsets: a redelivery. */
  stageAgain(): Promise<void>;
  /** The ids of every order sent once. */
  sent: string[];
}

export function workload(harness: CommitHarness): Workload {
  const sent: string[] = [];
  let next = 0;
  let last: { partition: number; from: number; timestampMs: number } | undefined;
  function ingest(partition: number, from: number, timestampMs: number): Promise<unknown> {
    return harness.ingestRecords(partition, Array.from({ length: 5 }, (_, index) => ({ offset: from + index, value: order(from + index), timestampMs })));
  }
  async function stage(): Promise<void> {
    const from = next;
    next += 5;
    last = { partition: (from / 5) % 2, from, timestampMs: (from / 5) % 2 === 0 ? day1 : day2 };
    await ingest(last.partition, last.from, last.timestampMs);
    sent.push(...Array.from({ length: 5 }, (_, index) => `order-${from + index}`));
  }
  async function add(): Promise<void> {
    for (let commit = 0; commit < 3; commit++) {
      await stage();
      expect((await harness.commit()).tables[0]?.status).toBe("committed");
    }
    await harness.context.objectStore.put(`${harness.tableLocation}/data/stray-${next}.parquet`, new TextEncoder().encode("left by a crashed writer"));
  }
  async function stageAgain(): Promise<void> {
    if (last === undefined) throw new Error("nothing staged yet");
    await ingest(last.partition, last.from, last.timestampMs);
  }
  return { add, stage, stageAgain, sent };
}

export async function keepTwoSnapshots(harness: CommitHarness): Promise<void> {
  const { catalog } = harness.commitContext();
  const updates = { [expiryProperties.maxSnapshotAgeMs]: "1", [expiryProperties.minSnapshotsToKeep]: "2" };
  await commitTableChange(tableIdentifierOf(harness), () => ({ updates: [{ action: "set-properties", updates }], requirements: [], plan: undefined }), {
    catalog,
    logger: silentLogger,
    now: Date.now,
  });
}

export interface PassOptions {
  /** The harness's own when absent. */
  adapters?: { catalog: Catalog; objectStore: ObjectStore };
  /** 0 when absent: every unreferenced file is an orphan, which is only safe while nothing else writes the table. */
  orphanMinAgeMs?: number;
}

/** One pass of compaction, expiry and orphan removal over the harness's table. */
export function maintenancePass(harness: CommitHarness, options: PassOptions = {}): Promise<MaintenancePassOutcome> {
  const { adapters, orphanMinAgeMs = 0 } = options;
  const context = harness.commitContext();
  return maintainTables(
    {
      stateStore: context.stateStore,
      catalog: adapters?.catalog ?? context.catalog,
      objectStore: adapters?.objectStore ?? context.objectStore,
      logger: silentLogger,
      now: Date.now,
      parts: { compact: true, expireSnapshots: true, removeOrphans: true },
      compaction: { targetFileSizeBytes: 4 * 1024 * 1024, quietPeriodMs: 1, minOpenPartitionFiles: 2, maxInputBytes: 1024 * 1024 * 1024 },
      orphanMinAgeMs,
    },
    tableIdentifierOf(harness),
  );
}

export { landingFirst } from "../landing-first.js";
