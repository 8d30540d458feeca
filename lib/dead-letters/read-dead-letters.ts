// The dead letters a topic's dead-letter table holds (SPEC.md §9), read with our own
// manifest and Parquet readers: the live files of its current snapshot, each file's rows by
// field id (lib/commit/data-file-reader.ts). Dead letters are few, so they are read whole.
import type { Catalog, LoadedTable } from "../catalog/catalog.js";
import { readDataFileRows } from "../commit/data-file-reader.js";
import { ExportError } from "../core/errors.js";
import { readLiveFiles } from "../maintenance/live-files.js";
import type { HeaderValue } from "../schema/table-row.js";
import type { TopicExport } from "../state/state-store.js";
import type { ObjectStore } from "../storage/object-store.js";
import { deadLetterReasons, type DeadLetter, type DeadLetterReason } from "./dead-letter.js";
import { deadLetterTableIdentifier } from "./dead-letter-table.js";

export interface DeadLetterTable {
  table: LoadedTable;
  deadLetters: DeadLetter[];
}

/** undefined when the topic has no dead-letter table (never kept any, or not created yet). */
export async function readDeadLetterTable(topicExport: TopicExport, context: { catalog: Catalog; objectStore: ObjectStore }): Promise<DeadLetterTable | undefined> {
  const table = await context.catalog.loadTable(deadLetterTableIdentifier(topicExport.table));
  if (table === undefined) return undefined;
  const { metadata } = table;
  const schema = metadata.schemas.find((candidate) => candidate["schema-id"] === metadata["current-schema-id"]);
  if (schema === undefined) throw new ExportError("INTERNAL", `${table.identifier.namespace}.${table.identifier.name} has no current schema`);
  const live = await readLiveFiles(metadata, context.objectStore);
  const deadLetters: DeadLetter[] = [];
  for (const file of live.dataFiles) {
    for (const row of readDataFileRows(schema, await context.objectStore.get(file.path))) deadLetters.push(deadLetterOfRow(row as unknown as Record<string, unknown>));
  }
  return { table, deadLetters: deadLetters.sort(byPosition) };
}

function deadLetterOfRow(row: Record<string, unknown>): DeadLetter {
  const reason = row["reason"] as string;
  const timestamp = row["timestamp"] as bigint | null;
  return {
    topic: row["topic"] as string,
    partition: row["partition"] as number,
    offset: row["offset"] as bigint,
    timestampMs: timestamp === null ? null : Number(timestamp / 1000n),
    key: row["key"] as Uint8Array | null,
    value: row["value"] as Uint8Array | null,
    headers: ((row["headers"] as HeaderValue[] | null) ?? []).map((header) => ({ key: header.key, value: header.value })),
    // A reason this release does not know (written by a later one) reads as a malformed event: never replayed.
    reason: (deadLetterReasons as readonly string[]).includes(reason) ? (reason as DeadLetterReason) : "malformed-event",
    detail: (row["detail"] as string | null) ?? "",
    schemaId: row["schema_id"] as number | null,
    rejectedAtMs: Number((row["rejected_at"] as bigint) / 1000n),
  };
}

function byPosition(a: DeadLetter, b: DeadLetter): number {
  if (a.partition !== b.partition) return a.partition - b.partition;
  return a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0;
}
