// The export end to end over an Iceberg REST catalog: Apache Iceberg's own server in the test
// environment (test/env/rest-catalog.ts), writing the metadata files itself, on moto's S3 with
// DynamoDB state and on a local folder with local state. pyiceberg and Iceberg-Java read every
// table back through the same REST catalog; another writer and a lost answer are real: pyiceberg
// appends through the same server, and a proxy in front of the real server drops one answer.
import { afterEach, describe, expect, it } from "vitest";
import { noAuthentication } from "../../../lib/adapters/rest/request-authenticator.js";
import { createRestCatalog } from "../../../lib/adapters/rest/rest-catalog.js";
import { commitIdProperty } from "../../../lib/commit/committed-offsets.js";
import { appendRowsWithPyiceberg } from "../../env/iceberg-reader.js";
import { startCatalogProxy, type CatalogProxy } from "../adapters/rest/catalog-proxy.js";
import { testEnvironment } from "../../env/test-environment.js";
import { landingFirst } from "../landing-first.js";
import { createCommitHarness, expectedOrderIds, orderIds, type CommitHarness } from "./commit-harness.js";

async function harnessWithCommittedTable(storage: "rest" | "rest-local" = "rest"): Promise<CommitHarness> {
  const harness = await createCommitHarness({ storage });
  await harness.ingestOrders(0, 0, 4);
  expect((await harness.commit()).tables[0]?.status).toBe("committed");
  await harness.ingestOrders(0, 5, 9);
  await harness.ingestOrders(1, 0, 4);
  return harness;
}

describe.each([
  ["on moto's S3 with DynamoDB state", "rest" as const],
  ["on a local folder with local state", "rest-local" as const],
])("ingest and commit through the REST catalog %s", (_, storage) => {
  it("creates the table on the first commit and appends a snapshot per commit; pyiceberg and Iceberg-Java read each record once", async () => {
    const harness = await createCommitHarness({ storage });
    expect(harness.config.catalog).toMatchObject({ type: "rest", uri: testEnvironment().restCatalogUrl, namespace: "kafka" });

    await harness.ingestOrders(0, 0, 9);
    await harness.ingestOrders(1, 0, 4);
    const first = await harness.commit();
    expect(first.failures).toEqual([]);
    expect(first.tables[0]).toMatchObject({ status: "committed", filesCommitted: 2, recordsCommitted: 15 });
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toEqual([]);

    const afterFirst = await harness.readTable();
    expect(orderIds(afterFirst)).toEqual(expectedOrderIds([0, 9], [0, 4]));
    expect(afterFirst.location).toBe(harness.tableLocation);
    // The server names its metadata files as Iceberg-Java does: the create's, then our commit's.
    expect(afterFirst["metadata-location"]).toMatch(new RegExp(`^${harness.tableLocation}/metadata/00001-[0-9a-f-]{36}\\.metadata\\.json$`));
    expect(afterFirst.snapshots[0]?.summary).toMatchObject({ operation: "append", "total-records": "15", [commitIdProperty]: first.tables[0]?.commitId });

    await harness.ingestOrders(0, 10, 19);
    await harness.ingestOrders(0, 15, 24);
    expect((await harness.commit()).tables[0]).toMatchObject({ status: "committed", recordsCommitted: 15 });
    expect((await harness.commit()).tables[0]?.status).toBe("nothing-staged");

    const afterSecond = await harness.readTable();
    expect(orderIds(afterSecond)).toEqual(expectedOrderIds([0, 24], [0, 4]));
    expect(afterSecond.snapshots.map((snapshot) => snapshot.summary["total-records"])).toEqual(["15", "30"]);
  });
});

describe("another writer appends through the same REST catalog between our load and our commit", () => {
  it("our commit is refused by the server's requirement check, retried on the new base; both writers' rows are in the table", async () => {
    const harness = await harnessWithCommittedTable();
    const context = harness.commitContext();
    const racingCatalog = landingFirst(context.catalog, {
      1: async () => {
        await appendRowsWithPyiceberg({ ...harness.glueTable, restUri: harness.restUri }, [{ val: { id: "other-writer-1" }, timestamp: "2026-11-24T13:00:00+00:00" }]);
      },
    });
    const outcome = await harness.commit({ catalog: racingCatalog });
    expect(outcome.failures).toEqual([]);
    expect(outcome.tables[0]).toMatchObject({ status: "committed", conflictsRetried: 1, recordsCommitted: 10 });

    const table = await harness.readTable();
    expect(orderIds(table)).toEqual([...expectedOrderIds([0, 9], [0, 4]), "other-writer-1"].sort());
    const [ours, theirs, oursAgain] = table.snapshots;
    expect(theirs?.["parent-snapshot-id"]).toBe(ours?.["snapshot-id"]);
    expect(oursAgain?.["parent-snapshot-id"]).toBe(theirs?.["snapshot-id"]);
    expect(oursAgain?.summary["total-records"]).toBe("16");
  });
});

describe("the answer to a commit is lost after the REST catalog applied it", () => {
  let proxy: CatalogProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it("is resolved by reloading the table and finding our commit: nothing is appended twice", async () => {
    const harness = await harnessWithCommittedTable();
    const commitPath = `/namespaces/kafka/tables/${harness.glueTable.table}`;
    // The first commit (a POST to the table itself) reaches the server and is applied; its answer is cut off.
    const catalogProxy = await startCatalogProxy(testEnvironment().restCatalogUrl, (method, path) => (method === "POST" && path.endsWith(commitPath) && proxy?.faulted.length === 0 ? "cut" : undefined));
    proxy = catalogProxy;
    const catalog = createRestCatalog({ uri: catalogProxy.url, warehouse: undefined, authenticator: noAuthentication });

    const outcome = await harness.commit({ catalog });
    expect(outcome.failures).toEqual([]);
    expect(catalogProxy.faulted).toHaveLength(1);
    // The retry found the staged files in the table by our committed offsets: bookkeeping only.
    expect(outcome.tables[0]).toMatchObject({ status: "nothing-staged", filesReconciled: 2 });
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toEqual([]);

    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 9], [0, 4]));
    expect(table.snapshots).toHaveLength(2);
    expect((await harness.commit()).tables[0]?.status).toBe("nothing-staged");
  });
});
