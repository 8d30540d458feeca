// Whether a column chunk is dictionary-encoded, and its dictionary: hyparquet-writer's rule
// (useDictionary in its dictionary.js) applied to typed values, so that files keep the
// bytes hyparquet-writer's column writer gives. A sample of up to 1,000 slots spread over
// the chunk rejects a column whose distinct sampled bytes exceed 90% of the sampled bytes;
// otherwise the dictionary is built and kept when it and its bit-packed indexes take at
// most half the PLAIN bytes. Sizes are hyparquet-writer's estimates: a string counts its
// UTF-16 length, a byte array its bytes plus a four-byte prefix for BYTE_ARRAY.
import type { ShreddedColumn } from "./column-shredding.js";
import type { LeafValues } from "./leaf-values.js";

export interface Dictionary {
  /** The value index of each distinct value, in order of first appearance. */
  entries: number[];
  /** Per value, in value order: its entry. A view of a buffer the next dictionary reuses. */
  indexes: Int32Array;
}

// Column-sized temporaries reused from one column chunk to the next (a dictionary's indexes
// are written before the next chunk's dictionary is built): fewer large allocations, fewer
// full garbage collections.
let indexScratch: Int32Array = new Int32Array(0);
let tableScratch: Int32Array = new Int32Array(0);

function scratchInts(current: Int32Array, length: number): Int32Array {
  return current.length >= length ? current : new Int32Array(Math.max(length, current.length * 2, 1 << 12));
}

function indexesFor(count: number): Int32Array {
  indexScratch = scratchInts(indexScratch, count);
  return indexScratch.subarray(0, count);
}

export interface PhysicalType {
  type: string;
  typeLength: number | undefined;
  /** BYTE_ARRAY holding strings: sized by their UTF-16 length, as hyparquet-writer sizes JS strings. */
  isString: boolean;
}

const sampleLimit = 1000;
const sampleRejectionRatio = 0.9;

export function dictionaryOf(physical: PhysicalType, column: ShreddedColumn, maxDefinitionLevel: number): Dictionary | undefined {
  if (physical.type === "BOOLEAN") return undefined;
  const { values } = column;
  const prefix = physical.type === "BYTE_ARRAY" ? 4 : 0;
  if (sampleRejects(physical, column, maxDefinitionLevel, prefix)) return undefined;
  const built = values.kind === "bytes" ? buildByteDictionary(physical, values) : buildNumberDictionary(values);
  const { entries } = built;
  const bitWidth = Math.ceil(Math.log2(entries.length));
  const indexSize = Math.ceil((values.count * bitWidth) / 8);
  const plainSize = built.totalSize + values.count * prefix;
  const dictionaryValueSize = built.dictionarySize + entries.length * prefix;
  if (2 * (dictionaryValueSize + indexSize) > plainSize) return undefined;
  return { entries, indexes: built.indexes };
}

function sampleRejects(physical: PhysicalType, column: ShreddedColumn, maxDefinitionLevel: number, prefix: number): boolean {
  const { slots, definitionLevels, values } = column;
  const sampleSize = Math.min(slots, sampleLimit);
  const sizes = new Map<unknown, number>();
  const keyOf = sampleKey(physical, values, sampleSize);
  // Without null slots, slot and value indexes are the same and the levels need no walk.
  const dense = values.count === slots;
  let dictionarySize = 0;
  let totalSize = 0;
  let slot = 0;
  let valueIndex = 0;
  for (let sample = 0; sample < sampleSize; sample++) {
    const target = sampleSize === 1 ? 0 : Math.floor((sample * (slots - 1)) / (sampleSize - 1));
    if (dense) valueIndex = slot = target;
    else for (; slot < target; slot++) if (definitionLevels[slot] === maxDefinitionLevel) valueIndex++;
    const isValue = dense || definitionLevels[slot] === maxDefinitionLevel;
    const key = isValue ? keyOf(valueIndex) : null;
    let size = sizes.get(key);
    if (size === undefined) {
      size = isValue ? valueSize(physical, values, valueIndex) + prefix : 0;
      sizes.set(key, size);
      dictionarySize += size;
    }
    totalSize += size;
  }
  return totalSize === 0 || dictionarySize / totalSize > sampleRejectionRatio;
}

/** The key the sample tells values apart by: strings and numbers by value, other byte arrays by hash alone. */
function sampleKey(physical: PhysicalType, values: LeafValues, sampleSize: number): (index: number) => unknown {
  if (values.kind !== "bytes") return (index) => numberKey(values, index);
  if (!physical.isString) return (index) => hashBytes(values.bytes, values.offsets[index] as number, values.offsets[index + 1] as number);
  const table = new ByteTable(values, sampleSize);
  return (index) => table.entryOf(index);
}

function valueSize(physical: PhysicalType, values: LeafValues, index: number): number {
  const fixed = plainValueSize(physical);
  if (fixed >= 0) return fixed;
  const start = values.offsets[index] as number;
  const end = values.offsets[index + 1] as number;
  return physical.isString ? utf16Length(values.bytes, start, end) : end - start;
}

/** UTF-16 units of valid UTF-8: one per sequence, two for the four-byte ones. */
function utf16Length(bytes: Uint8Array, start: number, end: number): number {
  let units = 0;
  for (let index = start; index < end; index++) {
    const byte = bytes[index] as number;
    if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
  }
  return units;
}

