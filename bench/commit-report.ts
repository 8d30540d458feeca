// The commit benchmark's report: one row per history size, the ratio the target is about,
// where a commit's time goes (waiting on the servers vs this process), and what building
// the history showed about the commits that merge manifests.
import type { HistoryBuild } from "./commit-history.js";
import type { CaseMeasurement, CommitSample } from "./commit-measure.js";
import { maximum, median, textTable } from "./text-table.js";

export interface CaseResult {
  priorSnapshots: number;
  /** The history built on top of the previous case to reach this one. */
  build: HistoryBuild;
  measurement: CaseMeasurement;
}

const targetRatio = 2;

export function printReport(results: readonly CaseResult[]): void {
  printCases(results);
  printRatio(results);
  printTimeSplit(results);
  printOperations(results);
  printHistory(results);
}

function printCases(results: readonly CaseResult[]): void {
  const header = ["prior snapshots", "manifests in base", "data files", "metadata.json KB", "commits", "merging", "commit ms median", "commit ms max", "each commit ms", "RSS before MB", "peak RSS MB"];
  const rows = results.map(({ priorSnapshots, measurement }) => {
    const wall = measurement.samples.map((sample) => sample.wallMs);
    return [
      priorSnapshots.toLocaleString("en-US"),
      String(measurement.before.manifests),
      measurement.before.dataFiles.toLocaleString("en-US"),
      (measurement.before.metadataBytes / 1024).toFixed(0),
      String(measurement.samples.length),
      String(measurement.samples.filter((sample) => sample.merged).length),
      median(wall).toFixed(1),
      maximum(wall).toFixed(1),
      measurement.samples.map((sample) => `${sample.wallMs.toFixed(0)}${sample.merged ? "*" : ""}`).join(" "),
      measurement.rssBeforeMb.toFixed(0),
      measurement.peakRssMb.toFixed(0),
    ];
  });
  console.log(textTable(header, rows));
  console.log("* a commit that merged the manifests it carried over");
}

function printRatio(results: readonly CaseResult[]): void {
  const first = results[0];
  const last = results.at(-1);
  if (first === undefined || last === undefined) return;
  const ratioOf = (statistic: (values: readonly number[]) => number): number => statistic(wallTimes(last.measurement.samples)) / statistic(wallTimes(first.measurement.samples));
  const medianRatio = ratioOf(median);
  console.log(
    `\ncommit time ${last.priorSnapshots.toLocaleString("en-US")} / ${first.priorSnapshots.toLocaleString("en-US")} prior snapshots: median ${medianRatio.toFixed(2)}×, max ${ratioOf(maximum).toFixed(2)}× ` +
      `(target ≤ ${targetRatio}× on the median: ${medianRatio <= targetRatio ? "holds" : "DOES NOT HOLD"}); peak RSS ${(last.measurement.peakRssMb / first.measurement.peakRssMb).toFixed(2)}×`,
  );
}

function printTimeSplit(results: readonly CaseResult[]): void {
  console.log("\nwhere a commit's time goes (medians over the measured commits):");
  const header = ["prior snapshots", "wall ms", "waiting on moto ms", "rest ms (our code + SDK)", "process CPU ms", "requests", "slowest: wall / moto / rest ms", "slowest: its longest request"];
  const rows = results.map(({ priorSnapshots, measurement }) => {
    const { samples } = measurement;
    const waiting = samples.map(waitingMs);
    const slowest = samples.reduce((slow, sample) => (sample.wallMs > slow.wallMs ? sample : slow));
    const [longestOperation, longest] = Object.entries(slowest.requests).reduce((long, entry) => (entry[1].ms > long[1].ms ? entry : long));
    return [
      priorSnapshots.toLocaleString("en-US"),
      median(wallTimes(samples)).toFixed(1),
      median(waiting).toFixed(1),
      median(samples.map((sample, index) => sample.wallMs - (waiting[index] ?? 0))).toFixed(1),
      median(samples.map((sample) => sample.cpuMs)).toFixed(1),
      median(samples.map((sample) => sum(Object.values(sample.requests).map((total) => total.count)))).toFixed(0),
      `${slowest.wallMs.toFixed(0)} / ${waitingMs(slowest).toFixed(0)} / ${(slowest.wallMs - waitingMs(slowest)).toFixed(0)}`,
      `${longestOperation} ${longest.ms.toFixed(0)} ms (${longest.count})`,
    ];
  });
  console.log(textTable(header, rows));
}

function printOperations(results: readonly CaseResult[]): void {
  console.log("\nrequests of a commit: median ms (count) per operation");
  const operations = [...new Set(results.flatMap(({ measurement }) => measurement.samples.flatMap((sample) => Object.keys(sample.requests))))].sort();
  const header = ["operation", ...results.map(({ priorSnapshots }) => `${priorSnapshots.toLocaleString("en-US")} prior`)];
  const rows = operations.map((operation) => [
    operation,
    ...results.map(({ measurement }) => {
      const totals = measurement.samples.map((sample) => sample.requests[operation] ?? { count: 0, ms: 0 });
      return `${median(totals.map((total) => total.ms)).toFixed(1)} (${median(totals.map((total) => total.count)).toFixed(0)})`;
    }),
  ]);
  console.log(textTable(header, rows));
}

function printHistory(results: readonly CaseResult[]): void {
  const builds = results.map((result) => result.build);
  const commits = sum(builds.map((build) => build.commits));
  const seconds = sum(builds.map((build) => build.elapsedMs)) / 1000;
  console.log(`\nhistory: ${commits} commits of one staged file each, all through commitTopicTable, in ${seconds.toFixed(1)} s (staging included)`);
  for (const result of results) {
    const { commitMs, merges } = result.build;
    const plain = commitMs.slice(-20);
    if (plain.length === 0) continue;
    if (commitMs.length === 1) {
      console.log(`  up to ${result.priorSnapshots.toLocaleString("en-US")}: 1 commit, which created the table, ${plain[0]?.toFixed(1) ?? "?"} ms`);
      continue;
    }
    const mergeNote = merges.length === 0 ? "" : `; ${merges.length} merging commit(s) on the way, ${median(merges.map((merge) => merge.ms)).toFixed(0)} ms median / ${maximum(merges.map((merge) => merge.ms)).toFixed(0)} ms max, each reading ${maximum(merges.map((merge) => merge.manifestsRead))} manifests`;
    console.log(`  up to ${result.priorSnapshots.toLocaleString("en-US")}: the last ${plain.length} one-file commits ${median(plain).toFixed(1)} ms median${mergeNote}`);
  }
}

function waitingMs(sample: CommitSample): number {
  return sum(Object.values(sample.requests).map((total) => total.ms));
}

function wallTimes(samples: readonly CommitSample[]): number[] {
  return samples.map((sample) => sample.wallMs);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
