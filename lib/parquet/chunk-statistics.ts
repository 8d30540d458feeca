// A column chunk's statistics straight from its typed values (leaf-values.ts), as
// hyparquet-writer's column writer computes them from JS values: nulls and NaN counted,
// NaN never an extreme, the first of equal extremes kept, a zero minimum written as -0 and
// a zero maximum as +0. Order: numbers by value, 64-bit integers and decimals signed,
// strings by code point (the order of their UTF-8 bytes), other byte arrays unsigned.
import { parseDecimal, type PrimitiveType } from "../iceberg/types.js";
import type { ColumnStatistics } from "./column-statistics.js";
import { valueAt, type LeafValues } from "./leaf-values.js";

/** The statistics of a chunk as hyparquet-writer's footer writer takes them. */
export interface FooterStatistics {
  min_value?: unknown;
  max_value?: unknown;
  null_count: bigint;
  nan_count?: bigint;
}

export interface ChunkStatistics {
  footer: FooterStatistics;
  /** The same in the values' row forms (table-row.ts), for the Iceberg metrics. */
  row: ColumnStatistics;
}

export function chunkStatistics(type: PrimitiveType, values: LeafValues, slots: number): ChunkStatistics {
  const nullCount = slots - values.count;
  const isFloat = values.kind === "float" || values.kind === "double";
  const extremes = isFloat ? floatExtremes(values) : integerOrBytesExtremes(type, values);
  let min: unknown;
  let max: unknown;
  let footerMin: unknown;
  let footerMax: unknown;
  if (extremes.min >= 0) {
    min = valueAt(values, type, extremes.min);
    max = valueAt(values, type, extremes.max);
    if (min === 0) min = -0;
    if (max === 0) max = 0;
    footerMin = footerForm(type, values, extremes.min, min);
    footerMax = footerForm(type, values, extremes.max, max);
  }
  return {
    footer: { min_value: footerMin, max_value: footerMax, null_count: BigInt(nullCount), nan_count: isFloat ? BigInt(extremes.nanCount) : undefined },
    row: { valueCount: slots, nullCount, nanCount: extremes.nanCount, min, max },
  };
}

/** hyparquet-writer takes string and decimal bounds as bytes and bigint; the rest as their row forms. */
function footerForm(type: PrimitiveType, values: LeafValues, index: number, rowValue: unknown): unknown {
  if (type === "string") return values.bytes.slice(values.offsets[index], values.offsets[index + 1]);
  return rowValue;
}

interface Extremes {
  /** Value indexes, -1 when there is no value to bound. */
  min: number;
  max: number;
  nanCount: number;
}

function floatExtremes(values: LeafValues): Extremes {
  const { doubles, count } = values;
  let min = -1;
  let max = -1;
  let nanCount = 0;
  let minValue = 0;
  let maxValue = 0;
  for (let index = 0; index < count; index++) {
    const value = doubles[index] as number;
    if (value !== value) {
      nanCount++;
      continue;
    }
    if (min < 0 || value < minValue) {
      min = index;
      minValue = value;
    }
    if (max < 0 || value > maxValue) {
      max = index;
      maxValue = value;
    }
  }
  return { min, max, nanCount };
}

function integerOrBytesExtremes(type: PrimitiveType, values: LeafValues): Extremes {
  const compare = comparatorOf(type, values);
  let min = -1;
  let max = -1;
  for (let index = 0; index < values.count; index++) {
    if (min < 0 || compare(index, min) < 0) min = index;
    if (max < 0 || compare(index, max) > 0) max = index;
  }
  return { min, max, nanCount: 0 };
}

type IndexComparator = (left: number, right: number) => number;

function comparatorOf(type: PrimitiveType, values: LeafValues): IndexComparator {
  const { words, bytes, offsets } = values;
  switch (values.kind) {
    case "boolean":
    case "int32":
      return (left, right) => (words[left] as number) - (words[right] as number);
    case "int64":
      return (left, right) => {
        const highs = (words[left * 2 + 1] as number) - (words[right * 2 + 1] as number);
        return highs !== 0 ? highs : ((words[left * 2] as number) >>> 0) - ((words[right * 2] as number) >>> 0);
      };
    default: {
      const signed = parseDecimal(type) !== undefined;
      return (left, right) => compareByteRanges(bytes, offsets[left] as number, offsets[left + 1] as number, offsets[right] as number, offsets[right + 1] as number, signed);
    }
  }
}

/** Unsigned lexicographic; `signed` for big-endian two's complement of one width (decimals), where the first byte carries the sign. */
export function compareByteRanges(bytes: Uint8Array, leftStart: number, leftEnd: number, rightStart: number, rightEnd: number, signed = false): number {
  const length = Math.min(leftEnd - leftStart, rightEnd - rightStart);
  for (let index = 0; index < length; index++) {
    let left = bytes[leftStart + index] as number;
    let right = bytes[rightStart + index] as number;
    if (left !== right) {
      if (signed && index === 0) {
        left ^= 0x80;
        right ^= 0x80;
      }
      return left - right;
    }
  }
  return leftEnd - leftStart - (rightEnd - rightStart);
}
