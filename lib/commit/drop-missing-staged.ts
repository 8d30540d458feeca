// The operator's way past a missing staged file (SPEC.md §2.5: "the loss is recorded, never
// hidden"): the lost offset ranges are recorded in the table itself, as the table property
// `kafka-iceberg-export.lost-ranges`, so that anyone reading the table can see what it lacks.
// The next commit appends the other files staged with them and never a recorded one, and its
// bookkeeping takes the lost files out of staging with their batch: staging is kept per batch
// (all files of one Kafka batch together), so no file is dropped on its own here.
import type { Catalog, TableIdentifier } from "../catalog/catalog.js";
import { commitTableChange } from "../catalog/table-change.js";
import type { Logger } from "../core/logger.js";
import type { StagedFile, StateStore } from "../state/state-store.js";
import type { ObjectStore } from "../storage/object-store.js";
import { missingStagedFiles } from "./missing-staged-files.js";

export const lostRangesProperty = "kafka-iceberg-export.lost-ranges";

export interface LostRange {
  topic: string;
  partition: number;
  "first-offset": string;
  "last-offset": string;
  records: number;
  file: string;
  /** ISO 8601: when the entry was dropped. */
  "dropped-at": string;
}

export interface DropMissingStagedContext {
  stateStore: StateStore;
  catalog: Catalog;
  objectStore: ObjectStore;
  logger: Logger;
  now: () => number;
}

export interface DropMissingStagedOutcome {
  table: string;
  dropped: LostRange[];
}

export async function dropMissingStagedFiles(identifier: TableIdentifier, context: DropMissingStagedContext): Promise<DropMissingStagedOutcome> {
  const table = `${identifier.namespace}.${identifier.name}`;
  const loaded = await context.catalog.loadTable(identifier);
  const recorded = lostFilesOf(loaded?.metadata.properties ?? {});
  const staged = (await context.stateStore.stagedFiles(table)).filter((file) => !recorded.has(file.location));
  const missing = await missingStagedFiles(staged, context.objectStore);
  if (missing.length === 0) return { table, dropped: [] };
  const droppedAt = new Date(context.now()).toISOString();
  const ranges = missing.map((file) => lostRangeOf(file, droppedAt));
  await recordLostRanges(identifier, ranges, context);
  context.logger.warn("missing staged files recorded as lost in the table; the next commit drops them from staging", { table, ranges });
  return { table, dropped: ranges };
}

/** The locations of the files a table records as lost. */
export function lostFilesOf(properties: Readonly<Record<string, string>>): Set<string> {
  return new Set(lostRangesOf(properties).map((range) => range.file));
}

/** The lost ranges a table records; empty when it records none. */
export function lostRangesOf(properties: Readonly<Record<string, string>>): LostRange[] {
  const text = properties[lostRangesProperty];
  if (text === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as LostRange[]) : [];
  } catch {
    return [];
  }
}

function lostRangeOf(file: StagedFile, droppedAt: string): LostRange {
  return {
    topic: file.topic,
    partition: file.partition,
    "first-offset": file.firstOffset.toString(),
    "last-offset": file.lastOffset.toString(),
    records: file.recordCount,
    file: file.location,
    "dropped-at": droppedAt,
  };
}

async function recordLostRanges(identifier: TableIdentifier, ranges: readonly LostRange[], context: DropMissingStagedContext): Promise<void> {
  await commitTableChange(
    identifier,
    (base) => {
      const recorded = lostRangesOf(base.metadata.properties);
      const fresh = ranges.filter((range) => !recorded.some((known) => known.file === range.file));
      if (fresh.length === 0) return undefined;
      return {
        updates: [{ action: "set-properties", updates: { [lostRangesProperty]: JSON.stringify([...recorded, ...fresh]) } }],
        requirements: [{ type: "assert-table-uuid", uuid: base.metadata["table-uuid"] }],
        plan: fresh,
      };
    },
    { catalog: context.catalog, logger: context.logger, now: context.now },
  );
}
