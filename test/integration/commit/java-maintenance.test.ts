// Iceberg-Java writes to our tables beside us (SPEC.md §4: tables stay writable by every
// Iceberg engine): Spark appends, compacts, rewrites manifests, expires snapshots and removes
// orphan files, and our next commit lands on top of whatever it did — also when Java replaced
// the very files our commit's base held. Both readers (pyiceberg and Java, compared by
// readTable) see every record exactly once afterwards.
import { describe, expect, it } from "vitest";
import {
  javaAppendRows,
  javaInsert,
  javaExpireSnapshots,
  javaRemoveOrphanFiles,
  javaRewriteDataFiles,
  javaRewriteManifests,
  type JavaTableAddress,
} from "../../env/java-iceberg.js";
import { landingFirst } from "../landing-first.js";
import { createCommitHarness, expectedOrderIds, orderIds, type CommitHarness } from "./commit-harness.js";

type WritableAddress = Exclude<JavaTableAddress, { catalog: "metadata-file" }>;

function javaAddress(harness: CommitHarness): WritableAddress {
  return harness.config.catalog.type === "local" ? { catalog: "local", tableLocation: harness.tableLocation } : { catalog: "glue", ...harness.glueTable };
}

// `headers` is given: where Spark writes a null top-level list, pyiceberg 0.12 reads [] and
// Java reads null (a disagreement between the two readers on a file neither of us wrote).
const javaRows = [
  { val: { id: "java-1", status: "PLACED", tags: ["java"] }, headers: [{ key: "origin", value: "amF2YQ==" }], timestamp: "2026-11-24T13:00:00.000001Z" },
  { key: { __raw__: "a2V5" }, val: { id: "java-2" }, headers: [], timestamp: "2026-11-25T13:00:00Z" },
];

describe.each(["aws", "local"] as const)("Iceberg-Java maintaining a table beside us (%s catalog)", (storage) => {
  it("appends, compacts, rewrites manifests, expires snapshots and removes orphans; our commits land on top, every record once", { timeout: 240_000 }, async () => {
    const harness = await createCommitHarness({ storage });
    const table = javaAddress(harness);
    await harness.ingestOrders(0, 0, 4);
    expect((await harness.commit()).tables[0]?.status).toBe("committed");

    await javaAppendRows(table, javaRows);
    // Spark SQL too: an INSERT … SELECT copies Java's first row an hour later (a record of its own).
    await javaInsert(table, "SELECT key, val, headers, timestamp + INTERVAL 1 HOUR FROM {table} WHERE val.id = 'java-1'");
    await harness.ingestOrders(0, 5, 9);
    await harness.ingestOrders(1, 0, 4);
    expect((await harness.commit()).tables[0]).toMatchObject({ status: "committed", recordsCommitted: 10 });
    expect((await harness.readTable())["data-files"].length).toBeGreaterThan(2);

    const rewritten = await javaRewriteDataFiles(table);
    expect(Number(rewritten["rewritten_data_files_count"])).toBeGreaterThan(1);
    await javaRewriteManifests(table);
    const afterJava = await harness.readTable();
    expect(afterJava.snapshots.at(-1)?.summary["operation"]).toBe("replace");
    await javaExpireSnapshots(table, { retainLast: 1 });
    expect((await harness.readTable()).snapshots).toHaveLength(1);
    // Compaction left the replaced files behind for expiry; expiry deleted them. What is left
    // for orphan removal is whatever else no snapshot references; the table must not lose a file it needs.
    await javaRemoveOrphanFiles(table);

    await harness.ingestOrders(0, 10, 14);
    expect((await harness.commit()).tables[0]).toMatchObject({ status: "committed", recordsCommitted: 5 });

    const readout = await harness.readTable();
    expect(orderIds(readout)).toEqual([...expectedOrderIds([0, 14], [0, 4]), "java-1", "java-1", "java-2"].sort());
    expect(readout.snapshots.at(-1)?.summary["total-records"]).toBe("23");
  });

  it("our commit, built on a base whose files Java meanwhile compacted away, is re-applied on Java's snapshot", { timeout: 240_000 }, async () => {
    const harness = await createCommitHarness({ storage });
    const table = javaAddress(harness);
    await harness.ingestOrders(0, 0, 4);
    await harness.commit();
    await harness.ingestOrders(0, 5, 9);
    await harness.commit();
    await harness.ingestOrders(1, 0, 4);

    const context = harness.commitContext();
    const racingCatalog = landingFirst(context.catalog, {
      1: async () => {
        // Java replaces every file of our base, then expires the snapshot our commit was built on.
        await javaRewriteDataFiles(table);
        await javaExpireSnapshots(table, { retainLast: 1 });
      },
    });
    const outcome = await harness.commit({ catalog: racingCatalog });
    expect(outcome.failures).toEqual([]);
    expect(outcome.tables[0]).toMatchObject({ status: "committed", conflictsRetried: 1, recordsCommitted: 5 });

    const readout = await harness.readTable();
    expect(orderIds(readout)).toEqual(expectedOrderIds([0, 9], [0, 4]));
    const [javaReplace, ours] = readout.snapshots;
    expect(javaReplace?.summary["operation"]).toBe("replace");
    expect(ours?.["parent-snapshot-id"]).toBe(javaReplace?.["snapshot-id"]);
    expect(ours?.summary["total-records"]).toBe("15");
  });
});
