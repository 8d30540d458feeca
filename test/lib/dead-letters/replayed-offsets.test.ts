import { describe, expect, it } from "vitest";
import { ExportError } from "../../../lib/core/errors.js";
import { countReplayed, formatReplayedOffsets, isReplayed, maxReplayedOffsetsBytes, replayedOffsetsOf, replayedOffsetsProperty, replayedOffsetsUpdate, withReplayed } from "../../../lib/dead-letters/replayed-offsets.js";

const at = (partition: number, ...offsets: number[]) => offsets.map((offset) => ({ topic: "orders", partition, offset: BigInt(offset) }));

describe("the replayed offsets of a table", () => {
  it("are written as sorted ranges per topic-partition and read back exactly", () => {
    const offsets = withReplayed(new Map(), [...at(1, 12, 5, 6, 7, 3, 9), ...at(0, 2 ** 60)]);
    const text = formatReplayedOffsets(offsets);
    expect(text).toBe(JSON.stringify({ orders: { "0": String(2n ** 60n), "1": "3,5-7,9,12" } }));
    const read = replayedOffsetsOf({ [replayedOffsetsProperty]: text });
    expect(formatReplayedOffsets(read)).toBe(text);
    expect(isReplayed(read, "orders", 1, 6n)).toBe(true);
    expect(isReplayed(read, "orders", 1, 8n)).toBe(false);
    expect(isReplayed(read, "orders", 2, 6n)).toBe(false);
    expect(isReplayed(read, "clicks", 1, 6n)).toBe(false);
  });

  it("adds to what was replayed without changing the original", () => {
    const before = withReplayed(new Map(), at(0, 1, 2));
    const after = withReplayed(before, at(0, 3));
    expect(formatReplayedOffsets(before)).toBe(JSON.stringify({ orders: { "0": "1-2" } }));
    expect(formatReplayedOffsets(after)).toBe(JSON.stringify({ orders: { "0": "1-3" } }));
  });

  it("reads none from a table without the property, and only the well-formed part of a mangled one", () => {
    expect(replayedOffsetsOf({}).size).toBe(0);
    expect(replayedOffsetsOf({ [replayedOffsetsProperty]: "not json" }).size).toBe(0);
    const read = replayedOffsetsOf({ [replayedOffsetsProperty]: JSON.stringify({ orders: { "0": "1,x,4-5,0-99999999999", p: "3", "1": 7 } }) });
    expect(formatReplayedOffsets(read)).toBe(JSON.stringify({ orders: { "0": "1,4-5" } }));
  });
});

describe("the replayed offsets at scale", () => {
  it("keep a long run as one range, however many offsets it spans", () => {
    const read = replayedOffsetsOf({ [replayedOffsetsProperty]: JSON.stringify({ orders: { "0": "0-9999999" } }) });
    expect(read.get("orders")?.get(0)).toEqual([{ from: 0n, to: 9_999_999n }]);
    expect(countReplayed(read, "orders")).toBe(10_000_000);
    expect(isReplayed(read, "orders", 0, 9_999_999n)).toBe(true);
    expect(isReplayed(read, "orders", 0, 10_000_000n)).toBe(false);
  });

  it("merge new offsets into the ranges they touch, in any order", () => {
    const before = replayedOffsetsOf({ [replayedOffsetsProperty]: JSON.stringify({ orders: { "0": "10-19,30-39" } }) });
    const after = withReplayed(before, at(0, 25, 20, 29, 24, 21, 22, 23, 26, 27, 28, 5));
    expect(formatReplayedOffsets(after)).toBe(JSON.stringify({ orders: { "0": "5,10-39" } }));
    expect(formatReplayedOffsets(before)).toBe(JSON.stringify({ orders: { "0": "10-19,30-39" } }));
  });

  it("find each of many sparse offsets", () => {
    const sparse = Array.from({ length: 5_000 }, (_, index) => index * 3);
    const offsets = withReplayed(new Map(), at(2, ...sparse));
    expect(offsets.get("orders")?.get(2)).toHaveLength(5_000);
    expect(sparse.every((offset) => isReplayed(offsets, "orders", 2, BigInt(offset)))).toBe(true);
    expect(sparse.some((offset) => isReplayed(offsets, "orders", 2, BigInt(offset + 1)))).toBe(false);
  });

  it("refuse an update past the size limit, naming the table and the property", () => {
    const sparse = Array.from({ length: 40_000 }, (_, index) => 1_000_000_000 + index * 2);
    const offsets = withReplayed(new Map(), at(0, ...sparse));
    const refusal = captureError(() => replayedOffsetsUpdate(offsets, "kafka.orders"));
    expect(refusal).toBeInstanceOf(ExportError);
    expect((refusal as ExportError).code).toBe("REPLAY_TOO_LARGE");
    expect((refusal as ExportError).message).toMatch(/table kafka\.orders: its kafka-iceberg-export\.replayed-offsets property would take \d+ bytes in 40000 offset ranges/);
    const update = replayedOffsetsUpdate(withReplayed(new Map(), at(0, ...sparse.slice(0, 1_000))), "kafka.orders");
    expect(update).toMatchObject({ action: "set-properties" });
    expect(Buffer.byteLength(Object.values((update as { updates: Record<string, string> }).updates)[0] as string)).toBeLessThanOrEqual(maxReplayedOffsetsBytes);
  });
});

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
