import { describe, expect, it } from "vitest";
import { filesOfParts, inlineFiles, stagedBatchFromItem, stagedBatchWrite } from "../../../../lib/adapters/aws/dynamodb-staged-batch-item.js";
import { stagedFile } from "../../../contracts/state-store-contract.js";

const files = Array.from({ length: 40 }, (_, index) =>
  stagedFile({ firstOffset: 2n ** 62n, lastOffset: 2n ** 62n + 99n, location: `s3://warehouse/sales/orders/data/${String(index).padStart(2, "0")}.parquet`, stagedAt: 1_700_000_000_000 + index }),
);

describe("staged batch items", () => {
  it("keep a list that fits one item inline, and read every field back exactly", () => {
    const write = stagedBatchWrite(files, "attempt-1");
    expect(write.parts).toEqual([]);
    const batch = stagedBatchFromItem(write.batch);
    expect(batch).toMatchObject({ name: { table: "sales.orders", topic: "orders", partition: 0, firstOffset: 2n ** 62n }, stagedAt: 1_700_000_000_000, fileCount: 40 });
    expect(inlineFiles(batch, "test")).toEqual(files);
    expect(write.batch["sk"]?.S).toBe("staged#orders#0000000000#04611686018427387904");
  });

  it("cut a list over the item budget into parts of at most that size, named by the attempt, that join back to the list", () => {
    const write = stagedBatchWrite(files, "attempt-2", 100);
    expect(write.parts.length).toBeGreaterThan(2);
    for (const part of write.parts) expect(part["files"]?.B?.byteLength).toBeLessThanOrEqual(100);
    expect(write.parts.map((part) => part["sk"]?.S)).toEqual(write.parts.map((_, index) => `stagedpart#orders#0000000000#04611686018427387904#attempt-2#${String(index).padStart(5, "0")}`));
    const batch = stagedBatchFromItem(write.batch);
    expect(batch.fileList).toEqual({ batchId: "attempt-2", parts: write.parts.length });
    // Any order of the Query's answer: parts are joined by sort key.
    expect(filesOfParts(batch, [...write.parts].reverse(), "test")).toEqual(files);
  });

  it("refuse to read a batch one of whose parts is missing", () => {
    const write = stagedBatchWrite(files, "attempt-3", 100);
    expect(() => filesOfParts(stagedBatchFromItem(write.batch), write.parts.slice(1), "batch X")).toThrow(/batch X lists its files in \d+ part item\(s\) but \d+ exist/);
  });
});