interface BuiltDictionary {
  entries: number[];
  indexes: Int32Array;
  totalSize: number;
  dictionarySize: number;
}

function buildByteDictionary(physical: PhysicalType, values: LeafValues): BuiltDictionary {
  const table = new ByteTable(values, values.count, true);
  const indexes = indexesFor(values.count);
  const { bytes, offsets } = values;
  // Equal bytes are equal sizes: a value's size is worked out once, for its entry.
  const entrySizes: number[] = [];
  let totalSize = 0;
  let dictionarySize = 0;
  for (let index = 0; index < values.count; index++) {
    const start = offsets[index] as number;
    const end = offsets[index + 1] as number;
    let hash = 0x811c9dc5;
    for (let at = start; at < end; at++) hash = Math.imul(hash ^ (bytes[at] as number), 0x01000193);
    const known = table.size;
    const entry = table.entryWithHash(index, start, end, hash >>> 0);
    if (entry === known) {
      const size = valueSize(physical, values, index);
      entrySizes.push(size);
      dictionarySize += size;
    }
    totalSize += entrySizes[entry] as number;
    indexes[index] = entry;
  }
  return { entries: table.entries, indexes, totalSize, dictionarySize };
}

function buildNumberDictionary(values: LeafValues): BuiltDictionary {
  const size = values.kind === "int64" || values.kind === "double" ? 8 : 4;
  const entryOfKey = new Map<unknown, number>();
  const entries: number[] = [];
  const indexes = indexesFor(values.count);
  for (let index = 0; index < values.count; index++) {
    const key = numberKey(values, index);
    let entry = entryOfKey.get(key);
    if (entry === undefined) {
      entry = entries.length;
      entries.push(index);
      entryOfKey.set(key, entry);
    }
    indexes[index] = entry;
  }
  return { entries, indexes, totalSize: values.count * size, dictionarySize: entries.length * size };
}

// 2^21: a high word below it in magnitude makes a 64-bit value exact in a double.
const exactHighLimit = 0x200000;

/** A Map key equal exactly for equal values (SameValueZero for doubles, as hyparquet-writer's Map of JS values). */
function numberKey(values: LeafValues, index: number): unknown {
  switch (values.kind) {
    case "int64": {
      const low = (values.words[index * 2] as number) >>> 0;
      const high = values.words[index * 2 + 1] as number;
      if (high < exactHighLimit && high >= -exactHighLimit) return high * 4294967296 + low;
      return (BigInt(high) << 32n) | BigInt(low);
    }
    case "float":
    case "double":
      return values.doubles[index];
    default:
      return values.words[index];
  }
}

/** FNV-1a, as hyparquet-writer hashes byte arrays. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let index = start; index < end; index++) {
    hash ^= bytes[index] as number;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Distinct byte values by content: open addressing over value indexes, no object per value. */
class ByteTable {
  readonly entries: number[] = [];
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** `reuse`: the table lives only while one column's dictionary is built, in a buffer the next one reuses. */
  constructor(
    private readonly values: LeafValues,
    expected: number,
    reuse = false,
  ) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    if (reuse) {
      tableScratch = scratchInts(tableScratch, capacity);
      this.slots = tableScratch.subarray(0, capacity).fill(0);
    } else this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The entry of value `index`, added as the next entry when its bytes are new. */
  entryOf(index: number): number {
    const { bytes, offsets } = this.values;
    const start = offsets[index] as number;
    const end = offsets[index + 1] as number;
    return this.entryWithHash(index, start, end, hashBytes(bytes, start, end));
  }

  /** `entryOf` for value `index` at bytes [start, end) of FNV-1a hash `hash`. */
  entryWithHash(index: number, start: number, end: number, hash: number): number {
    const { bytes, offsets } = this.values;
    let position = hash & this.mask;
    for (;;) {
      const stored = this.slots[position] as number;
      if (stored === 0) {
        this.entries.push(index);
        this.slots[position] = this.entries.length;
        return this.entries.length - 1;
      }
      const candidate = this.entries[stored - 1] as number;
      if (sameRange(bytes, offsets[candidate] as number, offsets[candidate + 1] as number, start, end)) return stored - 1;
      position = (position + 1) & this.mask;
    }
  }
}

function sameRange(bytes: Uint8Array, leftStart: number, leftEnd: number, rightStart: number, rightEnd: number): boolean {
  const length = leftEnd - leftStart;
  if (rightEnd - rightStart !== length) return false;
  for (let index = 0; index < length; index++) if (bytes[leftStart + index] !== bytes[rightStart + index]) return false;
  return true;
}

/** Bytes per value as hyparquet-writer estimates them; -1 for BYTE_ARRAY, sized by each value's bytes. */
export function plainValueSize(physical: PhysicalType): number {
  switch (physical.type) {
    case "BOOLEAN":
      return 0.125;
    case "INT32":
    case "FLOAT":
      return 4;
    case "INT64":
    case "DOUBLE":
      return 8;
    case "FIXED_LEN_BYTE_ARRAY":
      return physical.typeLength ?? 0;
    default:
      return -1;
  }
}
