// The measuring side, run in a fresh process per case: warm up on the other table, then
// commit a realistic batch on top of the measured table's history several times. Each
// batch is what 20 ingest invocations staged: 5 batches of 100 order events on each of 4
// Kafka partitions, one Parquet file each. Only commitTopicTable is timed; staging and
// looking at the table happen outside the timed window.
import { openCommitSession, type CommitSession, type TableState } from "./commit-session.js";
import type { BenchTables } from "./commit-tables.js";
import { startRequestLog, type RequestLog, type RequestTotals } from "./request-log.js";

export interface CommitSample {
  wallMs: number;
  /** This process's CPU time (user + system, all threads) during the commit. */
  cpuMs: number;
  requests: RequestTotals;
  /** The commit merged manifests (it read carried-over manifests). */
  merged: boolean;
}

export interface CaseMeasurement {
  before: TableState;
  after: TableState;
  samples: CommitSample[];
  /** After warming up, before the measured commits. */
  rssBeforeMb: number;
  peakRssMb: number;
}

export const kafkaPartitions = 4;
export const batchesPerPartition = 5;
export const recordsPerBatch = 100;
const warmUpCommits = 2;
const megabyte = 1024 * 1024;

export async function measureCommits(tables: BenchTables, commits: number): Promise<CaseMeasurement> {
  const log = startRequestLog();
  const warmUp = await openCommitSession(tables, tables.warmUpTopic);
  for (let commit = 0; commit < warmUpCommits; commit++) await commitBatch(warmUp, log);
  const session = await openCommitSession(tables, tables.measuredTopic);
  const before = await session.inspect();
  const rssBeforeMb = process.memoryUsage().rss / megabyte;
  const samples: CommitSample[] = [];
  for (let commit = 0; commit < commits; commit++) samples.push(await commitBatch(session, log));
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  return { before, after: await session.inspect(), samples, rssBeforeMb, peakRssMb };
}

async function commitBatch(session: CommitSession, log: RequestLog): Promise<CommitSample> {
  for (let partition = 0; partition < kafkaPartitions; partition++) {
    for (let batch = 0; batch < batchesPerPartition; batch++) await session.stager.stage(partition, recordsPerBatch);
  }
  log.take();
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const outcome = await session.commit();
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  const requests = log.take();
  const expectedFiles = kafkaPartitions * batchesPerPartition;
  if (outcome.status !== "committed" || outcome.filesCommitted !== expectedFiles) {
    throw new Error(`${session.topicExport.topic}: expected ${expectedFiles} files committed, got ${outcome.status} with ${outcome.filesCommitted}`);
  }
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, requests, merged: (requests["S3 GET manifest"]?.count ?? 0) > 0 };
}
