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
import { glueAthenaProblems } from "../catalog/glue-athena-limits.js";
import { stagedFileKeyProblem, tableLocationProblem } from "../catalog/location-limits.js";
import { tableLocationFor } from "../catalog/table-location.js";
import { topicProperty } from "../commit/table-schema.js";
import { committedOffsetsOf } from "../commit/committed-offsets.js";
import { loadOrCreateExportTable } from "../commit/export-table.js";
import { ConditionFailedError, ConfigurationError, ExportError } from "../core/errors.js";
import { tableKey, type TableSchemaCache } from "../ingest/table-schema-cache.js";
import type { SchemaState } from "../schema/schema-state.js";
import type { ValueSchema } from "../registry/value-schema.js";
import type { StateStore, TopicExport } from "../state/state-store.js";
import type { Partitioning } from "../iceberg/partitioning.js";
import type { TableIdentifier } from "../catalog/table-identifier.js";
import { distinctTableName, tableIdentifierFor } from "./table-naming.js";
import { deadLetterExportOf } from "../dead-letters/dead-letter-table.js";
import { deadLetterSchemaState } from "../dead-letters/dead-letter-schema.js";
import { isCompacted, type TopicAdmin } from "./topic-admin.js";

export interface ExportControlContext {
  stateStore: StateStore;
  catalog: Catalog;
  topicAdmin: TopicAdmin;
  schemas: TableSchemaCache;
  /**
   * `s3://bucket/prefix` or a local folder; tables live at `<warehouse>/<namespace>/<name>`.
   * Undefined: the catalog chooses each table's location (a REST catalog; S3 Tables always does).
   */
  warehouse: string | undefined;
  /** The Glue database, or the local or REST catalog's namespace. */
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
  /** Keep invalid records in the dead-letter table (true), or no more (false); absent: as before. */
  deadLetters?: boolean;
}

export type EnableStatus = "enabled" | "re-enabled" | "resumed" | "already-enabled" | "dead-letters-changed";

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
  if (previous === undefined) await refuseSharedTable(topic, identifier, request.table !== undefined, context);
  if (previous?.enabled === true) {
    const changed = request.deadLetters !== undefined && request.deadLetters !== (previous.deadLetters ?? false);
    const current = changed ? { ...previous, deadLetters: request.deadLetters, updatedAt: new Date(context.now()).toISOString() } : previous;
    const { table, valueSchema } = await ensureTable(current, context);
    // A store written before store markers existed gets its marker here (SPEC.md §2.6).
    await context.stateStore.ensureStoreMarker();
    if (changed) await context.stateStore.putTopicExport(current);
    return { status: changed ? "dead-letters-changed" : "already-enabled", topicExport: current, table, valueSchema };
  }

  const valueSubject = request.valueSubject ?? previous?.valueSubject ?? `${topic}-value`;
  const messageName = request.messageName ?? previous?.messageName;
  const topicExport: TopicExport = {
    topic,
    enabled: true,
    table: identifier,
    // Where the catalog put the table is learnt from it below; "" asks it to choose.
    tableLocation: previous?.tableLocation ?? (context.warehouse === undefined ? "" : storableTableLocation(topic, identifier, context.warehouse)),
    // Read last, right before the export is recorded: everything from here on is exported.
    startOffsets: {},
    valueSubject,
    subjectIsExplicit: request.valueSubject !== undefined || (previous?.subjectIsExplicit ?? false),
    ...(messageName === undefined ? {} : { messageName }),
    partitioning: request.partitioning ?? previous?.partitioning ?? "day",
    ...deadLettersChoice(request.deadLetters ?? previous?.deadLetters),
    updatedAt: new Date(context.now()).toISOString(),
  };
  if (previous === undefined) await seedSchemaStateFromTable(topicExport, context);
  const ensured = await ensureTable(topicExport, context);
  const { table, valueSchema } = ensured;
  // Ingest writes where the table is, which is the catalog's choice where it chose (S3 Tables
  // assigns every table's location), not one derived from the warehouse.
  if (previous === undefined) topicExport.tableLocation = checkedTableLocation(topic, identifier, table.metadata.location);
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

