import { ByteWriter } from "hyparquet-writer";
import { writeRleBitPackedHybrid } from "hyparquet-writer/src/encoding.js";
import { describe, expect, it } from "vitest";
import { byteSink, writeRleBitPacked } from "../../../lib/parquet/rle-encoding.js";

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Values of `bitWidth` bits in runs of random length, short ones (bit-packed) and long ones (RLE) mixed. */
function runs(random: () => number, count: number, bitWidth: number): Int32Array {
  const values = new Int32Array(count);
  let index = 0;
  while (index < count) {
    const value = Math.floor(random() * 2 ** bitWidth);
    const length = random() < 0.5 ? 1 + Math.floor(random() * 3) : 1 + Math.floor(random() * 40);
    for (let step = 0; step < length && index < count; step++) values[index++] = value;
  }
  return values;
}

describe("RLE / bit-packing hybrid", () => {
  it("gives hyparquet-writer's bytes for every width, runs long and short, and lengths off a group of eight", () => {
    const random = seeded(11);
    for (const bitWidth of [0, 1, 2, 3, 5, 8, 12, 17, 31]) {
      for (const count of [0, 1, 7, 8, 9, 63, 1000, 4099]) {
        const values = bitWidth === 0 ? new Int32Array(count) : runs(random, count, bitWidth);
        const theirs = new ByteWriter();
        const theirLength = writeRleBitPackedHybrid(theirs, values, bitWidth);
        const ours = byteSink(count, bitWidth);
        const ourLength = writeRleBitPacked(ours, values, bitWidth);
        expect(ourLength).toBe(theirLength);
        expect(Buffer.from(ours.bytes.subarray(0, ours.length)).equals(Buffer.from(theirs.getBytes()))).toBe(true);
      }
    }
  });

  it("stays within the room it reserves when nothing repeats", () => {
    const values = Int32Array.from({ length: 1001 }, (_, index) => index);
    const sink = byteSink(values.length, 10);
    writeRleBitPacked(sink, values, 10);
    expect(sink.length).toBeLessThanOrEqual(sink.bytes.length);
  });
});
