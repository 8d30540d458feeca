// The scale benchmark's report: one row per round (tables × concurrency) against the 60 s
// target, what a table's commit costs in requests, and the merge case's peak RSS against the
// commit function's memory.
import type { MergeMeasurement } from "./scale-merge.js";
import type { RoundMeasurement } from "./scale-round.js";
import { textTable } from "./text-table.js";

export interface RoundCase {
  stagedFiles: number;
  measurement: RoundMeasurement;
}

const targetTables = 500;
const targetRoundMs = 60_000;
const megabyte = 1024 * 1024;

export function printRoundReport(rounds: readonly RoundCase[]): void {
  const header = ["tables", "concurrency", "staged files", "round s", "committed", "left", "failed", "ms per table", "tables per minute", "process CPU s", "requests per table", "RSS before MB", "peak RSS MB"];
  const rows = rounds.map(({ stagedFiles, measurement: m }) => {
    const requests = totalRequests(m);
    return [
      String(m.tables),
      String(m.concurrency),
      String(stagedFiles),
      (m.roundMs / 1000).toFixed(1),
      String(m.committed),
      String(m.tablesLeft),
      String(m.failures.length),
      (m.roundMs / Math.max(1, m.committed)).toFixed(0),
      ((60_000 / m.roundMs) * m.committed).toFixed(0),
      (m.cpuMs / 1000).toFixed(1),
      (requests / Math.max(1, m.committed)).toFixed(1),
      m.rssBeforeMb.toFixed(0),
      m.peakRssMb.toFixed(0),
    ];
  });
  console.log(textTable(header, rows));
  for (const { measurement } of rounds) for (const failure of measurement.failures.slice(0, 3)) console.log(`  failed: ${failure}`);
  const atTarget = rounds.filter(({ measurement }) => measurement.tables === targetTables);
  for (const { measurement: m } of atTarget) {
    const holds = m.committed === targetTables && m.tablesLeft === 0 && m.failures.length === 0 && m.roundMs <= targetRoundMs;
    console.log(`${targetTables} tables at concurrency ${m.concurrency}: ${m.committed} committed in ${(m.roundMs / 1000).toFixed(1)} s (target: all within ${targetRoundMs / 1000} s: ${holds ? "holds" : "DOES NOT HOLD"})`);
  }
  printRequests(rounds);
}

function printRequests(rounds: readonly RoundCase[]): void {
  const last = rounds.at(-1)?.measurement;
  if (last === undefined) return;
  console.log(`\nrequests per committed table (the round over ${last.tables} tables at concurrency ${last.concurrency}): count, and mean ms each (moto's answer time under the round's load)`);
  const rows = Object.entries(last.requests)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([operation, total]) => [operation, (total.count / Math.max(1, last.committed)).toFixed(2), (total.ms / Math.max(1, total.count)).toFixed(1)]);
  rows.push(["total", (totalRequests(last) / Math.max(1, last.committed)).toFixed(2), ""]);
  console.log(textTable(["operation", "per table", "ms each"], rows));
}

export function printMergeReport(merge: MergeMeasurement, commitMemoryMb: number): void {
  console.log(`merge to the target size (${(merge.targetFileSizeBytes / megabyte).toFixed(0)} MiB): one commit of ${merge.stagedFiles} staged files of one partition`);
  console.log(
    textTable(
      ["staged MiB", "records", "files added", "added MiB", "commit s", "RSS before MB", "peak RSS MB", "commit function MB", "peak / memory"],
      [
        [
          (merge.stagedBytes / megabyte).toFixed(1),
          merge.records.toLocaleString("en-US"),
          String(merge.addedFiles),
          (merge.addedBytes / megabyte).toFixed(1),
          (merge.commitMs / 1000).toFixed(1),
          merge.rssBeforeMb.toFixed(0),
          merge.peakRssMb.toFixed(0),
          String(commitMemoryMb),
          `${((100 * merge.peakRssMb) / commitMemoryMb).toFixed(0)} %`,
        ],
      ],
    ),
  );
}

function totalRequests(measurement: RoundMeasurement): number {
  return Object.values(measurement.requests).reduce((sum, total) => sum + total.count, 0);
}
