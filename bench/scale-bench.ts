// npm run bench:scale — one commit round over 1, 10, 100 and 500 tables with staged files on
// moto (issue #14): the round the commit Lambda runs (bench/scale-round.ts), measured in a
// fresh child process per case for its time, the tables it committed and left, its requests
// and its peak RSS; at COMMIT_CONCURRENCY 4, 8 and 16 from 100 tables on. Target: 500 tables
// within one 60 s round. Then the merge case (bench/scale-merge.ts): staged files of one
// partition summing to about the 128 MiB target merged by one commit, its peak RSS against the
// commit function's memory setting. moto is started afresh for every case, from the test
// environment (installed into TEST_ENV_DIR on first use). Flags: `-- --cases 100,500`,
// `--concurrency 4,16`, `--no-merge`, `--merge-only`, `--cpu-prof` (a CPU profile of each
// measuring child).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { commitAllTables, tableStartMarginMs } from "../lib/commit/commit-all.js";
import { silentLogger } from "../lib/core/logger.js";
import { createCommitContext } from "../lib/runtime/commit-runtime.js";
import { awsTestClientConfig } from "../test/env/aws.js";
import { runChild } from "./child-process.js";
import { startBenchServers } from "./commit-servers.js";
import { benchConfig } from "./commit-tables.js";
import { commitMemorySettingMb, measureMerge, type MergeMeasurement } from "./scale-merge.js";
import { printMergeReport, printRoundReport, type RoundCase } from "./scale-report.js";
import { invocationTimeoutMs, measureRound, type RoundMeasurement } from "./scale-round.js";
import { createScaleTables, createStagers, type ScaleTables, type StagingShape } from "./scale-tables.js";

/** What a minute of a topic with small batches stages: 2 Kafka partitions × 2 batches, one day partition. */
const roundShape: StagingShape = { partitions: 2, batches: 2, recordsPerBatch: 50 };
/** 40 files of about 3.2 MB in one day partition: about 127 MiB, merged into one file. */
const mergeShape: StagingShape = { partitions: 4, batches: 10, recordsPerBatch: 50_000, offsetsPerDay: 1_000_000_000 };
const script = fileURLToPath(import.meta.url);

async function main(): Promise<void> {
  const [mode, tablesJson, concurrency] = process.argv.slice(2);
  if (mode === "--round" && tablesJson !== undefined) {
    console.log(JSON.stringify(await measureRound(JSON.parse(tablesJson) as ScaleTables, Number(concurrency))));
    return;
  }
  if (mode === "--merge" && tablesJson !== undefined) {
    console.log(JSON.stringify(await measureMerge(JSON.parse(tablesJson) as ScaleTables)));
    return;
  }
  const cases = listFlag("--cases", [1, 10, 100, 500]);
  const concurrencies = listFlag("--concurrency", [4, 8, 16]);
  const profileDirectory = process.argv.includes("--cpu-prof") ? mkdtempSync(join(tmpdir(), "scale-bench-profiles-")) : undefined;
  const started = performance.now();
  console.log(
    `node ${process.version} ${process.arch}; moto on loopback (from the test environment), started afresh per case; per table ${roundShape.partitions} Kafka partitions × ` +
      `${roundShape.batches} staged batches of ${roundShape.recordsPerBatch} order events (one day partition: the commit merges them); each round in a fresh process, ` +
      `as the commit Lambda runs it (${invocationTimeoutMs / 1000} s timeout, no table started in its last ${tableStartMarginMs / 1000} s)`,
  );
  const rounds: RoundCase[] = [];
  if (!process.argv.includes("--merge-only")) {
    for (const tableCount of cases) rounds.push(...(await runRoundCases(tableCount, tableCount < 100 ? concurrencies.slice(0, 1) : concurrencies, profileDirectory)));
    console.log("");
    printRoundReport(rounds);
  }
  if (!process.argv.includes("--no-merge")) {
    const merge = await runMergeCase(profileDirectory);
    console.log("");
    printMergeReport(merge, commitMemorySettingMb(fileURLToPath(new URL("../serverless.yml", import.meta.url))));
  }
  if (profileDirectory !== undefined) console.log(`\nCPU profiles of the measuring processes: ${profileDirectory}`);
  console.log(`\ntotal run time ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function runRoundCases(tableCount: number, concurrencies: readonly number[], profileDirectory: string | undefined): Promise<RoundCase[]> {
  const servers = await startBenchServers();
  try {
    console.error(`${tableCount} tables: creating them`);
    const tables = await createScaleTables(servers.awsEndpoint, tableCount);
    const stagers = createStagers(tables);
    // A first round (not measured) gives every table a snapshot: the measured round is a
    // table's usual commit, on a parent snapshot, not its first.
    await stagers.stageAll(roundShape);
    await drain(tables);
    const results: RoundCase[] = [];
    for (const concurrency of concurrencies) {
      const setupStart = performance.now();
      const stagedFiles = await stagers.stageAll(roundShape);
      console.error(`${tableCount} tables: staged ${stagedFiles} files in ${((performance.now() - setupStart) / 1000).toFixed(1)} s; measuring a round at concurrency ${concurrency}`);
      const measurement = await runChild<RoundMeasurement>({ script, args: ["--round", JSON.stringify(tables), String(concurrency)], profileDirectory });
      results.push({ stagedFiles, measurement });
      // What the measured round left is committed before the next case stages more.
      await drain(tables);
    }
    return results;
  } finally {
    await servers.stop();
  }
}

async function drain(tables: ScaleTables): Promise<void> {
  const context = createCommitContext(benchConfig(tables), { logger: silentLogger, awsClientConfig: awsTestClientConfig(tables.awsEndpoint) });
  const outcome = await commitAllTables(context, { concurrency: 16 });
  if (outcome.failures.length > 0) throw new Error(`setting up: ${outcome.failures.length} table commit(s) failed, the first: ${String(outcome.failures[0]?.error)}`);
}

async function runMergeCase(profileDirectory: string | undefined): Promise<MergeMeasurement> {
  const servers = await startBenchServers();
  try {
    const tables = await createScaleTables(servers.awsEndpoint, 1, "merge");
    const setupStart = performance.now();
    const stagedFiles = await createStagers(tables).stageAll(mergeShape);
    console.error(`merge case: staged ${stagedFiles} files in ${((performance.now() - setupStart) / 1000).toFixed(1)} s; measuring the commit`);
    return await runChild<MergeMeasurement>({ script, args: ["--merge", JSON.stringify(tables)], profileDirectory });
  } finally {
    await servers.stop();
  }
}

function listFlag(name: string, fallback: number[]): number[] {
  const index = process.argv.indexOf(name);
  const value = index < 0 ? undefined : process.argv[index + 1];
  if (value === undefined) return fallback;
  const numbers = value.split(",").map(Number);
  if (numbers.some((number) => !Number.isSafeInteger(number) || number < 1)) throw new Error(`${name} takes positive integers separated by commas, got '${value}'`);
  return numbers;
}

await main();
