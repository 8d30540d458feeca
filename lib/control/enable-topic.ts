// `enable` (SPEC.md §2, §6): export a topic from now on. The topic must exist and must not be
// compacted; each partition's log-end offset becomes its start offset, so nothing produced
// before (no backfill) or during an earlier disable (the gap stays a gap) is ever exported.
// The table is created from the latest registered schema before the topic is marked enabled,
// so readers find it, empty, at once.
//
// Recovery after a lost state store (SPEC.md §2.6, docs/deploy.md): a topic with no export
// record whose table already holds this system's committed offsets for it was exported before
// (disable keeps the record, so only a lost state forgets it). Its partitions resume from the
// committed offset + 1 instead of the log end, so that what was staged but never committed,
// lost with the state, is read again: nothing lost, and nothing twice, as every commit leaves
// out what the table's offsets already hold.
import type { Catalog, LoadedTable } from "../catalog/catalog.js";
import { tableLocationFor } from "../catalog/table-location.js";
import { committedOffsetsOf } from "../commit/committed-offsets.js";
import { loadOrCreateExportTable } from "../commit/export-table.js";
import { ConditionFailedError, ConfigurationError, ExportError } from "../core/errors.js";
import { tableKey, type TableSchemaCache } from "../ingest/table-schema-cache.js";
import type { ValueSchema } from "../schema/value-schema.js";
import type { Partitioning, StateStore, TopicExport } from "../state/state-store.js";
import { tableIdentifierFor } from "./table-naming.js";
import { isCompacted, type TopicAdmin } from "./topic-admin.js";

export interface ExportControlContext {
  stateStore: StateStore;
  catalog: Catalog;
  topicAdmin: TopicAdmin;
  schemas: TableSchemaCache;
  /** `s3://bucket/prefix` or a local folder; tables live at `<warehouse>/<namespace>/<name>`. */
  warehouse: string;
  /** The Glue database, or the local catalog's namespace. */
  namespace: string;
  now: () => number;
}

export interface EnableTopicRequest {
  topic: string;
  /** The table's name in the namespace; derived from the topic when absent. */
  table?: string;
  /** `<topic>-value` when absent. */
  valueSubject?: string;
  /** The first message of the schema when absent. */
  messageName?: string;
  partitioning?: Partitioning;
}

export type EnableStatus = "enabled" | "re-enabled" | "resumed" | "already-enabled";

export interface EnableTopicOutcome {
  status: EnableStatus;
  /**
   * Set when the topic had no export record but its table holds committed offsets for it (a
   * lost state store): the partitions resumed from committed offset + 1, and those that had
   * nothing committed, which start at the log end.
   */
  resumed?: { fromCommitted: Record<number, bigint>; atLogEnd: number[] };
  topicExport: TopicExport;
  table: LoadedTable;
  valueSchema: ValueSchema;
}

