// The runner's progress on a terminal: a line when something was committed or failed, and
// at most one line every few seconds while batches are staged.
import type { RunnerProgress } from "../../lib/runner/runner-progress.js";
import type { CliIo } from "../command.js";

const stagingLineEveryMs = 5_000;

export interface ProgressPrinter {
  progress(progress: RunnerProgress): void;
  final(progress: RunnerProgress): void;
}

export function createProgressPrinter(io: CliIo, now: () => number = Date.now): ProgressPrinter {
  let lastLineAt = 0;

  function progress(update: RunnerProgress): void {
    const committedSomething = update.event === "commit-round" && update.snapshotsCommitted > 0;
    if (update.event === "batch-staged" && now() - lastLineAt < stagingLineEveryMs) return;
    if (update.event === "commit-round" && !committedSomething && update.commitFailures === 0) return;
    lastLineAt = now();
    io.out(progressLine(update));
  }

  function final(update: RunnerProgress): void {
    io.out(`stopped: ${progressLine(update)}`);
  }

  return { progress, final };
}

export function progressLine(progress: RunnerProgress): string {
  const parts = [
    `staged ${progress.recordsStaged} of ${progress.recordsConsumed} records in ${progress.batchesStaged} batches`,
    `${progress.invalidRecords} invalid`,
    `${progress.recordsSkipped} skipped`,
    `committed ${progress.recordsCommitted} records in ${progress.snapshotsCommitted} snapshots`,
  ];
  if (progress.lag !== undefined) parts.push(`lag ${progress.lag}`);
  // A topic given to run but never enabled: its records are dropped, which is seldom meant.
  for (const { topic, records } of progress.notExported) parts.push(`${records} records of ${topic} not exported (never enabled)`);
  if (progress.batchesFailed > 0) parts.push(`${progress.batchesFailed} batch attempts failed`);
  if (progress.commitFailures > 0) parts.push(`${progress.commitFailures} commit failures`);
  return parts.join(" · ");
}
