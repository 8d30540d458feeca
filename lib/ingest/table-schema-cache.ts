// The schema an export job writes with (SPEC.md §3, "Field ids and schema evolution"): at
// the first use, and again once the cached one is older than the refresh interval, the
// latest schema of the topic's value subject is fetched and the table's schema state is
// evolved to it. A changed state is saved with a conditional write; losing that race
// means another job saved first, so its state is reloaded and evolved again.
import type protobuf from "protobufjs";
import { ExportError } from "../core/errors.js";
import type { StructType } from "../iceberg/types.js";
import type { SchemaRegistryClient } from "../registry/registry-client.js";
import { evolveSchemaState, type SchemaState } from "../schema/schema-state.js";
import { parquetLayout, type ParquetLayout } from "../parquet/parquet-schema.js";
import { createColumnarValueDecoder, type ColumnarValueDecoder } from "../decode/columnar-decoder.js";
import type { WireFormat } from "../decode/value-decoder.js";
import { inSchemaContext, withSchemaContext } from "../schema/schema-mapping-error.js";
import { latestValueSchema, type ValueSchema } from "../registry/value-schema.js";
import { saveEvolvedSchemaState } from "../state/saved-schema-state.js";
import type { StateStore, TopicExport } from "../state/state-store.js";

export interface TableSchema {
  valueSchema: ValueSchema;
  state: SchemaState;
  /** The Parquet layout of the state's schema, shared by every file written with it. */
  layout: ParquetLayout;
  /** Decodes a record value straight into the `val` leaves of a file's columns. */
  appendValue: ColumnarValueDecoder;
  /** How values are framed: tells a dead letter's wire-format refusal from a payload one. */
  wireFormat: WireFormat;
}

export interface TableSchemaCacheOptions {
  stateStore: StateStore;
  /** Undefined when no registry is configured: every topic is exported as raw bytes. */
  registry: SchemaRegistryClient | undefined;
  wireFormat?: WireFormat;
  refreshIntervalMs?: number;
  now?: () => number;
}

export interface SchemaForOptions {
  /**
   * Checks the evolved schema state before it is saved, given the state it evolved from;
   * throwing refuses it, and nothing is saved. With it the schema is loaded afresh, never
   * taken from the cache (enable: the limits of Glue and Athena).
   */
  admit?: (next: SchemaState, previous: SchemaState | undefined) => void;
}

export interface TableSchemaCache {
  schemaFor(topicExport: TopicExport, options?: SchemaForOptions): Promise<TableSchema>;
}


export function createTableSchemaCache(options: TableSchemaCacheOptions): TableSchemaCache {
  const { stateStore, registry, wireFormat = "confluent", refreshIntervalMs = 300_000, now = Date.now } = options;
  const cached = new Map<string, { loadedAt: number; schema: Promise<TableSchema> }>();

  async function loadTableSchema(topicExport: TopicExport, admit: SchemaForOptions["admit"]): Promise<TableSchema> {
    const valueSchema: ValueSchema =
      registry === undefined
        ? { kind: "raw", subject: topicExport.valueSubject, reason: "no schema registry is configured" }
        : await latestValueSchema(registry, {
            subject: topicExport.valueSubject,
            subjectIsExplicit: topicExport.subjectIsExplicit,
            ...(topicExport.messageName === undefined ? {} : { messageName: topicExport.messageName }),
          }).catch((error: unknown) => Promise.reject(inSchemaContext(`topic ${topicExport.topic}`, error)));
    const messageType = valueSchema.kind === "protobuf" ? valueSchema.messageType : undefined;
    // Errors of the mapping name the field; these name where the field is.
    const context = `topic ${topicExport.topic}, subject ${valueSchema.subject}${valueSchema.kind === "protobuf" ? `, message ${valueSchema.messageName}` : ""}`;
    const state = await evolvedSchemaState({ stateStore, table: tableKey(topicExport), messageType, context, admit });
    return withSchemaContext(context, () => {
      const layout = parquetLayout(state.schema);
      return { valueSchema, state, layout, appendValue: createColumnarValueDecoder({ messageType, valStruct: valStructOf(state), wireFormat }, layout), wireFormat };
    });
  }

  function schemaFor(topicExport: TopicExport, options: SchemaForOptions = {}): Promise<TableSchema> {
    const key = `${topicExport.topic}\u0000${tableKey(topicExport)}`;
    const entry = cached.get(key);
    if (options.admit === undefined && entry !== undefined && now() - entry.loadedAt < refreshIntervalMs) return entry.schema;
    const schema = loadTableSchema(topicExport, options.admit);
    cached.set(key, { loadedAt: now(), schema });
    // A failed load (registry unreachable) must not stay cached: the next batch tries again.
    schema.catch(() => {
      if (cached.get(key)?.schema === schema) cached.delete(key);
    });
    return schema;
  }

  return { schemaFor };
}

interface EvolvedSchemaStateOptions {
  stateStore: StateStore;
  table: string;
  messageType: protobuf.Type | undefined;
  /** The topic, subject and message, for errors. */
  context: string;
  admit: SchemaForOptions["admit"];
}

function evolvedSchemaState(options: EvolvedSchemaStateOptions): Promise<SchemaState> {
  const { stateStore, table, messageType, context, admit } = options;
  return saveEvolvedSchemaState(stateStore, table, (stored) =>
    withSchemaContext(context, () => {
      const evolved = evolveSchemaState(stored, messageType);
      admit?.(evolved.state, stored);
      return evolved;
    }),
  );
}

export function tableKey(topicExport: TopicExport): string {
  return `${topicExport.table.namespace}.${topicExport.table.name}`;
}

export function valStructOf(state: SchemaState): StructType {
  const val = state.schema.fields.find((field) => field.name === "val")?.type;
  if (val === undefined || typeof val === "string" || val.type !== "struct") throw new ExportError("INTERNAL", "the table schema has no val struct");
  return val;
}
