// The embedded default end to end (SPEC.md §6): Kafka-event batches ingested and committed
// with only local adapters (a warehouse folder, the file catalog, local state), then read by
// pyiceberg from the table folder through version-hint.text, as other engines read it.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { commitIdProperty, committedOffsetsProperty } from "../../../lib/commit/committed-offsets.js";
import { landingFirst } from "../landing-first.js";
import { createCommitHarness, expectedOrderIds, orderIds } from "./commit-harness.js";

describe("ingest and commit on the local adapters", () => {
  it("creates the table on the first commit and appends a snapshot per commit; pyiceberg reads each record once", async () => {
    const harness = await createCommitHarness({ storage: "local" });
    expect(harness.config).toMatchObject({ catalog: { type: "local" }, state: { type: "local" } });
    expect(harness.tableLocation.startsWith("/")).toBe(true);

    await harness.ingestOrders(0, 0, 9);
    await harness.ingestOrders(1, 0, 4);
    const first = await harness.commit();
    expect(first.tables[0]).toMatchObject({ status: "committed", filesCommitted: 2, recordsCommitted: 15 });
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toEqual([]);
    expect(await harness.context.stateStore.committedOffset(harness.topic, 0)).toBe(9n);

    const afterFirst = await harness.readTable();
    expect(orderIds(afterFirst)).toEqual(expectedOrderIds([0, 9], [0, 4]));
    expect(afterFirst["metadata-location"]).toBe(`${harness.tableLocation}/metadata/v2.metadata.json`);
    expect(afterFirst.location).toBe(harness.tableLocation);
    expect(afterFirst.snapshots[0]?.summary).toMatchObject({ operation: "append", "total-records": "15", [commitIdProperty]: first.tables[0]?.commitId });
    expect(afterFirst["data-files"].every((file) => file.path.startsWith(`${harness.tableLocation}/data/`))).toBe(true);
    const row = afterFirst.rows.find((candidate) => (candidate["val"] as { id?: string } | null)?.id === "order-3");
    expect(row?.["val"]).toMatchObject({ id: "order-3", cents: 1003, status: "SHIPPED", tags: ["t3"], customer: { name: "customer 3" } });

    await harness.ingestOrders(0, 10, 19);
    await harness.ingestOrders(0, 15, 24);
    await harness.ingestOrders(1, 5, 9);
    expect((await harness.commit()).tables[0]).toMatchObject({ status: "committed", recordsCommitted: 20 });
    expect((await harness.commit()).tables[0]?.status).toBe("nothing-staged");

    const afterSecond = await harness.readTable();
    expect(orderIds(afterSecond)).toEqual(expectedOrderIds([0, 24], [0, 9]));
    expect(afterSecond.snapshots.map((snapshot) => snapshot.summary["total-records"])).toEqual(["15", "35"]);
    expect(JSON.parse(afterSecond.snapshots[1]?.summary[committedOffsetsProperty] ?? "{}")).toEqual({ [harness.topic]: { "0": "24", "1": "9" } });
    expect(afterSecond["metadata-location"]).toBe(`${harness.tableLocation}/metadata/v3.metadata.json`);
    expect(readFileSync(`${harness.tableLocation}/metadata/version-hint.text`, "utf8")).toBe("3");
  });

  it("retries a commit that another exporter's commit to the same table beat; pyiceberg reads both exports' records once", async () => {
    const ours = await createCommitHarness({ storage: "local" });
    // Another deployment of the export, with its own topic and state, writing the same table.
    const theirs = await createCommitHarness({ storage: "local", warehouse: ours.config.warehouse, tableName: ours.table.split(".")[1] });
    expect(theirs.tableLocation).toBe(ours.tableLocation);
    await ours.ingestOrders(0, 0, 4);
    expect((await ours.commit()).tables[0]?.status).toBe("committed");

    await ours.ingestOrders(0, 5, 9);
    await theirs.ingestOrders(0, 100, 104);
    const context = ours.commitContext();
    // Their whole commit lands between our load and our commit, on the base we loaded.
    const racingCatalog = landingFirst(context.catalog, {
      1: async () => {
        expect((await theirs.commit()).tables[0]).toMatchObject({ status: "committed", conflictsRetried: 0 });
      },
    });
    const outcome = await ours.commit({ catalog: racingCatalog });
    expect(outcome.failures).toEqual([]);
    expect(outcome.tables[0]).toMatchObject({ status: "committed", conflictsRetried: 1, recordsCommitted: 5 });

    const table = await ours.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 9], [100, 104]));
    const [first, theirSnapshot, ourRetry] = table.snapshots;
    expect(theirSnapshot?.["parent-snapshot-id"]).toBe(first?.["snapshot-id"]);
    expect(ourRetry?.["parent-snapshot-id"]).toBe(theirSnapshot?.["snapshot-id"]);
    expect(readdirSync(`${ours.tableLocation}/metadata`).filter((name) => name.endsWith(".metadata.json")).sort()).toEqual([
      "v1.metadata.json",
      "v2.metadata.json",
      "v3.metadata.json",
      "v4.metadata.json",
    ]);
  });
});
