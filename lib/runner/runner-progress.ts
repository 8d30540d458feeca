// Running totals of a local runner since it started, handed to `onProgress` so the CLI can
// show what the export is doing. Counts come from the ingest and commit outcomes, so a batch
// delivered again after a failure is counted once, when it is staged.
import type { CommitRoundOutcome } from "../commit/commit-all.js";
import type { IngestOutcome } from "../ingest/ingest-batch.js";

export type RunnerProgressEvent = "batch-staged" | "batch-failed" | "commit-round";

export interface RunnerProgress {
  /** What just happened. */
  event: RunnerProgressEvent;
  /** Events staged by `ingest`. */
  batchesStaged: number;
  /** Records in the staged events. */
  recordsConsumed: number;
  /** Records written to staged data files. */
  recordsStaged: number;
  /** Records that could not be decoded: counted and logged, never exported. */
  invalidRecords: number;
  /** Records dropped by ingest: topic not enabled, before the start offset, or staged already. */
  recordsSkipped: number;
  /** Per topic never enabled (no export record), the records dropped as not exported; topic order. */
  notExported: { topic: string; records: number }[];
  /** Ingest attempts that failed; their records were delivered again. */
  batchesFailed: number;
  commitRounds: number;
  /** Rounds, or tables within a round, that failed; the next round retries them. */
  commitFailures: number;
  snapshotsCommitted: number;
  recordsCommitted: number;
  /**
   * Records behind the log end over the partitions staged so far, from each partition's
   * high watermark at its last fetch; undefined before the first batch is staged.
   */
  lag: number | undefined;
}

export interface RunnerProgressTracker {
  batchStaged(outcome: IngestOutcome, partitionKey: string, partitionLag: number): RunnerProgress;
  batchFailed(): RunnerProgress;
  commitRound(outcome: CommitRoundOutcome | undefined): RunnerProgress;
  current(): RunnerProgress;
}

export function createProgressTracker(): RunnerProgressTracker {
  const totals: Omit<RunnerProgress, "event" | "lag" | "notExported"> = {
    batchesStaged: 0,
    recordsConsumed: 0,
    recordsStaged: 0,
    invalidRecords: 0,
    recordsSkipped: 0,
    batchesFailed: 0,
    commitRounds: 0,
    commitFailures: 0,
    snapshotsCommitted: 0,
    recordsCommitted: 0,
  };
  const lagByPartition = new Map<string, number>();
  const notExportedByTopic = new Map<string, number>();
  let lastEvent: RunnerProgressEvent = "batch-staged";

  function snapshot(event: RunnerProgressEvent): RunnerProgress {
    lastEvent = event;
    const lag = lagByPartition.size === 0 ? undefined : [...lagByPartition.values()].reduce((sum, value) => sum + value, 0);
    const notExported = [...notExportedByTopic].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([topic, records]) => ({ topic, records }));
    return { event, ...totals, notExported, lag };
  }

  return {
    batchStaged(outcome, partitionKey, partitionLag) {
      const { recordsIn, recordsExported, invalidRecords, skippedNotExported, skippedBeforeStart, skippedAlreadyStaged } = outcome.totals;
      totals.batchesStaged++;
      totals.recordsConsumed += recordsIn;
      totals.recordsStaged += recordsExported;
      totals.invalidRecords += invalidRecords;
      totals.recordsSkipped += skippedNotExported + skippedBeforeStart + skippedAlreadyStaged;
      lagByPartition.set(partitionKey, Math.max(0, partitionLag));
      for (const { topic, records } of outcome.notExported) notExportedByTopic.set(topic, (notExportedByTopic.get(topic) ?? 0) + records);
      return snapshot("batch-staged");
    },
    batchFailed() {
      totals.batchesFailed++;
      return snapshot("batch-failed");
    },
    commitRound(outcome) {
      totals.commitRounds++;
      if (outcome === undefined) {
        totals.commitFailures++;
      } else {
        const committed = outcome.tables.filter((table) => table.status === "committed");
        totals.snapshotsCommitted += committed.length;
        totals.recordsCommitted += committed.reduce((sum, table) => sum + table.recordsCommitted, 0);
        totals.commitFailures += outcome.failures.length;
      }
      return snapshot("commit-round");
    },
    current: () => snapshot(lastEvent),
  };
}
