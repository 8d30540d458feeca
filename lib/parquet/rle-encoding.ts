// Parquet's RLE / bit-packing hybrid encoding (levels, dictionary indexes, booleans), with
// the run choices of hyparquet-writer's writeRleBitPackedHybrid (encoding.js), so that its
// pages keep their bytes: at each position a run of 8 or more equal values is one RLE run;
// otherwise the next 8 values join a bit-packed section (padded with zeros past the end).
// It writes into one preallocated array instead of a byte at a time through a ByteWriter.

export interface ByteSink {
  bytes: Uint8Array;
  length: number;
}

/** A sink with room for the encoding of `valueCount` values of `bitWidth` bits, plus `extra` bytes. */
export function byteSink(valueCount: number, bitWidth: number, extra = 0): ByteSink {
  return { bytes: new Uint8Array(maxEncodedLength(valueCount, bitWidth) + extra), length: 0 };
}

/** An upper bound on the encoded length: every group of 8 values bit-packed with a 5-byte header, or a run's header and value. */
export function maxEncodedLength(valueCount: number, bitWidth: number): number {
  return Math.ceil(valueCount / 8) * (bitWidth + 5) + 16;
}

/** Appends the encoding of `values` to `sink`; returns the bytes written. */
export function writeRleBitPacked(sink: ByteSink, values: ArrayLike<number>, bitWidth: number): number {
  const begin = sink.length;
  const count = values.length;
  let pendingGroups = 0;
  let bitPackedStart = 0;
  let index = 0;
  while (index < count) {
    const first = values[index] as number;
    let run = 1;
    while (index + run < count && values[index + run] === first) run++;
    if (run >= 8) {
      if (pendingGroups > 0) {
        writeBitPackedGroups(sink, values, bitPackedStart, pendingGroups, bitWidth);
        pendingGroups = 0;
      }
      writeVarint(sink, run << 1);
      for (let byte = 0; byte < (bitWidth + 7) >> 3; byte++) sink.bytes[sink.length++] = (first >> (byte << 3)) & 0xff;
      index += run;
    } else {
      if (pendingGroups === 0) bitPackedStart = index;
      pendingGroups++;
      index += 8;
    }
  }
  if (pendingGroups > 0) writeBitPackedGroups(sink, values, bitPackedStart, pendingGroups, bitWidth);
  return sink.length - begin;
}

function writeBitPackedGroups(sink: ByteSink, values: ArrayLike<number>, start: number, groups: number, bitWidth: number): void {
  writeVarint(sink, (groups << 1) | 1);
  if (bitWidth === 0) return;
  const { bytes } = sink;
  let at = sink.length;
  const mask = (1 << bitWidth) - 1;
  const end = start + groups * 8;
  const count = values.length;
  let buffer = 0;
  let bits = 0;
  for (let index = start; index < end; index++) {
    buffer |= (index < count ? (values[index] as number) & mask : 0) << bits;
    bits += bitWidth;
    while (bits >= 8) {
      bytes[at++] = buffer & 0xff;
      buffer >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) bytes[at++] = buffer & 0xff;
  sink.length = at;
}

function writeVarint(sink: ByteSink, value: number): void {
  let rest = value;
  while ((rest & ~0x7f) !== 0) {
    sink.bytes[sink.length++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  sink.bytes[sink.length++] = rest;
}
