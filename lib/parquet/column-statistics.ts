// Counts and extremes of one leaf column across row groups, in the value forms of the rows.
// Each row group's come from the chunk statistics hyparquet-writer computes for the Parquet
// footer (NaN counted apart, never an extreme); they are merged here in the order Iceberg
// gives the column's type: numbers by value with -0 below +0 (Java's Float.compare),
// strings by Unicode code point (the order of their UTF-8 bytes), binary as unsigned bytes.
import type { PrimitiveType } from "../iceberg/types.js";

export interface ColumnStatistics {
  /** Slots, null ones included, as Parquet's num_values counts them. */
  valueCount: number;
  nullCount: number;
  nanCount: number;
  /** Undefined when the column holds no value that bounds can describe. */
  min: unknown;
  max: unknown;
}

type Order = (left: unknown, right: unknown) => number;

export function emptyStatistics(): ColumnStatistics {
  return { valueCount: 0, nullCount: 0, nanCount: 0, min: undefined, max: undefined };
}

export function mergeStatistics(into: ColumnStatistics, from: ColumnStatistics, type: PrimitiveType): void {
  into.valueCount += from.valueCount;
  into.nullCount += from.nullCount;
  into.nanCount += from.nanCount;
  const order = orderOf(type);
  if (from.min !== undefined && (into.min === undefined || order(from.min, into.min) < 0)) into.min = from.min;
  if (from.max !== undefined && (into.max === undefined || order(from.max, into.max) > 0)) into.max = from.max;
}

function orderOf(type: PrimitiveType): Order {
  switch (type) {
    case "float":
    case "double":
      return compareFloats as Order;
    case "string":
      return compareCodePoints as Order;
    case "binary":
    case "uuid":
      return compareUnsignedBytes as Order;
    default:
      return (type.startsWith("fixed[") ? compareUnsignedBytes : comparePrimitives) as Order;
  }
}

function comparePrimitives(left: number | bigint | boolean, right: number | bigint | boolean): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function compareFloats(left: number, right: number): number {
  if (left !== right) return left < right ? -1 : 1;
  return Object.is(left, -0) === Object.is(right, -0) ? 0 : Object.is(left, -0) ? -1 : 1;
}

export function compareCodePoints(left: string, right: string): number {
  if (left === right) return 0;
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const leftUnit = left.charCodeAt(index);
    const rightUnit = right.charCodeAt(index);
    if (leftUnit !== rightUnit) return codePointRank(leftUnit) - codePointRank(rightUnit);
  }
  return left.length - right.length;
}

// UTF-16 code units sort as code points do except that surrogates (U+D800–U+DFFF, which
// only ever encode code points above U+FFFF) must sort above U+E000–U+FFFF.
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

export function compareUnsignedBytes(left: Uint8Array, right: Uint8Array): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const difference = (left[index] as number) - (right[index] as number);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
