// Tests read every table back through pyiceberg and through Iceberg's Java implementation
// (Spark), two Iceberg implementations that are not ours, via the same catalog the table was
// written to, and the two must agree.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { icebergTool, pythonBin } from "./python.js";
import { runCommand } from "./install.js";
import { readTableWithJava, type JavaTableAddress } from "./java-iceberg.js";
import { expectReadersAgree } from "./reader-comparison.js";

export interface IcebergField {
  id: number;
  name: string;
  required: boolean;
  type: IcebergType;
}
export type IcebergType =
  | string
  | { type: "struct"; fields: IcebergField[] }
  | { type: "list"; "element-id": number; "element-required": boolean; element: IcebergType }
  | { type: "map"; "key-id": number; key: IcebergType; "value-id": number; "value-required": boolean; value: IcebergType };

export interface IcebergSnapshot {
  "snapshot-id": string | number;
  "parent-snapshot-id": string | number | null;
  "sequence-number": number;
  summary: Record<string, string>;
}

/** What pyiceberg sees of a table; values follow the JSON conventions of iceberg_tool.py. */
export interface IcebergTableReadout {
  "format-version": number;
  "metadata-location": string;
  location: string;
  properties: Record<string, string>;
  "current-schema-id": number;
  schemas: { "schema-id": number; fields: IcebergField[] }[];
  "partition-spec": { "source-id": number; "field-id": number; name: string; transform: string }[];
  "current-snapshot-id": string | number | null;
  snapshots: IcebergSnapshot[];
  "data-files": IcebergDataFileReadout[];
  rows: Record<string, unknown>[];
}

/** A data file of the current snapshot, with its column statistics keyed by field id. */
export interface IcebergDataFileReadout {
  path: string;
  "record-count": number;
  partition: unknown[];
  "value-counts": Record<string, number>;
  "null-value-counts": Record<string, number>;
  "nan-value-counts": Record<string, number>;
  /** Decoded to the column's type (timestamps as microseconds), in iceberg_tool.py's JSON conventions. */
  "lower-bounds": Record<string, unknown>;
  "upper-bounds": Record<string, unknown>;
}

export type TableAddress =
  | { catalog: "glue"; endpoint: string; database: string; table: string }
  /** Through an Iceberg REST catalog; `database` is the namespace, `endpoint` moto's (for S3). */
  | { catalog: "rest"; uri: string; endpoint: string; database: string; table: string }
  | { catalog: "metadata-file"; metadataLocation: string; endpoint?: string }
  /** A table folder of the local catalog: pyiceberg follows its metadata/version-hint.text. */
  | { catalog: "local"; tableLocation: string };

export interface ReadOptions {
  /** Why Iceberg-Java must not read this table (it reads every table it can reach otherwise). */
  skipJavaBecause?: string;
}

/**
 * pyiceberg reads the table; Iceberg-Java reads it too wherever it can reach the table through
 * the same catalog, and the two must agree on schemas, snapshots, file statistics and rows.
 */
export async function readIcebergTable(address: TableAddress, options: ReadOptions = {}): Promise<IcebergTableReadout> {
  const javaAddress = options.skipJavaBecause === undefined ? javaReachable(address) : undefined;
  const [pyiceberg, java] = await Promise.all([
    runIcebergTool(["read", ...tableArguments(address)]).then((output) => JSON.parse(output) as IcebergTableReadout),
    javaAddress === undefined ? undefined : readTableWithJava(javaAddress),
  ]);
  if (java !== undefined) expectReadersAgree(pyiceberg, java, describeAddress(address));
  return pyiceberg;
}

/** The same table as Spark reaches it; undefined where it cannot (a metadata file on S3). */
function javaReachable(address: TableAddress): JavaTableAddress | undefined {
  switch (address.catalog) {
    case "glue":
    case "rest":
      return address;
    case "local":
      // Hadoop catalog readers need the version hint; a folder without one is not a table yet.
      return existsSync(join(address.tableLocation, "metadata", "version-hint.text")) ? address : undefined;
    case "metadata-file":
      // Spark opens a metadata file by path through Hadoop's file system, which has no S3 here.
      return address.endpoint === undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(address.metadataLocation.replace(/^file:/, "")) ? { catalog: "metadata-file", metadataLocation: address.metadataLocation } : undefined;
  }
}

