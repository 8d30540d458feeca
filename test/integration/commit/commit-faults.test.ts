// Other writers and crashes around a commit. Failures are injected by wrapping the real
// adapters (the servers stay real); after the next run every staged record must be in the
// table exactly once, as pyiceberg reads it.
import { GlueClient } from "@aws-sdk/client-glue";
import { describe, expect, it } from "vitest";
import { createGlueCatalog } from "../../../lib/adapters/aws/glue-catalog.js";
import type { Catalog } from "../../../lib/catalog/catalog.js";
import { CommitStateUnknownError } from "../../../lib/catalog/commit-outcome.js";
import { UnavailableError } from "../../../lib/core/errors.js";
import type { StateStore } from "../../../lib/state/state-store.js";
import type { ObjectStore } from "../../../lib/storage/object-store.js";
import { appendRowsWithPyiceberg } from "../../env/iceberg-reader.js";
import { landingFirst } from "../landing-first.js";
import { createCommitHarness, expectedOrderIds, orderIds, type CommitHarness } from "./commit-harness.js";

async function harnessWithCommittedTable(): Promise<CommitHarness> {
  const harness = await createCommitHarness();
  await harness.ingestOrders(0, 0, 4);
  expect((await harness.commit()).tables[0]?.status).toBe("committed");
  await harness.ingestOrders(0, 5, 9);
  await harness.ingestOrders(1, 0, 4);
  return harness;
}

function crashingObjectStore(store: ObjectStore, crashes: (location: string) => "before" | "after" | undefined): ObjectStore {
  let crashed = false;
  return {
    ...store,
    async put(location, body, options) {
      const when = crashed ? undefined : crashes(location);
      if (when === "before") {
        crashed = true;
        throw new UnavailableError("STORAGE_UNAVAILABLE", `injected crash before writing ${location}`);
      }
      await store.put(location, body, options);
      if (when === "after") {
        crashed = true;
        throw new UnavailableError("STORAGE_UNAVAILABLE", `injected crash after writing ${location}`);
      }
    },
  };
}

describe("another writer commits between our load and our commit", () => {
  it("retries on the new base; both writers' rows are in the table", async () => {
    const harness = await harnessWithCommittedTable();
    const context = harness.commitContext();
    const racingCatalog = landingFirst(context.catalog, {
      1: async () => {
        await appendRowsWithPyiceberg(harness.glueTable, [{ val: { id: "other-writer-1" }, timestamp: "2026-11-24T13:00:00+00:00" }]);
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

describe("the manifests of a first attempt are deleted before its retry (an orphan scan with a short minimum age)", () => {
  it("writes them again: the snapshot names no missing file and every record is there once", async () => {
    const harness = await harnessWithCommittedTable();
    const context = harness.commitContext();
    const manifestsWritten: string[] = [];
    const recording: ObjectStore = {
      ...context.objectStore,
      async put(location, body, options) {
        await context.objectStore.put(location, body, options);
        if (/\/metadata\/[^/]+-m\d+\.avro$/.test(location)) manifestsWritten.push(location);
      },
    };
    const racingCatalog = landingFirst(context.catalog, {
      1: async () => {
        await appendRowsWithPyiceberg(harness.glueTable, [{ val: { id: "other-writer-1" }, timestamp: "2026-11-24T13:00:00+00:00" }]);
        expect(manifestsWritten.length).toBeGreaterThan(0);
        for (const location of manifestsWritten.splice(0)) await context.objectStore.delete(location);
      },
    });
    const outcome = await harness.commit({ catalog: racingCatalog, objectStore: recording });
    expect(outcome.failures).toEqual([]);
    expect(outcome.tables[0]).toMatchObject({ status: "committed", conflictsRetried: 1, recordsCommitted: 10 });
    expect(manifestsWritten.length).toBeGreaterThan(0);

    const table = await harness.readTable();
    expect(orderIds(table)).toEqual([...expectedOrderIds([0, 9], [0, 4]), "other-writer-1"].sort());
  });
});

describe("a crash during a commit", () => {
  it("after the manifest was written: the next run commits every record once", async () => {
    const harness = await harnessWithCommittedTable();
    const store = harness.commitContext().objectStore;
    const crashing = crashingObjectStore(store, (location) => (/\/metadata\/snap-[^/]*\.avro$/.test(location) ? "before" : undefined));
    const failed = await harness.commit({ objectStore: crashing });
    expect(failed.failures).toHaveLength(1);
    expect((await harness.readTable()).snapshots).toHaveLength(1);

    expect((await harness.commit()).tables[0]?.status).toBe("committed");
    expect(orderIds(await harness.readTable())).toEqual(expectedOrderIds([0, 9], [0, 4]));
  });

  it("after the metadata file was written, before the catalog update: the next run commits every record once", async () => {
    const harness = await harnessWithCommittedTable();
    const context = harness.commitContext();
    const crashing = crashingObjectStore(context.objectStore, (location) => (location.endsWith(".metadata.json") ? "after" : undefined));
    const catalog = createGlueCatalog({ client: new GlueClient({ ...harness.clientConfig, maxAttempts: 1 }), objectStore: crashing });
    const failed = await harness.commit({ catalog, objectStore: crashing });
    expect(failed.failures).toHaveLength(1);
    expect((await harness.readTable()).snapshots).toHaveLength(1);

    expect((await harness.commit()).tables[0]?.status).toBe("committed");
    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 9], [0, 4]));
    expect(table.snapshots).toHaveLength(2);
  });

  it("after the catalog update, before the bookkeeping: the next run finishes the bookkeeping and appends nothing", async () => {
    const harness = await harnessWithCommittedTable();
    const context = harness.commitContext();
    const forgetful: StateStore = {
      ...context.stateStore,
      markCommitted: () => Promise.reject(new UnavailableError("STORAGE_UNAVAILABLE", "injected crash before the DynamoDB update")),
    };
    const failed = await harness.commit({ stateStore: forgetful });
    expect(failed.failures).toHaveLength(1);
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toHaveLength(2);

    const next = await harness.commit();
    expect(next.tables[0]).toMatchObject({ status: "nothing-staged", filesReconciled: 2, filesCommitted: 0 });
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toEqual([]);
    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 9], [0, 4]));
    expect(table.snapshots).toHaveLength(2);
  });

  it("when the catalog's answer is lost after it applied the commit: the retry appends nothing twice", async () => {
    const harness = await harnessWithCommittedTable();
    const context = harness.commitContext();
    const losingAnswers: Catalog = {
      ...context.catalog,
      async commitTable(base, metadata) {
        const committed = await context.catalog.commitTable(base, metadata);
        throw new CommitStateUnknownError(committed.metadataLocation, "injected: the answer of UpdateTable was lost");
      },
    };
    const outcome = await harness.commit({ catalog: losingAnswers });
    expect(outcome.tables[0]).toMatchObject({ status: "nothing-staged", filesReconciled: 2 });
    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 9], [0, 4]));
    expect(table.snapshots).toHaveLength(2);
  });

  it("while holding the lease: nobody commits until the lease expires, then every record once", async () => {
    const harness = await harnessWithCommittedTable();
    const now = Date.now();
    expect(await harness.context.stateStore.acquireCommitLease(harness.table, { owner: "crashed-committer", nowMs: now, durationMs: 60_000 })).toBe(true);
    expect((await harness.commit()).tables[0]?.status).toBe("lease-held");

    const later = await harness.commit({ now: () => now + 61_000 });
    expect(later.tables[0]?.status).toBe("committed");
    expect(orderIds(await harness.readTable())).toEqual(expectedOrderIds([0, 9], [0, 4]));
  });
});
