// npm run bench:commit — commit time and peak memory as a table's history grows (SPEC.md §7,
// issue #5): a table with 1, 100 and 1,000 prior snapshots, each case measured in a fresh
// child process that commits a realistic batch (20 staged files over 4 Kafka partitions)
// through commitTopicTable several times, reporting median and max. Manifests are merged
// past a threshold, so the cost should not grow with the history: the target is the 1,000
// case within 2× the 1 case. moto runs on loopback for the whole run and is stopped at the
// end; `-- --cpu-prof` writes a CPU profile of each measuring child. Then the maintenance
// cases (bench/maintenance-bench.ts): the history grown to 10,000 snapshots, expired by one
// maintenance pass, and commits on the bounded table (target: median within 1.2× of the
// 1-snapshot case); and one pass over a table of 10,000 small files.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runChild } from "./child-process.js";
import { extendHistory } from "./commit-history.js";
import { batchesPerPartition, kafkaPartitions, measureCommits, recordsPerBatch, type CaseMeasurement } from "./commit-measure.js";
import { printReport, type CaseResult } from "./commit-report.js";
import { startBenchServers } from "./commit-servers.js";
import { openCommitSession } from "./commit-session.js";
import { createBenchTables, type BenchTables } from "./commit-tables.js";
import { addSmallFileHistory, addSyntheticSnapshots, keptSnapshots, measureMaintenancePass, metadataBytes, setRetention, type MaintenanceMeasurement } from "./maintenance-bench.js";
import { printMaintenanceReport, type MaintenanceCase } from "./maintenance-report.js";
import { startRequestLog } from "./request-log.js";

const priorSnapshotCases = [1, 100, 1_000];
const measuredCommits = 5;

async function main(): Promise<void> {
  const [mode, tablesJson, commits] = process.argv.slice(2);
  if (mode === "--measure" && tablesJson !== undefined) {
    console.log(JSON.stringify(await measureCommits(JSON.parse(tablesJson) as BenchTables, Number(commits))));
    return;
  }
  if (mode === "--maintain" && tablesJson !== undefined && commits !== undefined) {
    const tables = JSON.parse(tablesJson) as BenchTables;
    console.log(JSON.stringify(await measureMaintenancePass(tables, { namespace: "bench", name: commits.replaceAll("-", "_") })));
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
    const tables = await createBenchTables(servers.awsEndpoint);
    const results = await runCases(tables, profileDirectory);
    const maintenance = await runMaintenanceCases(tables, profileDirectory);
    console.log("");
    printReport(results);
    printMaintenanceReport(maintenance, results[0]?.measurement);
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

const syntheticSnapshotCase = 10_000;
const smallFileSnapshots = 100;
const smallFilesPerSnapshot = 100;

async function runMaintenanceCases(tables: BenchTables, profileDirectory: string | undefined): Promise<MaintenanceCase[]> {
  const measured = await openCommitSession(tables, tables.measuredTopic);
  const measuredTable = measured.topicExport.table;
  const before = await measured.inspect();
  console.error(`adding synthetic snapshots up to ${syntheticSnapshotCase}`);
  await addSyntheticSnapshots(tables, measuredTable, syntheticSnapshotCase - before.snapshots);
  await setRetention(tables, measuredTable);
  const grown = await measured.inspect();
  console.error(`expiring down to ${keptSnapshots} snapshots`);
  const expiry = await maintainInChild(tables, tables.measuredTopic, profileDirectory);
  console.error(`measuring commits on the expired table`);
  const commitsAfter = await measureInChild(tables, profileDirectory);

  const maintained = await openCommitSession(tables, tables.maintainedTopic);
  await maintained.stager.stage(0, 10);
  await maintained.commit();
  console.error(`building ${smallFileSnapshots} snapshots of ${smallFilesPerSnapshot} small files each`);
  await addSmallFileHistory(tables, maintained, smallFileSnapshots, smallFilesPerSnapshot);
  await setRetention(tables, maintained.topicExport.table);
  const small = await maintained.inspect();
  const smallFilePass = await maintainInChild(tables, tables.maintainedTopic, profileDirectory);
  return [
    { name: `${syntheticSnapshotCase.toLocaleString("en-US")} snapshots`, snapshotsBefore: grown.snapshots, dataFiles: grown.dataFiles, metadataBytesBefore: grown.metadataBytes, pass: expiry, commitsAfter },
    { name: `${(smallFileSnapshots * smallFilesPerSnapshot).toLocaleString("en-US")} small files`, snapshotsBefore: small.snapshots, dataFiles: small.dataFiles, metadataBytesBefore: await metadataBytes(tables, maintained.topicExport.table), pass: smallFilePass },
  ];
}

function maintainInChild(tables: BenchTables, topic: string, profileDirectory: string | undefined): Promise<MaintenanceMeasurement> {
  return runChild<MaintenanceMeasurement>({ script: fileURLToPath(import.meta.url), args: ["--maintain", JSON.stringify(tables), topic], profileDirectory });
}

function measureInChild(tables: BenchTables, profileDirectory: string | undefined): Promise<CaseMeasurement> {
  return runChild<CaseMeasurement>({ script: fileURLToPath(import.meta.url), args: ["--measure", JSON.stringify(tables), String(measuredCommits)], profileDirectory });
}

await main();
