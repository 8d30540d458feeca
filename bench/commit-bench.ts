// npm run bench:commit — commit time and peak memory as a table's history grows (SPEC.md §7,
// issue #5): a table with 1, 100 and 1,000 prior snapshots, each case measured in a fresh
// child process that commits a realistic batch (20 staged files over 4 Kafka partitions)
// through commitTopicTable several times, reporting median and max. Manifests are merged
// past a threshold, so the cost should not grow with the history: the target is the 1,000
// case within 2× the 1 case. moto runs on loopback for the whole run and is stopped at the
// end; `-- --cpu-prof` writes a CPU profile of each measuring child.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { extendHistory } from "./commit-history.js";
import { batchesPerPartition, kafkaPartitions, measureCommits, recordsPerBatch, type CaseMeasurement } from "./commit-measure.js";
import { printReport, type CaseResult } from "./commit-report.js";
import { startBenchServers } from "./commit-servers.js";
import { openCommitSession } from "./commit-session.js";
import { createBenchTables, type BenchTables } from "./commit-tables.js";
import { startRequestLog } from "./request-log.js";

const priorSnapshotCases = [1, 100, 1_000];
const measuredCommits = 5;

async function main(): Promise<void> {
  const [mode, tablesJson, commits] = process.argv.slice(2);
  if (mode === "--measure" && tablesJson !== undefined) {
    console.log(JSON.stringify(await measureCommits(JSON.parse(tablesJson) as BenchTables, Number(commits))));
    return;
  }
  const profileDirectory = process.argv.includes("--cpu-prof") ? mkdtempSync(join(tmpdir(), "commit-bench-profiles-")) : undefined;
  console.log(
    `node ${process.version} ${process.arch}; moto on loopback; per case: a fresh process warms up on another table, then ${measuredCommits} commits of ` +
      `${kafkaPartitions * batchesPerPartition} staged files (${kafkaPartitions} Kafka partitions × ${batchesPerPartition} batches of ${recordsPerBatch} order events) through commitTopicTable`,
  );
  const started = performance.now();
  const servers = await startBenchServers();
  try {
    const results = await runCases(await createBenchTables(servers.awsEndpoint), profileDirectory);
    console.log("");
    printReport(results);
  } finally {
    await servers.stop();
  }
  if (profileDirectory !== undefined) console.log(`\nCPU profiles of the measuring processes: ${profileDirectory}`);
  console.log(`\ntotal run time ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function runCases(tables: BenchTables, profileDirectory: string | undefined): Promise<CaseResult[]> {
  const log = startRequestLog();
  const session = await openCommitSession(tables, tables.measuredTopic);
  const results: CaseResult[] = [];
  let snapshots = 0;
  for (const priorSnapshots of priorSnapshotCases) {
    console.error(`building the history up to ${priorSnapshots} snapshots`);
    const build = await extendHistory(session, log, snapshots, priorSnapshots);
    console.error(`measuring on ${priorSnapshots} prior snapshots`);
    const measurement = await measureInChild(tables, profileDirectory);
    if (measurement.before.snapshots !== priorSnapshots) throw new Error(`expected ${priorSnapshots} prior snapshots, the measuring process saw ${measurement.before.snapshots}`);
    snapshots = measurement.after.snapshots;
    results.push({ priorSnapshots, build, measurement });
  }
  return results;
}

// Asynchronously: this process must keep draining moto's output pipes while the child runs,
// or moto blocks on a full pipe and the child waits on moto forever.
function measureInChild(tables: BenchTables, profileDirectory: string | undefined): Promise<CaseMeasurement> {
  const script = fileURLToPath(import.meta.url);
  const profiling = profileDirectory === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", profileDirectory];
  const child = spawn(process.execPath, [...process.execArgv, ...profiling, script, "--measure", JSON.stringify(tables), String(measuredCommits)], { stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code !== 0) reject(new Error(`the measuring process failed (exit ${code ?? signal ?? "?"})`));
      else resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "") as CaseMeasurement);
    });
  });
}

await main();
