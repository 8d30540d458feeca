// SPEC.md §3's promise, shown with Iceberg-Java: a table from a schema full of fields that have
// no column (google.protobuf.Empty, a message with no fields, direct and indirect recursion,
// alone, repeated and as map values) is writable by every engine. Java appends, INSERTs and
// compacts it (rewrite_data_files: what Athena's OPTIMIZE and Glue's compaction run), our next
// commit lands on top, and pyiceberg and Java read the same rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { javaAppendRows, javaInsert, javaRewriteDataFiles } from "../../env/java-iceberg.js";
import { createControlHarness, type ControlHarness } from "../control/control-harness.js";
import { evolveEmptyMessagesTable, exportEmptyMessagesTable, readEmptyMessagesTable } from "./empty-messages-table.js";

function ids(rows: Record<string, unknown>[]): string[] {
  return rows.map((row) => String((row["val"] as { id?: string } | null)?.id)).sort();
}

describe("Iceberg-Java writing to a table of empty messages and recursion", () => {
  let harness: ControlHarness;
  beforeAll(async () => {
    harness = await createControlHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it("appends, INSERTs and rewrites its data files; our commits land before and after; both readers agree", async () => {
    const table = await exportEmptyMessagesTable(harness, { records: 6 });
    const address = { catalog: "glue" as const, ...table.glueTable };

    // `headers` given: where Spark writes a null top-level list, pyiceberg reads [] and Java null.
    await javaAppendRows(address, [{ val: { id: "java-1", count: 101, tree: { label: "java-tree" } }, headers: [], timestamp: "2026-12-02T13:00:00+00:00" }]);
    // Spark SQL: an INSERT … SELECT copies one of our rows an hour later.
    await javaInsert(address, "SELECT key, val, headers, timestamp + INTERVAL 1 HOUR FROM {table} WHERE val.id = 'event-1'");
    const rewritten = await javaRewriteDataFiles(address);
    expect(Number(rewritten["rewritten_data_files_count"])).toBeGreaterThan(1);

    // Our next commit, after the empty message gained a field (a new struct column), lands on
    // Java's replace snapshot; Java INSERTs a copy of one of the new rows on top. (Not a second
    // rewrite: Spark would write the old rows' new list columns as null lists, which pyiceberg
    // 0.12 reads as [] and Java as null — a disagreement of the readers, not of the table.)
    await evolveEmptyMessagesTable(harness, table, { records: 3 });
    await javaInsert(address, "SELECT key, val, headers, timestamp + INTERVAL 1 HOUR FROM {table} WHERE val.id = 'event-7'");

    const readout = await readEmptyMessagesTable(table);
    expect(ids(readout.rows)).toEqual([...table.expectedVals.map((val) => String(val["id"])), "java-1", "event-1", "event-7"].sort());
    const newColumn = readout.rows.filter((row) => (row["val"] as { id?: string }).id === "event-7").map((row) => (row["val"] as { marker?: unknown }).marker);
    expect(newColumn).toEqual([{ note: "note-7" }, { note: "note-7" }]);
    const java1 = readout.rows.find((row) => (row["val"] as { id?: string }).id === "java-1");
    expect(java1?.["val"]).toMatchObject({ id: "java-1", count: 101, tree: { label: "java-tree" } });
    const copies = readout.rows.filter((row) => (row["val"] as { id?: string }).id === "event-1");
    expect(copies.map((row) => row["val"])).toEqual([copies[0]?.["val"], copies[0]?.["val"]]);
    expect(readout.snapshots.map((snapshot) => snapshot.summary["operation"])).toContain("replace");
  });
});
