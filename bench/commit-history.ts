// Building a table's history the way it grows in production: each snapshot a full
// commitTopicTable of what one small ingest batch staged (one data file). Commits that
// merge manifests are recorded: they are the expensive ones, every ~100 commits.
import type { CommitSession } from "./commit-session.js";
import type { RequestLog } from "./request-log.js";

export interface MergeCommit {
  /** The snapshot count after the commit. */
  snapshot: number;
  ms: number;
  manifestsRead: number;
}

export interface HistoryBuild {
  commits: number;
  elapsedMs: number;
  commitMs: number[];
  merges: MergeCommit[];
}

const recordsPerHistoryBatch = 10;

export async function extendHistory(session: CommitSession, log: RequestLog, fromSnapshots: number, toSnapshots: number): Promise<HistoryBuild> {
  const build: HistoryBuild = { commits: 0, elapsedMs: 0, commitMs: [], merges: [] };
  const started = performance.now();
  for (let snapshot = fromSnapshots + 1; snapshot <= toSnapshots; snapshot++) {
    await session.stager.stage(0, recordsPerHistoryBatch);
    log.take();
    const commitStart = performance.now();
    const outcome = await session.commit();
    const ms = performance.now() - commitStart;
    if (outcome.status !== "committed" || outcome.filesCommitted !== 1) throw new Error(`history commit ${snapshot}: ${JSON.stringify(outcome, (_, value: unknown) => (typeof value === "bigint" ? String(value) : value))}`);
    const manifestsRead = log.take()["S3 GET manifest"]?.count ?? 0;
    if (manifestsRead > 0) build.merges.push({ snapshot, ms, manifestsRead });
    build.commitMs.push(ms);
    build.commits++;
    if (snapshot % 100 === 0) console.error(`  history: ${snapshot} snapshots, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  build.elapsedMs = performance.now() - started;
  return build;
}
