// The maintenance part of `npm run bench:commit` (SPEC.md §8): a table a minute-by-minute
// export has written for a week holds 10,000 snapshots unless they expire. Built the fastest
// way — synthetic snapshots chained on top of the measured table's real history, sharing its
// current manifest list — then expired by one maintenance pass as the scheduled function
// runs it, measured in a process of its own (wall time, peak RSS). The commits measured after
// it show what a commit costs on a table kept bounded. A second table with 10,000 small data
// files in 100 snapshots is maintained the same way, for the time and memory of a pass.
import { S3Client } from "@aws-sdk/client-s3";
import { createS3ObjectStore } from "../lib/adapters/aws/s3-object-store.js";
import type { LoadedTable } from "../lib/catalog/catalog.js";
import { commitTableChange } from "../lib/catalog/table-change.js";
import { silentLogger } from "../lib/core/logger.js";
import { produceFastAppend, type AppendedDataFile } from "../lib/iceberg/fast-append.js";
import { expiryProperties } from "../lib/iceberg/table-properties.js";
import type { Snapshot } from "../lib/iceberg/table-metadata.js";
import type { TableUpdate } from "../lib/iceberg/table-updates.js";
import { maintainTables, type MaintenancePassOutcome } from "../lib/maintenance/maintain-tables.js";
import { createCommitContext } from "../lib/runtime/commit-runtime.js";
import type { TableIdentifier } from "../lib/catalog/table-identifier.js";
import { awsTestClientConfig } from "../test/env/aws.js";
import type { CommitSession } from "./commit-session.js";
import { benchConfig, type BenchTables } from "./commit-tables.js";

export interface MaintenanceMeasurement {
  wallMs: number;
  peakRssMb: number;
  snapshotsExpired: number;
  filesDeleted: number;
  orphansRemoved: number;
  metadataBytesAfter: number;
}

/** Snapshots kept by the expiry of the benchmark's tables. */
export const keptSnapshots = 50;
const day = 86_400_000;

function contextOf(tables: BenchTables) {
  return createCommitContext(benchConfig(tables), { logger: silentLogger, awsClientConfig: awsTestClientConfig(tables.awsEndpoint) });
}

/** Chains `count` synthetic snapshots onto the current one, each listing its manifests. */
export async function addSyntheticSnapshots(tables: BenchTables, identifier: TableIdentifier, count: number): Promise<void> {
  const context = contextOf(tables);
  await commitTableChange(
    identifier,
    (base) => {
      const current = currentSnapshot(base);
      const updates: TableUpdate[] = [];
      let parent = current;
      for (let index = 1; index <= count; index++) {
        const snapshot: Snapshot = {
          ...current,
          "snapshot-id": current["snapshot-id"] + BigInt(index),
          "parent-snapshot-id": parent["snapshot-id"],
          "sequence-number": base.metadata["last-sequence-number"] + index,
          "timestamp-ms": current["timestamp-ms"] + index,
          summary: { operation: "append", "added-data-files": "0", "total-data-files": current.summary["total-data-files"] ?? "0" },
        };
        updates.push({ action: "add-snapshot", snapshot }, { action: "set-snapshot-ref", "ref-name": "main", "snapshot-id": snapshot["snapshot-id"], type: "branch" });
        parent = snapshot;
      }
      return { updates, requirements: [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": current["snapshot-id"] }], plan: undefined };
    },
    { catalog: context.catalog, logger: silentLogger, now: Date.now },
  );
}

/** `count` data-file entries per snapshot (copies of one staged file's metadata under new names), `snapshots` fast appends. */
export async function addSmallFileHistory(tables: BenchTables, session: CommitSession, snapshots: number, filesPerSnapshot: number): Promise<void> {
  const context = contextOf(tables);
  const template = await session.stager.stage(0, 10);
  const identifier = session.topicExport.table;
  for (let snapshot = 0; snapshot < snapshots; snapshot++) {
    const base = await context.catalog.loadTable(identifier);
    if (base === undefined) throw new Error("the maintained table does not exist; commit once first");
    const dataFiles: AppendedDataFile[] = Array.from({ length: filesPerSnapshot }, (_, index) => ({
      ...template,
      location: template.location.replace(/\.parquet$/, `-copy-${snapshot}-${index}.parquet`),
    }));
    const append = await produceFastAppend(base.metadata, {
      dataFiles,
      snapshotId: BigInt(Date.now()) * 1000n + BigInt(snapshot),
      objectStore: context.objectStore,
      manifestLocation: (name) => `${base.metadata.location}/metadata/${name}`,
      manifestListLocation: (name) => `${base.metadata.location}/metadata/${name}`,
      nowMs: Date.now(),
    });
    await context.catalog.commitTable(base, { updates: append.updates, requirements: append.requirements, nowMs: Date.now() });
  }
}

/** The table keeps `keptSnapshots` and expires the rest as soon as they are a day old. */
export async function setRetention(tables: BenchTables, identifier: TableIdentifier): Promise<void> {
  const context = contextOf(tables);
  await commitTableChange(
    identifier,
    () => ({ updates: [{ action: "set-properties", updates: { [expiryProperties.maxSnapshotAgeMs]: String(day), [expiryProperties.minSnapshotsToKeep]: String(keptSnapshots) } }], requirements: [], plan: undefined }),
    { catalog: context.catalog, logger: silentLogger, now: Date.now },
  );
}

export async function metadataBytes(tables: BenchTables, identifier: TableIdentifier): Promise<number> {
  const loaded = await contextOf(tables).catalog.loadTable(identifier);
  if (loaded === undefined) return 0;
  return (await createS3ObjectStore({ client: new S3Client(awsTestClientConfig(tables.awsEndpoint)) }).get(loaded.metadataLocation)).length;
}

/** Run in a process of its own: one maintenance pass over one table, two days on (every snapshot past its age). */
export async function measureMaintenancePass(tables: BenchTables, identifier: TableIdentifier): Promise<MaintenanceMeasurement> {
  const context = contextOf(tables);
  const started = performance.now();
  const outcome: MaintenancePassOutcome = await maintainTables(
    { ...context, logger: silentLogger, now: () => Date.now() + 2 * day, parts: { expireSnapshots: true, removeOrphans: true }, orphanMinAgeMs: day },
    identifier,
  );
  const wallMs = performance.now() - started;
  if (outcome.failures.length > 0) throw new Error(`maintenance failed: ${String(outcome.failures[0]?.error)}`);
  const table = outcome.tables[0];
  const deleted = table?.expiry?.deleted;
  return {
    wallMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    snapshotsExpired: table?.expiry?.snapshotsExpired ?? 0,
    filesDeleted: deleted === undefined ? 0 : deleted.dataFiles.length + deleted.manifests.length + deleted.manifestLists.length,
    orphansRemoved: table?.orphans?.removed.length ?? 0,
    metadataBytesAfter: await metadataBytes(tables, identifier),
  };
}

function currentSnapshot(base: LoadedTable): Snapshot {
  const current = base.metadata.snapshots.find((snapshot) => snapshot["snapshot-id"] === base.metadata["current-snapshot-id"]);
  if (current === undefined) throw new Error("the table has no current snapshot");
  return current;
}
