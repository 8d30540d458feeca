// A table's first hours at the default one-minute commit frequency, compressed (SPEC.md §8,
// issue 13): hundreds of commits of a few records each on a simulated clock that advances a
// minute per commit, hourly partitions, expiry keeping 50 snapshots, and the scheduled
// maintenance pass (compaction, expiry, orphan removal, wired as the Lambda wires it) every
// 25 commits. The clock starts ahead of the wall clock, so every file on storage is older
// than the pass that looks at it, as it is a day into production.
import { expect } from "vitest";
import { commitTableChange } from "../../../lib/catalog/table-change.js";
import { parseMaintenanceConfig } from "../../../lib/config/maintenance-config.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { expiryProperties, previousVersionsMax } from "../../../lib/iceberg/table-properties.js";
import { maintainTables } from "../../../lib/maintenance/maintain-tables.js";
import { createMaintenanceContext } from "../../../lib/runtime/maintenance-runtime.js";
import { createCommitHarness, orderIds } from "../commit/commit-harness.js";
import { order, type EventRecord } from "../ingest/ingest-harness.js";
import { tableIdentifierOf, unreferencedFiles } from "./table-files.js";

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;

export interface LongRunOptions {
  storage: "local" | "aws";
  commits: number;
  /** A maintenance pass after every this many commits. */
  passEvery: number;
  /** Orphan removal in every this many passes (it lists the table location and reads every manifest), and in the last. */
  orphanPassEvery: number;
  /** `history.expire.min-snapshots-to-keep`. */
  snapshotsKept: number;
}

export interface LongRunReport {
  bounds: MetadataBounds;
  /** The metadata file's size right before each pass (its largest between passes) and right after it. */
  metadataBytesBeforePass: number[];
  metadataBytesAfterPass: number[];
  closedPartitions: number;
  openPartitions: number;
  snapshotsExpired: number;
  filesCompacted: number;
  orphansRemoved: number;
}

/**
 * The bound on the metadata file, from what it holds (TableMetadata JSON): a fixed part
 * (schema, partition spec, sort order, properties with the committed offsets, refs) measured
 * on the table's first metadata file with slack, plus per retained snapshot its entry and
 * its snapshot-log entry, plus at most `write.metadata.previous-versions-max` metadata-log
 * entries. Per snapshot: our summaries carry the standard keys and the commit's offsets (about
 * 1 KB); 2 KB leaves room. Per log entry: a timestamp and a metadata file location (under
 * 200 bytes for these locations); 300 leaves room. Without expiry, 500 snapshots alone would
 * be about 500 KB: the bound fails a table whose history grows.
 */
export interface MetadataBounds {
  fixedBytes: number;
  /** For the snapshots a pass leaves. */
  afterPassBytes: number;
  /** For the most snapshots the table holds between passes (those kept, a pass's commits, a compaction). */
  betweenPassesBytes: number;
}

const bytesPerSnapshot = 2_048;
const bytesPerLogEntry = 300;

function metadataBounds(firstMetadataBytes: number, metadataLogEntries: number, options: LongRunOptions): MetadataBounds {
  const fixedBytes = firstMetadataBytes + 4_096;
  const forSnapshots = (snapshots: number): number => fixedBytes + snapshots * bytesPerSnapshot + metadataLogEntries * bytesPerLogEntry;
  return { fixedBytes, afterPassBytes: forSnapshots(options.snapshotsKept), betweenPassesBytes: forSnapshots(options.snapshotsKept + options.passEvery + 1) };
}

/** A clock that advances a minute per commit and a millisecond per reading: snapshot times strictly increase. */
function simulatedClock(): { now: () => number; advance: (ms: number) => void } {
  let ms = Math.ceil(Date.now() / hourMs) * hourMs;
  return {
    now: () => ++ms,
    advance: (by) => {
      ms += by;
    },
  };
}