function describeAddress(address: TableAddress): string {
  switch (address.catalog) {
    case "glue":
      return `Glue table ${address.database}.${address.table}`;
    case "rest":
      return `REST catalog table ${address.database}.${address.table} at ${address.uri}`;
    case "local":
      return `local table ${address.tableLocation}`;
    case "metadata-file":
      return `metadata file ${address.metadataLocation}`;
  }
}

function tableArguments(address: TableAddress): string[] {
  switch (address.catalog) {
    case "glue":
      return ["--endpoint", address.endpoint, "--database", address.database, "--table", address.table];
    case "rest":
      return ["--rest-uri", address.uri, "--endpoint", address.endpoint, "--database", address.database, "--table", address.table];
    case "metadata-file":
      return ["--metadata-location", address.metadataLocation, ...(address.endpoint ? ["--endpoint", address.endpoint] : [])];
    case "local":
      return ["--table-location", address.tableLocation];
  }
}

export interface SampleTableWrite {
  endpoint: string;
  database: string;
  table: string;
  location: string;
  firstId?: number;
  count?: number;
}

/** pyiceberg creates the table if needed and appends `count` sample rows (ids from `firstId`). */
export async function writeSampleRowsWithPyiceberg(write: SampleTableWrite): Promise<{ "metadata-location": string }> {
  const output = await runIcebergTool([
    "write-sample",
    "--endpoint", write.endpoint,
    "--database", write.database,
    "--table", write.table,
    "--location", write.location,
    "--first-id", String(write.firstId ?? 0),
    "--count", String(write.count ?? 3),
  ]);
  return JSON.parse(output) as { "metadata-location": string };
}

export interface ArrowField {
  name: string;
  /** The `PARQUET:field_id` of the field; null when the file has none. */
  "field-id": number | null;
  nullable: boolean;
  /** pyarrow's name of the type, e.g. "int64", "timestamp[us, tz=UTC]", "list<element: string>". */
  type: string;
  /** Struct fields, a list's element, a map's key and value. */
  children?: ArrowField[];
}

export interface ParquetStatisticsReadout {
  "has-min-max": boolean;
  /** Decoded to the column's logical type, in the JSON conventions of iceberg_tool.py. */
  min: unknown;
  max: unknown;
  "null-count": number | null;
  /** Non-null values of the chunk. */
  "num-values": number;
}

export interface ParquetColumnChunkReadout {
  "row-group": number;
  /** Dotted path_in_schema, e.g. "val.tags.list.element". */
  path: string;
  "physical-type": string;
  codec: string;
  /** Every slot of the chunk, null ones included. */
  "num-values": number;
  "total-compressed-size": number;
  statistics: ParquetStatisticsReadout | null;
}

/** What pyarrow sees of one Parquet file; rows follow the JSON conventions of iceberg_tool.py. */
export interface ParquetFileReadout {
  "created-by": string;
  "num-rows": number;
  "num-row-groups": number;
  schema: ArrowField[];
  "column-chunks": ParquetColumnChunkReadout[];
  rows: Record<string, unknown>[];
}

/** pyarrow reads a local Parquet file: an independent check of what our writer produced. */
export async function readParquetFile(path: string): Promise<ParquetFileReadout> {
  return JSON.parse(await runIcebergTool(["parquet", path])) as ParquetFileReadout;
}

async function runIcebergTool(args: string[]): Promise<string> {
  const output = await runCommand(pythonBin, [icebergTool, ...args], { env: { PYTHONWARNINGS: "ignore" } });
  const lastLine = output.trim().split("\n").pop();
  if (lastLine === undefined) throw new Error(`iceberg_tool.py ${args[0] ?? ""} printed nothing`);
  return lastLine;
}

/** pyiceberg appends rows to an existing Glue table: another writer committing beside ours. */
/** Through Glue on moto, or through the REST catalog at `restUri`. */
export async function appendRowsWithPyiceberg(table: { endpoint: string; database: string; table: string; restUri?: string }, rows: Record<string, unknown>[]): Promise<void> {
  const rest = table.restUri === undefined ? [] : ["--rest-uri", table.restUri];
  await runIcebergTool(["append-rows", ...rest, "--endpoint", table.endpoint, "--database", table.database, "--table", table.table, "--rows", JSON.stringify(rows)]);
}