export async function enableTopic(request: EnableTopicRequest, context: ExportControlContext): Promise<EnableTopicOutcome> {
  const { topic } = request;
  const description = await context.topicAdmin.describeTopic(topic);
  if (description === undefined) throw new ExportError("NOT_FOUND", `topic ${topic} does not exist on the cluster`);
  if (isCompacted(description)) {
    throw new ExportError(
      "TOPIC_NOT_EXPORTABLE",
      `topic ${topic} cannot be exported: its cleanup.policy is '${description.cleanupPolicy}', and a compacted topic's offsets do not identify a stable set of records`,
    );
  }
  const previous = await context.stateStore.topicExport(topic);
  const identifier = tableIdentifierFor(topic, context.namespace, request.table ?? previous?.table.name);
  if (previous !== undefined && (previous.table.namespace !== identifier.namespace || previous.table.name !== identifier.name)) {
    throw new ConfigurationError("--table", `topic ${topic} is already exported to ${previous.table.namespace}.${previous.table.name}; it cannot move to ${identifier.namespace}.${identifier.name}`);
  }
  if (previous?.enabled === true) {
    const { table, valueSchema } = await ensureTable(previous, context);
    // A store written before store markers existed gets its marker here (SPEC.md §2.6).
    await context.stateStore.ensureStoreMarker();
    return { status: "already-enabled", topicExport: previous, table, valueSchema };
  }

  const valueSubject = request.valueSubject ?? previous?.valueSubject ?? `${topic}-value`;
  const messageName = request.messageName ?? previous?.messageName;
  const topicExport: TopicExport = {
    topic,
    enabled: true,
    table: identifier,
    tableLocation: previous?.tableLocation ?? tableLocationFor(context.warehouse, identifier),
    // Read last, right before the export is recorded: everything from here on is exported.
    startOffsets: {},
    valueSubject,
    subjectIsExplicit: request.valueSubject !== undefined || (previous?.subjectIsExplicit ?? false),
    ...(messageName === undefined ? {} : { messageName }),
    partitioning: request.partitioning ?? previous?.partitioning ?? "day",
    updatedAt: new Date(context.now()).toISOString(),
  };
  if (previous === undefined) await seedSchemaStateFromTable(topicExport, context);
  const { table, valueSchema } = await ensureTable(topicExport, context);
  const logEnd = await context.topicAdmin.logEndOffsets(topic);
  const committed = previous === undefined ? committedOffsetsOf(table.metadata).get(topic) : undefined;
  if (committed === undefined || committed.size === 0) {
    const enabled = { ...topicExport, startOffsets: logEnd };
    await context.stateStore.putTopicExport(enabled);
    return { status: previous === undefined ? "enabled" : "re-enabled", topicExport: enabled, table, valueSchema };
  }
  const resumed = resumeFromCommitted(logEnd, committed);
  const enabled = { ...topicExport, startOffsets: resumed.startOffsets };
  await context.stateStore.putTopicExport(enabled);
  return { status: "resumed", resumed: { fromCommitted: resumed.fromCommitted, atLogEnd: resumed.atLogEnd }, topicExport: enabled, table, valueSchema };
}

/** Start offsets after a lost state: committed + 1 where the table holds an offset, the log end elsewhere. */
export function resumeFromCommitted(
  logEnd: Readonly<Record<number, bigint>>,
  committed: ReadonlyMap<number, bigint>,
): { startOffsets: Record<number, bigint>; fromCommitted: Record<number, bigint>; atLogEnd: number[] } {
  const startOffsets: Record<number, bigint> = {};
  const fromCommitted: Record<number, bigint> = {};
  const atLogEnd: number[] = [];
  const partitions = new Set([...Object.keys(logEnd).map(Number), ...committed.keys()]);
  for (const partition of [...partitions].sort((a, b) => a - b)) {
    const offset = committed.get(partition);
    if (offset !== undefined) {
      startOffsets[partition] = offset + 1n;
      fromCommitted[partition] = offset + 1n;
    } else {
      startOffsets[partition] = logEnd[partition] ?? 0n;
      atLogEnd.push(partition);
    }
  }
  return { startOffsets, fromCommitted, atLogEnd };
}

/**
 * A table that exists while the store has no schema state for it (a lost state store, or a
 * new store over an existing table): its current schema is the truth about field ids, so
 * the schema state starts from it instead of allocating ids anew (SPEC.md §3).
 */
async function seedSchemaStateFromTable(topicExport: TopicExport, context: ExportControlContext): Promise<void> {
  const key = tableKey(topicExport);
  if ((await context.stateStore.schemaState(key)) !== undefined) return;
  const existing = await context.catalog.loadTable(topicExport.table);
  if (existing === undefined) return;
  const { metadata } = existing;
  const schema = metadata.schemas.find((candidate) => candidate["schema-id"] === metadata["current-schema-id"]);
  if (schema === undefined) return;
  try {
    await context.stateStore.saveSchemaState(key, { formatVersion: 1, lastColumnId: metadata["last-column-id"], schema }, undefined);
  } catch (error) {
    // Someone saved one meanwhile: theirs stands.
    if (!(error instanceof ConditionFailedError)) throw error;
  }
}

async function ensureTable(topicExport: TopicExport, context: ExportControlContext): Promise<{ table: LoadedTable; valueSchema: ValueSchema }> {
  const schema = await context.schemas.schemaFor(topicExport);
  const table = await loadOrCreateExportTable(topicExport, schema.state.schema, context);
  return { table, valueSchema: schema.valueSchema };
}