export async function runLongRun(options: LongRunOptions): Promise<LongRunReport> {
  const harness = await createCommitHarness({ storage: options.storage, partitioning: "hour" });
  const identifier = tableIdentifierOf(harness);
  const clock = simulatedClock();
  const quietPeriodMs = hourMs;
  const maintenance = createMaintenanceContext(
    harness.config,
    parseMaintenanceConfig({ MAINTAIN_COMPACT: "true", COMPACTION_QUIET_PERIOD_MS: String(quietPeriodMs), COMPACTION_MIN_FILES: "10", ORPHAN_MIN_AGE: "0" }),
    { logger: silentLogger, awsClientConfig: harness.clientConfig, now: clock.now },
  );
  const commitContext = harness.commitContext({ now: clock.now });
  const { catalog, objectStore } = commitContext;

  const sent: string[] = [];
  const nextOffset = new Map<number, number>();
  /** When a commit last wrote into each hourly partition, by the partition's hour. */
  const lastWrittenAt = new Map<number, number>();
  let id = 0;

  async function commitOnce(commit: number): Promise<void> {
    clock.advance(minuteMs);
    const nowMs = clock.now();
    const partition = commit % 2;
    // Three records from the last minute; every 20th batch also brings one 90 minutes late
    // (a producer's retry): it lands in a partition that may have closed and been compacted.
    const timestamps = [nowMs - 40_000, nowMs - 20_000, nowMs - 1_000, ...(commit % 20 === 19 ? [nowMs - 90 * minuteMs] : [])];
    const records: EventRecord[] = timestamps.map((timestampMs) => {
      sent.push(`order-${id}`);
      const offset = nextOffset.get(partition) ?? 0;
      nextOffset.set(partition, offset + 1);
      return { offset, value: order(id++), timestampMs };
    });
    await harness.ingestRecords(partition, records);
    const outcome = await harness.commit({ now: clock.now });
    expect(outcome.failures).toEqual([]);
    expect(outcome.tables[0]?.status).toBe("committed");
    for (const timestampMs of timestamps) lastWrittenAt.set(Math.floor(timestampMs / hourMs), nowMs);
  }

  async function metadataBytes(): Promise<{ bytes: number; snapshots: number; loggedVersions: number }> {
    const loaded = await catalog.loadTable(identifier);
    if (loaded === undefined) throw new Error(`${harness.table} is not in the catalog`);
    return { bytes: (await objectStore.get(loaded.metadataLocation)).length, snapshots: loaded.metadata.snapshots.length, loggedVersions: loaded.metadata["metadata-log"].length };
  }

  await commitOnce(0);
  const first = await metadataBytes();
  await commitTableChange(
    identifier,
    () => ({
      updates: [{ action: "set-properties", updates: { [expiryProperties.minSnapshotsToKeep]: String(options.snapshotsKept), [expiryProperties.maxSnapshotAgeMs]: String(30 * minuteMs) } }],
      requirements: [],
      plan: undefined,
    }),
    { catalog, logger: silentLogger, now: clock.now },
  );
  const loaded = await catalog.loadTable(identifier);
  const loggedVersionsMax = previousVersionsMax(loaded?.metadata.properties ?? {});
  const bounds = metadataBounds(first.bytes, loggedVersionsMax, options);
  /** The first pass after which the metadata log was full: from then on the size after a pass stays level. */
  let fullLogPass: number | undefined;

  const report: LongRunReport = { bounds, metadataBytesBeforePass: [], metadataBytesAfterPass: [], closedPartitions: 0, openPartitions: 0, snapshotsExpired: 0, filesCompacted: 0, orphansRemoved: 0 };
  // Between passes the metadata file only grows (a snapshot per commit, the log capped): it is
  // largest right before a pass.
  async function pass(final: boolean): Promise<void> {
    const before = await metadataBytes();
    expect(before.bytes).toBeLessThanOrEqual(bounds.betweenPassesBytes);
    report.metadataBytesBeforePass.push(before.bytes);
    clock.advance(minuteMs);
    const removeOrphans = final || (report.metadataBytesAfterPass.length + 1) % options.orphanPassEvery === 0;
    const outcome = await maintainTables({ ...maintenance, parts: { ...maintenance.parts, removeOrphans } }, identifier);
    expect(outcome.failures).toEqual([]);
    const [tableOutcome] = outcome.tables;
    report.snapshotsExpired += tableOutcome?.expiry?.snapshotsExpired ?? 0;
    report.filesCompacted += tableOutcome?.compaction?.filesReplaced ?? 0;
    report.orphansRemoved += tableOutcome?.orphans?.removed.length ?? 0;
    const after = await metadataBytes();
    expect(after.snapshots).toBeLessThanOrEqual(options.snapshotsKept);
    expect(after.bytes).toBeLessThanOrEqual(bounds.afterPassBytes);
    expect(after.loggedVersions).toBeLessThanOrEqual(loggedVersionsMax);
    if (fullLogPass === undefined && after.loggedVersions === loggedVersionsMax) fullLogPass = report.metadataBytesAfterPass.length;
    report.metadataBytesAfterPass.push(after.bytes);
  }

  for (let commit = 1; commit < options.commits; commit++) {
    await commitOnce(commit);
    if ((commit + 1) % options.passEvery === 0) await pass(commit + 1 === options.commits);
  }
  if (options.commits % options.passEvery !== 0) await pass(true);
  const passAtMs = clock.now();

  const table = await harness.readTable();
  expect(table.snapshots.length).toBeLessThanOrEqual(options.snapshotsKept);
  expect(orderIds(table)).toEqual([...sent].sort());
  // Bounded, not merely below a number: once the log is full, a pass leaves the file the size
  // it left it then (give or take the digits of growing counters and the number of replace
  // snapshots among those kept).
  if (fullLogPass !== undefined) {
    const level = report.metadataBytesAfterPass[fullLogPass] ?? 0;
    for (const bytes of report.metadataBytesAfterPass.slice(fullLogPass)) expect(bytes).toBeLessThanOrEqual(level * 1.2);
  }
  // Not vacuous: expiry and compaction did their work along the way.
  expect(report.snapshotsExpired).toBeGreaterThanOrEqual(options.commits - options.snapshotsKept);
  expect(report.filesCompacted).toBeGreaterThan(0);

  // A partition is closed once its last write is a quiet period old (the pass's own rule).
  const filesPerHour = new Map<number, number>();
  for (const file of table["data-files"]) {
    const hour = Number(file.partition[0]);
    filesPerHour.set(hour, (filesPerHour.get(hour) ?? 0) + 1);
  }
  expect([...filesPerHour.keys()].sort()).toEqual([...lastWrittenAt.keys()].sort());
  for (const [hour, writtenAtMs] of lastWrittenAt) {
    if (passAtMs - writtenAtMs < quietPeriodMs) {
      report.openPartitions++;
      continue;
    }
    report.closedPartitions++;
    expect(filesPerHour.get(hour), `closed partition hour ${hour}`).toBeLessThanOrEqual(2);
  }

  expect(await unreferencedFiles(harness)).toEqual([]);
  return report;
}
