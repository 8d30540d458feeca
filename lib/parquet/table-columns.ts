// The leaf columns of one data file, filled a record at a time: the ingest path appends
// each record's `val` through a columnar decoder and the rest of the row (key, headers,
// timestamp) here, so that no row object outlives its record.
import type { IcebergSchema } from "../iceberg/types.js";
import type { HeaderValue } from "../schema/table-row.js";
import { claimSlot, emptyColumns, releaseColumns, shredValue, type ShreddedColumn } from "./column-shredding.js";
import { appendByteRange, appendInt64, appendInt64Number, appendString } from "./leaf-values.js";
import { parquetLayout, type LayoutNode, type LeafNode, type ParquetLayout } from "./parquet-schema.js";

export interface TableColumns {
  schema: IcebergSchema;
  layout: ParquetLayout;
  columns: ShreddedColumn[];
  rowCount: number;
  /** The row's fields but `val`, each with how a record's part of it is appended. */
  parts: PartAppender[];
}

export interface RecordParts {
  key: Uint8Array | null;
  headers: HeaderValue[];
  /** Microseconds since the epoch, UTC; a number only when it is a safe integer. */
  timestamp: bigint | number | null;
}

/** Appends one record's `val` to the columns, which hold `rowCount` rows; a failure must leave them as they were. */
export type ValueAppender = (value: Uint8Array | null, columns: ShreddedColumn[], rowCount: number) => { ok: true } | { ok: false; reason: string };

type PartAppender = (parts: RecordParts, columns: ShreddedColumn[]) => void;

export function emptyTableColumns(schema: IcebergSchema, expectedRows: number, layout: ParquetLayout = parquetLayout(schema)): TableColumns {
  return { schema, layout, columns: emptyColumns(layout, expectedRows), rowCount: 0, parts: partAppenders(layout) };
}

/** Appends a record as one row; a value that cannot be decoded appends nothing and gives the reason. */
export function appendRecord(table: TableColumns, value: Uint8Array | null, parts: RecordParts, appendValue: ValueAppender): { ok: true } | { ok: false; reason: string } {
  const appended = appendValue(value, table.columns, table.rowCount);
  if (!appended.ok) return appended;
  for (const appendPart of table.parts) appendPart(parts, table.columns);
  table.rowCount++;
  return appended;
}

/** Hands the columns' buffers back for the next batch once the file is written (buffer-pool.ts); the table must not be used again. */
export function releaseTableColumns(table: TableColumns): void {
  releaseColumns(table.columns);
  table.rowCount = 0;
}

function partAppenders(layout: ParquetLayout): PartAppender[] {
  const appenders: PartAppender[] = [];
  for (const { name, node } of layout.root.fields) {
    switch (name) {
      case "val":
        break;
      case "key":
        appenders.push(keyAppender(node));
        break;
      case "headers":
        appenders.push(headersAppender(node));
        break;
      case "timestamp":
        appenders.push(node.kind === "leaf" && node.column.type === "timestamptz" ? timestampAppender(node) : (parts, columns) => shredValue(node, bigintTimestamp(parts.timestamp), 0, columns));
        break;
      default:
        appenders.push((_parts, columns) => shredValue(node, null, 0, columns));
    }
  }
  return appenders;
}

// The key column is the struct { __raw__: binary } (SPEC.md §3): its bytes go straight in.
function keyAppender(node: LayoutNode): PartAppender {
  const raw = node.kind === "struct" && node.fields.length === 1 ? node.fields[0] : undefined;
  if (raw?.name !== "__raw__" || raw.node.kind !== "leaf" || raw.node.column.type !== "binary") {
    return (parts, columns) => shredValue(node, node.kind === "struct" ? { __raw__: parts.key } : parts.key, 0, columns);
  }
  const leaf: LeafNode = raw.node;
  return (parts, columns) => {
    const { key } = parts;
    // A null key: the struct is there, its field is not.
    if (key === null) claimSlot(leaf.column, columns, 0, leaf.definitionLevel - 1);
    else appendByteRange(claimSlot(leaf.column, columns, 0, leaf.definitionLevel).values, key, 0, key.length);
  };
}

function timestampAppender(leaf: LeafNode): PartAppender {
  return (parts, columns) => {
    const { timestamp } = parts;
    if (timestamp === null) claimSlot(leaf.column, columns, 0, leaf.definitionLevel - 1);
    else if (typeof timestamp === "number") appendInt64Number(claimSlot(leaf.column, columns, 0, leaf.definitionLevel).values, timestamp);
    else appendInt64(claimSlot(leaf.column, columns, 0, leaf.definitionLevel).values, timestamp);
  };
}

function bigintTimestamp(timestamp: bigint | number | null): bigint | null {
  return typeof timestamp === "number" ? BigInt(timestamp) : timestamp;
}

// The headers column is a list of structs { key: string, value: binary } (SPEC.md §3): the
// same slots shredding gives (an empty list one slot per leaf at the list's level; a null
// key or value one below its own), without walking the header objects generically.
function headersAppender(node: LayoutNode): PartAppender {
  const element = node.kind === "list" && node.element.kind === "struct" ? node.element : undefined;
  const [keyField, valueField] = element?.fields ?? [];
  const keyNode = keyField?.name === "key" && keyField.node.kind === "leaf" && keyField.node.column.type === "string" ? keyField.node : undefined;
  const valueNode = valueField?.name === "value" && valueField.node.kind === "leaf" && valueField.node.column.type === "binary" ? valueField.node : undefined;
  if (node.kind !== "list" || element === undefined || element.fields.length !== 2 || keyNode === undefined || valueNode === undefined) {
    return (parts, columns) => shredValue(node, parts.headers, 0, columns);
  }
  const keyLeaf = keyNode.column;
  const valueLeaf = valueNode.column;
  return (parts, columns) => {
    const { headers } = parts;
    if (headers.length === 0) {
      claimSlot(keyLeaf, columns, 0, node.definitionLevel);
      claimSlot(valueLeaf, columns, 0, node.definitionLevel);
      return;
    }
    for (let index = 0; index < headers.length; index++) {
      const header = headers[index] as HeaderValue;
      const repetitionLevel = index === 0 ? 0 : node.repetitionLevel;
      if (header.key === null) claimSlot(keyLeaf, columns, repetitionLevel, keyNode.definitionLevel - 1);
      else appendString(claimSlot(keyLeaf, columns, repetitionLevel, keyNode.definitionLevel).values, header.key);
      if (header.value === null) claimSlot(valueLeaf, columns, repetitionLevel, valueNode.definitionLevel - 1);
      else appendByteRange(claimSlot(valueLeaf, columns, repetitionLevel, valueNode.definitionLevel).values, header.value, 0, header.value.length);
    }
  };
}
