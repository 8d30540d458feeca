// The leaf columns of one data file, filled a record at a time: the ingest path appends
// each record's `val` through a columnar decoder and the rest of the row (key, headers,
// timestamp) here, so that no row object outlives its record.
import type { IcebergSchema } from "../iceberg/types.js";
import type { HeaderValue } from "../schema/table-row.js";
import { emptyColumns, shredValue, type ShreddedColumn } from "./column-shredding.js";
import { parquetLayout, type LayoutNode, type ParquetLayout } from "./parquet-schema.js";

export interface TableColumns {
  schema: IcebergSchema;
  layout: ParquetLayout;
  columns: ShreddedColumn[];
  rowCount: number;
}

export interface RecordParts {
  key: Uint8Array | null;
  headers: HeaderValue[];
  /** Microseconds since the epoch, UTC. */
  timestamp: bigint | null;
}

/** Appends one record's `val` to the columns; a failure must leave them as they were. */
export type ValueAppender = (value: Uint8Array | null, columns: ShreddedColumn[]) => { ok: true } | { ok: false; reason: string };

export function emptyTableColumns(schema: IcebergSchema, expectedRows: number, layout: ParquetLayout = parquetLayout(schema)): TableColumns {
  return { schema, layout, columns: emptyColumns(layout, expectedRows), rowCount: 0 };
}

/** Appends a record as one row; a value that cannot be decoded appends nothing and gives the reason. */
export function appendRecord(table: TableColumns, value: Uint8Array | null, parts: RecordParts, appendValue: ValueAppender): { ok: true } | { ok: false; reason: string } {
  const appended = appendValue(value, table.columns);
  if (!appended.ok) return appended;
  const { columns } = table;
  for (const field of table.layout.root.fields) {
    if (field.name === "val") continue;
    shredValue(field.node, partValue(field.name, field.node, parts), 0, columns);
  }
  table.rowCount++;
  return appended;
}

function partValue(name: string, node: LayoutNode, parts: RecordParts): unknown {
  switch (name) {
    case "key":
      return node.kind === "struct" ? { __raw__: parts.key } : parts.key;
    case "headers":
      return parts.headers;
    case "timestamp":
      return parts.timestamp;
    default:
      return null;
  }
}
