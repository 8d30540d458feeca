// One merge of staged files, streamed: the members' rows are shredded one member at a time,
// and the file written is byte for byte the one writeDataFile makes of all their rows,
// row groups cut at the same rows.
import { describe, expect, it } from "vitest";
import { mergeStagedFiles } from "../../../lib/commit/staged-file-merge.js";
import { UnmergeableFileError } from "../../../lib/commit/unmergeable-file-error.js";
import { writeDataFile } from "../../../lib/parquet/data-file-writer.js";
import type { TableRow } from "../../../lib/schema/table-row.js";
import type { StagedFile } from "../../../lib/state/state-store.js";
import { memoryObjectStore, type MemoryObjectStore } from "../iceberg/iceberg-fixtures.js";
import { sampleRows, sampleSchema } from "../parquet/sample-table.js";

const directory = "s3://bucket/warehouse/kafka/orders/data/timestamp_day=2026-01-01";

async function stage(store: MemoryObjectStore, firstOffset: number, rows: readonly TableRow[]): Promise<StagedFile> {
  const file = writeDataFile(sampleSchema, rows);
  const lastOffset = BigInt(firstOffset + rows.length - 1);
  const location = `${directory}/orders-0-${firstOffset}-${lastOffset}-x.parquet`;
  await store.put(location, file.bytes);
  const common = { partitionSpecId: 0, partitionValues: { timestamp_day: 20454 }, metrics: file.metrics, topic: "orders", partition: 0, schemaId: 0, stagedAt: 0 };
  return { ...common, table: "kafka.orders", location, fileSizeBytes: file.bytes.length, recordCount: file.recordCount, firstOffset: BigInt(firstOffset), lastOffset };
}

describe("a merge of staged files", () => {
  const rows = sampleRows();
  // Members of 3, 1 and 4 rows: row groups of 3 end inside the second and the third member.
  const memberRows = [rows.slice(0, 3), rows.slice(3, 4), [...rows.slice(1, 4), ...rows.slice(0, 1)]];

  it.each([1, 3, 5, 1_000_000])("writes the bytes writeDataFile gives for all the members' rows, in row groups of %i", async (rowGroupRows) => {
    const store = memoryObjectStore();
    const members: StagedFile[] = [];
    for (const [index, part] of memberRows.entries()) members.push(await stage(store, index * 10, part));
    const merged = await mergeStagedFiles(members, { objectStore: store, schema: sampleSchema, rowGroupRows });
    const expected = writeDataFile(sampleSchema, memberRows.flat(), { rowGroupRows });
    expect(store.objects.get(merged.location)).toEqual(expected.bytes);
    expect(merged).toMatchObject({ recordCount: 8, fileSizeBytes: expected.bytes.length, metrics: expected.metrics });
  });

  it("refuses a member holding other than the rows it was staged with, writing nothing", async () => {
    const store = memoryObjectStore();
    const members = [await stage(store, 0, rows.slice(0, 2)), { ...(await stage(store, 10, rows.slice(0, 3))), recordCount: 2 }];
    await expect(mergeStagedFiles(members, { objectStore: store, schema: sampleSchema })).rejects.toThrow(UnmergeableFileError);
    expect(store.puts.filter((location) => location.includes("/merged-"))).toEqual([]);
  });
});
