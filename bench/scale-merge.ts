// The merge case of the scale benchmark: one table partition holding many small staged files
// that sum to just under the target file size (128 MiB by default), so the commit merges all
// of them into one data file. Run in a fresh process; its peak RSS is set against the commit
// function's memory setting (serverless.yml's commitMemoryMb default).
import { readFileSync } from "node:fs";
import { commitTopicTable } from "../lib/commit/commit-table.js";
import { silentLogger } from "../lib/core/logger.js";
import { createCommitContext } from "../lib/runtime/commit-runtime.js";
import { awsTestClientConfig } from "../test/env/aws.js";
import { benchConfig, topicExportOf } from "./commit-tables.js";
import type { ScaleTables } from "./scale-tables.js";

export interface MergeMeasurement {
  stagedFiles: number;
  stagedBytes: number;
  records: number;
  /** Data files the snapshot added, and their bytes. */
  addedFiles: number;
  addedBytes: number;
  targetFileSizeBytes: number;
  commitMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
}

export async function measureMerge(tables: ScaleTables): Promise<MergeMeasurement> {
  const config = benchConfig(tables);
  const context = createCommitContext(config, { logger: silentLogger, awsClientConfig: awsTestClientConfig(tables.awsEndpoint) });
  const topicExport = topicExportOf(tables, tables.topics[0] ?? "");
  const table = `${topicExport.table.namespace}.${topicExport.table.name}`;
  const staged = await context.stateStore.stagedFiles(table);
  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
  const started = performance.now();
  const outcome = await commitTopicTable(topicExport, context);
  const commitMs = performance.now() - started;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  if (outcome.status !== "committed" || outcome.filesCommitted !== staged.length) throw new Error(`${table}: expected ${staged.length} staged files committed, got ${outcome.status} with ${outcome.filesCommitted}`);
  const loaded = await context.catalog.loadTable(topicExport.table);
  const summary = loaded?.metadata.snapshots.find((snapshot) => snapshot["snapshot-id"] === outcome.snapshotId)?.summary ?? ({} as Record<string, string>);
  return {
    stagedFiles: staged.length,
    stagedBytes: staged.reduce((sum, file) => sum + file.fileSizeBytes, 0),
    records: outcome.recordsCommitted,
    addedFiles: Number(summary["added-data-files"] ?? Number.NaN),
    addedBytes: Number(summary["added-files-size"] ?? Number.NaN),
    targetFileSizeBytes: config.targetFileSizeBytes,
    commitMs,
    rssBeforeMb,
    peakRssMb,
  };
}

/** The commit function's memory in MB: the `commitMemoryMb` default in serverless.yml's params. */
export function commitMemorySettingMb(serverlessYml: string): number {
  const match = /^\s+commitMemoryMb:\s*"?(\d+)"?/m.exec(readFileSync(serverlessYml, "utf8"));
  if (match?.[1] === undefined) throw new Error(`no commitMemoryMb default in ${serverlessYml}`);
  return Number(match[1]);
}
