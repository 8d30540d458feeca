// Table rows as one line of JSON each: keys as text when they are UTF-8, timestamps in ISO
// form, bigints as decimal strings, bytes as base64.
import type { TableRow } from "../../lib/schema/table-row.js";

export function rowLine(row: TableRow): string {
  return JSON.stringify(
    {
      key: row.key.__raw__ === null ? null : bytesText(row.key.__raw__),
      timestamp: row.timestamp === null ? null : new Date(Number(row.timestamp / 1000n)).toISOString(),
      headers: row.headers.map((header) => ({ [header.key ?? ""]: header.value === null ? null : bytesText(header.value) })),
      val: row.val,
    },
    jsonValue,
  );
}

/** A JSON.stringify replacer for the value forms of table rows and reports. */
export function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof Map) return Object.fromEntries(value as Map<unknown, unknown>);
  return value;
}

function bytesText(bytes: Uint8Array): string {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  return text.includes("\uFFFD") ? Buffer.from(bytes).toString("base64") : text;
}
