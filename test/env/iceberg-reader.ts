// Tests read every table back through pyiceberg, an Iceberg implementation that is not ours,
// via the same catalog the table was written to.
import { icebergTool, pythonBin } from "./python.js";
import { runCommand } from "./install.js";

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
  "data-files": { path: string; "record-count": number; partition: unknown[] }[];
  rows: Record<string, unknown>[];
}

export type TableAddress =
  | { catalog: "glue"; endpoint: string; database: string; table: string }
  | { catalog: "metadata-file"; metadataLocation: string; endpoint?: string }
  /** A table folder of the local catalog: pyiceberg follows its metadata/version-hint.text. */
  | { catalog: "local"; tableLocation: string };

export async function readIcebergTable(address: TableAddress): Promise<IcebergTableReadout> {
  return JSON.parse(await runIcebergTool(["read", ...tableArguments(address)])) as IcebergTableReadout;
}

function tableArguments(address: TableAddress): string[] {
  switch (address.catalog) {
    case "glue":
      return ["--endpoint", address.endpoint, "--database", address.database, "--table", address.table];
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
export async function appendRowsWithPyiceberg(table: { endpoint: string; database: string; table: string }, rows: Record<string, unknown>[]): Promise<void> {
  await runIcebergTool(["append-rows", "--endpoint", table.endpoint, "--database", table.database, "--table", table.table, "--rows", JSON.stringify(rows)]);
}