// The table is looked at before the schema is: the schema state is the table's, and another
// topic's schema must never evolve it. A table created by another topic's `enable` racing
// this one is caught after creation, by the topic it records.
async function ensureTable(topicExport: TopicExport, context: ExportControlContext): Promise<{ table: LoadedTable; valueSchema: ValueSchema }> {
  const existing = await context.catalog.loadTable(topicExport.table);
  if (existing !== undefined) refuseTableOfOtherTopic(existing, topicExport);
  const schema = await context.schemas.schemaFor(topicExport, { admit: admitQueryableSchema });
  const table = existing ?? (await loadOrCreateExportTable(topicExport, schema.state.schema, context));
  refuseTableOfOtherTopic(table, topicExport);
  if (topicExport.deadLetters === true) await ensureDeadLetterTable(topicExport, context);
  return { table, valueSchema: schema.valueSchema };
}

function deadLettersChoice(deadLetters: boolean | undefined): { deadLetters?: boolean } {
  return deadLetters === undefined ? {} : { deadLetters };
}

// Created with the export, so `dead-letters` and every reader find it, empty, at once. Its
// name and location are checked as the table's are (lib/dead-letters/dead-letter-table.ts).
async function ensureDeadLetterTable(topicExport: TopicExport, context: ExportControlContext): Promise<void> {
  const deadLetterExport = deadLetterExportOf(topicExport);
  tableIdentifierFor(topicExport.topic, deadLetterExport.table.namespace, deadLetterExport.table.name, { deadLetterTable: true });
  const problem = tableLocationProblem(deadLetterExport.tableLocation) ?? stagedFileKeyProblem(topicExport.topic, deadLetterExport.tableLocation);
  if (problem !== undefined) throw new ConfigurationError("--dead-letters", `the dead-letter table cannot be stored at ${deadLetterExport.tableLocation}: ${problem}. Choose a shorter --table`);
  const state = await deadLetterSchemaState(context.stateStore, `${deadLetterExport.table.namespace}.${deadLetterExport.table.name}`);
  const table = await loadOrCreateExportTable(deadLetterExport, state.schema, context);
  refuseTableOfOtherTopic(table, deadLetterExport);
}

// A schema that Glue and Athena could not query is refused before the table or its schema
// state takes it on; what the table already holds is not held against it (it is there
// already, and refusing would not take it away).
function admitQueryableSchema(next: SchemaState, previous: SchemaState | undefined): void {
  const known = new Set(previous === undefined ? [] : glueAthenaProblems(previous.schema));
  const problems = glueAthenaProblems(next.schema).filter((problem) => !known.has(problem));
  if (problems.length > 0) {
    throw new ExportError("SCHEMA_INVALID", `the table could not be queried through Glue and Athena (docs/deploy.md, "What enable checks in the schema"): ${problems.join("; ")}`);
  }
}

/** Each topic has its own table (SPEC.md §2.6): one another topic was ever exported to is not free. */
async function refuseSharedTable(topic: string, identifier: TableIdentifier, named: boolean, context: ExportControlContext): Promise<void> {
  const owner = (await context.stateStore.topicExports()).find((other) => other.topic !== topic && other.table.namespace === identifier.namespace && other.table.name === identifier.name);
  if (owner === undefined) return;
  const how = named ? "" : ` (the name is derived from the topic, and topic ${owner.topic} derives the same)`;
  throw new ConfigurationError(
    "--table",
    `table ${identifier.namespace}.${identifier.name} is already the table of topic ${owner.topic}${owner.enabled ? "" : " (disabled)"}${how}; two topics never share a table. Choose another for ${topic}, e.g. --table ${distinctTableName(topic)}`,
  );
}

function refuseTableOfOtherTopic(table: LoadedTable, topicExport: TopicExport): void {
  const owner = table.metadata.properties[topicProperty];
  if (owner === undefined || owner === topicExport.topic) return;
  const { namespace, name } = topicExport.table;
  throw new ConfigurationError("--table", `table ${namespace}.${name} already holds topic ${owner} (its ${topicProperty} property); two topics never share a table. Choose another for ${topicExport.topic}, e.g. --table ${distinctTableName(topicExport.topic)}`);
}

function storableTableLocation(topic: string, identifier: TableIdentifier, warehouse: string): string {
  return checkedTableLocation(topic, identifier, tableLocationFor(warehouse, identifier));
}

function checkedTableLocation(topic: string, identifier: TableIdentifier, location: string): string {
  const problem = tableLocationProblem(location) ?? stagedFileKeyProblem(topic, location);
  if (problem === undefined) return location;
  throw new ConfigurationError("--table", `table ${identifier.namespace}.${identifier.name} cannot be stored at ${location}: ${problem}. Choose a shorter name, e.g. --table ${distinctTableName(topic)}, or a shorter warehouse`);
}
