// Iceberg's Java implementation, through the Spark session of the test environment
// (test/env/spark.ts): reads a table as Java decodes it, and writes to it as a Java engine
// would (INSERT, compaction, manifest rewrite, snapshot expiry, orphan removal) — the
// maintenance that Spark, Athena and Glue may run beside us at any time.
import { testEnvironment } from "./test-environment.js";
import type { IcebergField } from "./iceberg-reader.js";

/** A table as Spark reaches it: the local file catalog (Hadoop layout), Glue on moto, or a local metadata file (read only). */
export type JavaTableAddress =
  | { catalog: "local"; tableLocation: string }
  | { catalog: "glue"; endpoint: string; database: string; table: string }
  /** An Iceberg REST catalog (the test environment's server), its tables on moto's S3 or the local disk. */
  | { catalog: "rest"; uri: string; endpoint: string; database: string; table: string }
  | { catalog: "metadata-file"; metadataLocation: string };

export interface JavaDataFile {
  path: string;
  "record-count": number;
  "value-counts": Record<string, number>;
  "null-value-counts": Record<string, number>;
  "nan-value-counts": Record<string, number>;
  /** Field id → the bound as Java's Conversions decodes it, in iceberg_tool.py's JSON conventions. */
  "lower-bounds": Record<string, unknown>;
  "upper-bounds": Record<string, unknown>;
}

/** What Iceberg-Java sees of a table; values follow the JSON conventions of iceberg_tool.py. */
export interface JavaTableReadout {
  "format-version": number;
  location: string;
  "current-schema-id": number;
  schemas: { "schema-id": number; fields: IcebergField[] }[];
  "current-snapshot-id": string | number | null;
  snapshots: { "snapshot-id": string | number; "parent-snapshot-id": string | number | null; "sequence-number": number; summary: Record<string, string> }[];
  "data-files": JavaDataFile[];
  rows: Record<string, unknown>[];
}

export function readTableWithJava(table: JavaTableAddress): Promise<JavaTableReadout> {
  return request<JavaTableReadout>("/read", { table });
}

/**
 * Runs Spark SQL statements on a table, in order; in each, `{table}` is the table's Spark name
 * (catalog.namespace.name), `{catalog}` its catalog and `{identifier}` "namespace.name".
 * Returns the rows of the last statement.
 */
export function runSparkSql(table: Exclude<JavaTableAddress, { catalog: "metadata-file" }>, statements: string[]): Promise<Record<string, unknown>[]> {
  return request<Record<string, unknown>[]>("/sql", { table, statements });
}

type WritableAddress = Exclude<JavaTableAddress, { catalog: "metadata-file" }>;

/**
 * Java (Spark) appends rows as one snapshot: JSON objects with the table's column names, absent
 * columns null, timestamps as ISO 8601 text, binary as base64.
 */
export async function javaAppendRows(table: WritableAddress, rows: Record<string, unknown>[]): Promise<void> {
  await request("/append", { table, rows });
}

/** Java appends rows: `select` is a Spark SQL query whose columns are the table's, in order. */
export async function javaInsert(table: WritableAddress, select: string): Promise<void> {
  await runSparkSql(table, [`INSERT INTO {table} ${select}`]);
}

/** Java compacts every data file into new ones (Iceberg's rewrite_data_files, a `replace` snapshot). */
export async function javaRewriteDataFiles(table: WritableAddress): Promise<Record<string, unknown>> {
  const [result] = await runSparkSql(table, ["CALL {catalog}.system.rewrite_data_files(table => '{identifier}', options => map('rewrite-all', 'true'))"]);
  return result ?? {};
}

/** Java rewrites the manifests of the current snapshot (Iceberg's rewrite_manifests). */
export async function javaRewriteManifests(table: WritableAddress): Promise<Record<string, unknown>> {
  const [result] = await runSparkSql(table, ["CALL {catalog}.system.rewrite_manifests(table => '{identifier}', use_caching => false)"]);
  return result ?? {};
}

/** Java expires every snapshot older than `olderThan` beyond the newest `retainLast` (Iceberg's expire_snapshots). */
export async function javaExpireSnapshots(table: WritableAddress, options: { olderThan?: Date; retainLast?: number } = {}): Promise<Record<string, unknown>> {
  const olderThan = sparkTimestamp(options.olderThan ?? new Date());
  const [result] = await runSparkSql(table, [
    `CALL {catalog}.system.expire_snapshots(table => '{identifier}', older_than => TIMESTAMP '${olderThan}', retain_last => ${options.retainLast ?? 1})`,
  ]);
  return result ?? {};
}

/**
 * Java deletes the files under the table location that no snapshot references and that are
 * older than `olderThan` (Iceberg's remove_orphan_files, listing through the table's FileIO: Spark has no Hadoop S3 file system here). Iceberg refuses an age under 24 hours
 * unless `spark.testing` is set, which the test session sets: nothing else writes these tables.
 */
export async function javaRemoveOrphanFiles(table: WritableAddress, options: { olderThan?: Date } = {}): Promise<string[]> {
  const olderThan = sparkTimestamp(options.olderThan ?? new Date());
  const rows = await runSparkSql(table, [`CALL {catalog}.system.remove_orphan_files(table => '{identifier}', older_than => TIMESTAMP '${olderThan}', prefix_listing => true)`]);
  return rows.map((row) => String(row["orphan_file_location"]));
}

/** A UTC instant as a Spark timestamp literal's text (the session's time zone is UTC). */
function sparkTimestamp(instant: Date): string {
  return instant.toISOString().replace("T", " ").replace("Z", "");
}

async function request<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${testEnvironment().sparkUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { result?: T; error?: string; trace?: string };
  if (!response.ok || answer.error !== undefined) {
    throw new Error(`Iceberg-Java (Spark) ${path} failed: ${answer.error ?? response.status}\n${answer.trace ?? ""}`);
  }
  return answer.result as T;
}
