import { describe, expect, it } from "vitest";
import { formatReplayedOffsets, isReplayed, replayedOffsetsOf, replayedOffsetsProperty, withReplayed } from "../../../lib/dead-letters/replayed-offsets.js";

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
