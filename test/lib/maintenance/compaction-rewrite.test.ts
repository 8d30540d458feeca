import { describe, expect, it } from "vitest";
import { readDataFileRows } from "../../../lib/commit/data-file-reader.js";
import { silentLogger, type Logger } from "../../../lib/core/logger.js";
import type { CompactionGroup, LiveDataFile } from "../../../lib/maintenance/compaction-plan.js";
import { rewriteGroup } from "../../../lib/maintenance/compaction-rewrite.js";
import { readStoredColumns } from "../../../lib/commit/stored-columns.js";
import { writeDataFile } from "../../../lib/parquet/data-file-writer.js";
import { afterRoundTrip, everythingTable, exactForm } from "../commit/merge-fixtures.js";
import { memoryObjectStore } from "../iceberg/iceberg-fixtures.js";

const { schema, rows } = everythingTable();
const directory = "s3://bucket/t/data/timestamp_day=2026-11-24";

async function storedFiles(store: ReturnType<typeof memoryObjectStore>, count: number): Promise<LiveDataFile[]> {
  const files: LiveDataFile[] = [];
  for (let index = 0; index < count; index++) {
    const written = writeDataFile(schema, rows);
    const path = `${directory}/f${index}.parquet`;
    await store.put(path, written.bytes);
    files.push({ path, partitionSpecId: 0, partition: { timestamp_day: 20781 }, fileSizeBytes: written.bytes.length, recordCount: rows.length, fileFormat: "PARQUET", addedAtMs: 0, sequenceNumber: index + 1 });
  }
  return files;
}

function groupOf(files: LiveDataFile[]): CompactionGroup {
  return { partitionSpecId: 0, partition: { timestamp_day: 20781 }, files, inputBytes: files.reduce((sum, file) => sum + file.fileSizeBytes, 0), closed: true };
}

describe("rewriting a compaction group", () => {
  it("writes the members' rows, every value exact and in member order, in row groups of at most the given rows", async () => {
    const store = memoryObjectStore();
    const files = await storedFiles(store, 3);
    const rewritten = await rewriteGroup(groupOf(files), { objectStore: store, schema, logger: silentLogger, table: "t", rowGroupRows: rows.length * 2 });
    if (rewritten === undefined) throw new Error("nothing rewritten");
    expect(rewritten.inputs).toEqual(files);
    expect(rewritten.output).toMatchObject({ recordCount: rows.length * 3, partitionSpecId: 0, partition: { timestamp_day: 20781 } });
    expect(rewritten.output.location).toMatch(new RegExp(`^${directory}/compacted-[0-9a-f-]{36}\\.parquet$`));
    const bytes = await store.get(rewritten.output.location);
    expect(bytes.length).toBe(rewritten.output.fileSizeBytes);
    const expected = [...rows, ...rows, ...rows].map((row) => exactForm(afterRoundTrip(schema, row)));
    expect(readDataFileRows(schema, bytes).map(exactForm)).toEqual(expected);
    const { parquetMetadata } = await import("hyparquet");
    const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(metadata.row_groups.map((group) => Number(group.num_rows))).toEqual([rows.length * 2, rows.length]);
    expect(readStoredColumns(bytes).rowCount).toBe(rows.length * 3);
  });

  it("leaves out a member it cannot read back, writes the rest; gives up below two members", async () => {
    const store = memoryObjectStore();
    const files = await storedFiles(store, 3);
    const [, second] = files as [LiveDataFile, LiveDataFile, LiveDataFile];
    await store.put(second.path, Uint8Array.from([1, 2, 3, 4]));
    const warnings: unknown[] = [];
    const logger: Logger = { ...silentLogger, warn: (message, attributes) => warnings.push({ message, ...attributes }) };
    const rewritten = await rewriteGroup(groupOf(files), { objectStore: store, schema, logger, table: "t" });
    expect(rewritten?.inputs.map((file) => file.path)).toEqual([files[0]?.path, files[2]?.path]);
    expect(rewritten?.output.recordCount).toBe(rows.length * 2);
    expect(warnings).toContainEqual(expect.objectContaining({ message: "data file left out of compaction", file: second.path }));

    await store.delete(files[2]?.path ?? "");
    expect(await rewriteGroup(groupOf(files), { objectStore: store, schema, logger, table: "t" })).toBeUndefined();
    expect([...store.objects.keys()].filter((location) => location.includes("compacted-"))).toHaveLength(1);
  });
});
