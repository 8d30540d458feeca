// The measuring side of the scale benchmark, run in a fresh process per case: one commit
// round over every table, as the commit Lambda runs it (createCommitContext, then
// commitAllTables with the configured concurrency and no table started later than
// tableStartMarginMs before the invocation's timeout), with every request of the round
// counted by operation.
import { commitAllTables, tableStartMarginMs } from "../lib/commit/commit-all.js";
import { commitMetrics } from "../lib/commit/commit-metrics.js";
import { silentLogger } from "../lib/core/logger.js";
import { createCommitContext } from "../lib/runtime/commit-runtime.js";
import { awsTestClientConfig } from "../test/env/aws.js";
import { benchConfig } from "./commit-tables.js";
import { startRequestLog, type RequestTotals } from "./request-log.js";
import type { ScaleTables } from "./scale-tables.js";

export interface RoundMeasurement {
  tables: number;
  concurrency: number;
  committed: number;
  filesCommitted: number;
  failures: string[];
  tablesLeft: number;
  roundMs: number;
  /** This process's CPU time (user + system) during the round. */
  cpuMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  requests: RequestTotals;
}

/** The commit function's timeout (deploy/stack-settings.ts: one schedule interval). */
export const invocationTimeoutMs = 60_000;

export async function measureRound(tables: ScaleTables, concurrency: number): Promise<RoundMeasurement> {
  const config = benchConfig(tables, { COMMIT_CONCURRENCY: String(concurrency) });
  const context = createCommitContext(config, { logger: silentLogger, awsClientConfig: awsTestClientConfig(tables.awsEndpoint) });
  // What a warm container has done already: modules loaded, the clients' first connection.
  await context.stateStore.storeMarker();
  const log = startRequestLog();
  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
  const cpuStart = process.cpuUsage();
  const started = Date.now();
  const outcome = await commitAllTables(context, { concurrency: config.commitConcurrency, startDeadlineMs: started + invocationTimeoutMs - tableStartMarginMs });
  const roundMs = Date.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const metric = (name: string): number => commitMetrics(outcome, roundMs).find((point) => point.name === name)?.value ?? Number.NaN;
  return {
    tables: tables.topics.length,
    concurrency: config.commitConcurrency,
    committed: metric("SnapshotsCommitted"),
    filesCommitted: metric("FilesCommitted"),
    failures: outcome.failures.map(({ table, error }) => `${table}: ${error instanceof Error ? error.message : String(error)}`),
    tablesLeft: metric("TablesLeftForNextRound"),
    roundMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBeforeMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    requests: log.take(),
  };
}
