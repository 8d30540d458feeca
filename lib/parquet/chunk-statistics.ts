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

/** `distinct`: the value indexes of the distinct values, when a dictionary has found them. */
export function chunkStatistics(type: PrimitiveType, values: LeafValues, slots: number, distinct?: readonly number[]): ChunkStatistics {
  const nullCount = slots - values.count;
  const isFloat = values.kind === "float" || values.kind === "double";
  const extremes = isFloat ? floatExtremes(values) : integerOrBytesExtremes(type, values, distinct);
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

function integerOrBytesExtremes(type: PrimitiveType, values: LeafValues, candidates: readonly number[] | undefined): Extremes {
  if (values.kind === "bytes") return byteExtremes(values, parseDecimal(type) !== undefined, candidates);
  const { words, count } = values;
  let min = -1;
  let max = -1;
  if (values.kind === "int64") {
    // High words signed, low words unsigned; the extremes kept as their words.
    let minHigh = 0;
    let minLow = 0;
    let maxHigh = 0;
    let maxLow = 0;
    for (let index = 0; index < count; index++) {
      const low = (words[index * 2] as number) >>> 0;
      const high = words[index * 2 + 1] as number;
      if (min < 0 || high < minHigh || (high === minHigh && low < minLow)) {
        min = index;
        minHigh = high;
        minLow = low;
      }
      if (max < 0 || high > maxHigh || (high === maxHigh && low > maxLow)) {
        max = index;
        maxHigh = high;
        maxLow = low;
      }
    }
    return { min, max, nanCount: 0 };
  }
  let minValue = 0;
  let maxValue = 0;
  for (let index = 0; index < count; index++) {
    const value = words[index] as number;
    if (min < 0 || value < minValue) {
      min = index;
      minValue = value;
    }
    if (max < 0 || value > maxValue) {
      max = index;
      maxValue = value;
    }
  }
  return { min, max, nanCount: 0 };
}

/**
 * Extremes of byte-array values; over `candidates` alone when given (the distinct values
 * of a dictionary: equal bytes make the same bound whichever of them is kept).
 */
function byteExtremes(values: LeafValues, signed: boolean, candidates: readonly number[] | undefined): Extremes {
  const { bytes, offsets } = values;
  const total = candidates === undefined ? values.count : candidates.length;
  let min = -1;
  let max = -1;
  for (let position = 0; position < total; position++) {
    const index = candidates === undefined ? position : (candidates[position] as number);
    const start = offsets[index] as number;
    const end = offsets[index + 1] as number;
    if (min < 0) {
      min = index;
      max = index;
      continue;
    }
    // The first byte settles most comparisons; the whole compare only runs on a tie there.
    const first = start < end ? (bytes[start] as number) ^ (signed ? 0x80 : 0) : -1;
    const minStart = offsets[min] as number;
    const minFirst = minStart < (offsets[min + 1] as number) ? (bytes[minStart] as number) ^ (signed ? 0x80 : 0) : -1;
    if (first < minFirst || (first === minFirst && compareByteRanges(bytes, start, end, minStart, offsets[min + 1] as number, signed) < 0)) min = index;
    const maxStart = offsets[max] as number;
    const maxFirst = maxStart < (offsets[max + 1] as number) ? (bytes[maxStart] as number) ^ (signed ? 0x80 : 0) : -1;
    if (first > maxFirst || (first === maxFirst && compareByteRanges(bytes, start, end, maxStart, offsets[max + 1] as number, signed) > 0)) max = index;
  }
  return { min, max, nanCount: 0 };
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
