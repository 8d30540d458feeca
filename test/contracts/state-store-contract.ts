// What every StateStore must do (lib/state/state-store.ts), written once and run over each
// adapter by its own test file. Offsets beyond 2^53 and binary bounds must come back exactly.
import { beforeEach, describe, expect, it } from "vitest";
import { ConditionFailedError } from "../../lib/core/errors.js";
import { seededRandom } from "../../lib/core/seeded-random.js";
import type { SchemaState } from "../../lib/schema/schema-state.js";
import type { StagedFile, StageRequest, StateStore, TopicExport } from "../../lib/state/state-store.js";

export interface StateStoreFixture {
  store: StateStore;
}

/** Beyond Number.MAX_SAFE_INTEGER, where a double would silently round. */
const hugeOffset = 2n ** 62n + 7n;

/** `makeStore` is called before each test and must return a fresh, empty store. */
export function stateStoreContract(name: string, makeStore: () => Promise<StateStoreFixture>): void {
  describe(`${name} satisfies the StateStore contract`, () => {
    let store: StateStore;

    beforeEach(async () => {
      ({ store } = await makeStore());
    });

    describe("store marker", () => {
      it("has none in a new store, and keeps the first one written", async () => {
        expect(await store.storeMarker()).toBeUndefined();
        const marker = await store.ensureStoreMarker();
        expect(marker).toEqual({ id: expect.any(String) as unknown, createdAt: expect.any(String) as unknown });
        expect(await store.storeMarker()).toEqual(marker);
        expect(await store.ensureStoreMarker()).toEqual(marker);
      });

      it("agrees on one marker among concurrent writers", async () => {
        const markers = await Promise.all([1, 2, 3, 4].map(() => store.ensureStoreMarker()));
        const stored = await store.storeMarker();
        expect(markers).toEqual(markers.map(() => stored));
      });

      it("is written by the first topic export put, kept by later ones, and never listed as a topic export", async () => {
        await store.putTopicExport(topicExport({ topic: "orders" }));
        const marker = await store.storeMarker();
        expect(marker).toBeDefined();
        await store.putTopicExport(topicExport({ topic: "orders", enabled: false }));
        await store.putTopicExport(topicExport({ topic: "payments" }));
        expect(await store.storeMarker()).toEqual(marker);
        expect((await store.topicExports()).map((entry) => entry.topic)).toEqual(["orders", "payments"]);
      });

      it("differs between two stores", async () => {
        const other = (await makeStore()).store;
        expect((await store.ensureStoreMarker()).id).not.toBe((await other.ensureStoreMarker()).id);
      });
    });

    describe("topic exports", () => {
      it("has none for a topic never enabled", async () => {
        expect(await store.topicExport("orders")).toBeUndefined();
      });

      it("reads back exactly what was put, start offsets beyond 2^53 included", async () => {
        const orders = topicExport({ topic: "orders", startOffsets: { 0: 0n, 1: hugeOffset, 12: 2n ** 63n - 1n }, messageName: "shop.Order" });
        const payments = topicExport({ topic: "payments", subjectIsExplicit: true, valueSubject: "payments-v2", partitioning: "none" });
        await store.putTopicExport(orders);
        await store.putTopicExport(payments);
        expect(await store.topicExport("orders")).toEqual(orders);
        expect(await store.topicExport("payments")).toEqual(payments);
        expect(await store.topicExport("payments")).not.toHaveProperty("messageName");
      });

      it("keeps the dead-letter choice, on or off, and leaves it absent when none was made", async () => {
        const on = topicExport({ topic: "orders", deadLetters: true });
        const off = topicExport({ topic: "payments", deadLetters: false });
        await store.putTopicExport(on);
        await store.putTopicExport(off);
        await store.putTopicExport(topicExport({ topic: "clicks" }));
        expect(await store.topicExport("orders")).toEqual(on);
        expect(await store.topicExport("payments")).toEqual(off);
        expect(await store.topicExport("clicks")).not.toHaveProperty("deadLetters");
      });

      it("replaces the export on a later put", async () => {
        await store.putTopicExport(topicExport({ topic: "orders", messageName: "shop.Order" }));
        const disabled = topicExport({ topic: "orders", enabled: false, startOffsets: { 0: 42n }, updatedAt: "2025-02-01T00:00:00.000Z" });
        await store.putTopicExport(disabled);
        expect(await store.topicExport("orders")).toEqual(disabled);
      });
    });

    describe("schema state", () => {
      it("has none for a new table", async () => {
        expect(await store.schemaState("sales.orders")).toBeUndefined();
      });

      it("saves the first state only when none exists, and reads it back with its version", async () => {
        const version = await store.saveSchemaState("sales.orders", schemaState(0), undefined);
        expect(await store.schemaState("sales.orders")).toEqual({ state: schemaState(0), version });
        await expect(store.saveSchemaState("sales.orders", schemaState(1), undefined)).rejects.toBeInstanceOf(ConditionFailedError);
        expect(await store.schemaState("sales.orders")).toEqual({ state: schemaState(0), version });
      });

      it("saves from the current version with a higher version, and refuses a save from a stale one", async () => {
        const first = await store.saveSchemaState("sales.orders", schemaState(0), undefined);
        const second = await store.saveSchemaState("sales.orders", schemaState(1), first);
        expect(second).toBeGreaterThan(first);
        const stale = store.saveSchemaState("sales.orders", schemaState(2), first);
        await expect(stale).rejects.toBeInstanceOf(ConditionFailedError);
        await expect(stale).rejects.toMatchObject({ code: "CONDITION_FAILED" });
        expect(await store.schemaState("sales.orders")).toEqual({ state: schemaState(1), version: second });
      });

      it("keeps each table's state apart", async () => {
        await store.saveSchemaState("sales.orders", schemaState(3), undefined);
        expect(await store.schemaState("sales.refunds")).toBeUndefined();
      });
    });

    describe("staging", () => {
      // A local store refuses to stage into a store without its marker (a vanished folder).
      beforeEach(async () => {
        await store.ensureStoreMarker();
      });

      it("has no watermark for a partition never staged", async () => {
        expect(await store.stagedWatermark("orders", 0)).toBeUndefined();
        expect(await store.stagedFiles("sales.orders")).toEqual([]);
      });

      it("stages files and moves the watermark; the files read back exactly", async () => {
        const files = [
          stagedFile({ firstOffset: hugeOffset, lastOffset: hugeOffset + 9n, partitionValues: { timestamp_day: 20_000 } }),
          stagedFile({ firstOffset: hugeOffset, lastOffset: hugeOffset + 9n, location: "s3://warehouse/sales/orders/data/null/b.parquet", partitionValues: { timestamp_day: null } }),
        ];
        expect(await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: hugeOffset + 9n, files }))).toBe("staged");
        expect(await store.stagedWatermark("orders", 0)).toBe(hugeOffset + 9n);
        expect(sortedByLocation(await store.stagedFiles("sales.orders"))).toEqual(sortedByLocation(files));
      });

      it("moves the watermark of a batch that produced no file", async () => {
        expect(await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 99n, files: [] }))).toBe("staged");
        expect(await store.stagedWatermark("orders", 0)).toBe(99n);
      });

      it("stages batch after batch from the watermark each one read", async () => {
        const first = stagedFile({ firstOffset: 0n, lastOffset: 9n });
        const second = stagedFile({ firstOffset: 10n, lastOffset: 19n, location: "s3://warehouse/sales/orders/data/2.parquet", stagedAt: first.stagedAt + 1 });
        expect(await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: [first] }))).toBe("staged");
        expect(await store.stageFiles(stageRequest({ expectedWatermark: 9n, newWatermark: 19n, files: [second] }))).toBe("staged");
        expect(await store.stagedWatermark("orders", 0)).toBe(19n);
        expect(await store.stagedFiles("sales.orders")).toEqual([first, second]);
      });

      it("writes nothing when the expected watermark is stale", async () => {
        const first = stagedFile({ firstOffset: 0n, lastOffset: 9n });
        await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: [first] }));
        const redelivered = stagedFile({ firstOffset: 5n, lastOffset: 14n, location: "s3://warehouse/sales/orders/data/late.parquet" });
        expect(await store.stageFiles(stageRequest({ expectedWatermark: 4n, newWatermark: 14n, files: [redelivered] }))).toBe("condition-failed");
        expect(await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 14n, files: [redelivered] }))).toBe("condition-failed");
        expect(await store.stagedWatermark("orders", 0)).toBe(9n);
        expect(await store.stagedFiles("sales.orders")).toEqual([first]);
      });

      it("writes nothing when a watermark is expected but none was ever staged", async () => {
        const file = stagedFile({ firstOffset: 10n, lastOffset: 19n });
        expect(await store.stageFiles(stageRequest({ expectedWatermark: 9n, newWatermark: 19n, files: [file] }))).toBe("condition-failed");
        expect(await store.stagedWatermark("orders", 0)).toBeUndefined();
        expect(await store.stagedFiles("sales.orders")).toEqual([]);
      });

      it("keeps each partition's watermark apart", async () => {
        await store.stageFiles(stageRequest({ partition: 3, expectedWatermark: undefined, newWatermark: 50n, files: [] }));
        expect(await store.stagedWatermark("orders", 3)).toBe(50n);
        expect(await store.stagedWatermark("orders", 4)).toBeUndefined();
        expect(await store.stagedWatermark("payments", 3)).toBeUndefined();
      });

      it("lets exactly one of several concurrent stagings from the same watermark win, and keeps only its files", async () => {
        await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: [] }));
        const contenders = [19n, 29n, 39n, 49n, 59n].map((newWatermark) =>
          stageRequest({
            expectedWatermark: 9n,
            newWatermark,
            files: [stagedFile({ firstOffset: 10n, lastOffset: newWatermark, location: `s3://warehouse/sales/orders/data/upto-${newWatermark}.parquet` })],
          }),
        );
        const outcomes = await Promise.all(contenders.map((request) => store.stageFiles(request)));
        expect(outcomes.filter((outcome) => outcome === "staged")).toHaveLength(1);
        const winner = contenders[outcomes.indexOf("staged")];
        expect(await store.stagedWatermark("orders", 0)).toBe(winner?.newWatermark);
        expect(await store.stagedFiles("sales.orders")).toEqual(winner?.files);
      });

      it("lists a table's staged files oldest first, ties in topic, partition and offset order, other tables' apart", async () => {
        const oldest = stagedFile({ topic: "orders", partition: 1, firstOffset: 100n, lastOffset: 109n, stagedAt: 1_000 });
        const tieFirst = stagedFile({ topic: "orders", partition: 0, firstOffset: 200n, lastOffset: 209n, stagedAt: 2_000 });
        const tieSecond = stagedFile({ topic: "orders", partition: 1, firstOffset: 110n, lastOffset: 119n, stagedAt: 2_000 });
        const tieThird = stagedFile({ topic: "orders", partition: 10, firstOffset: 5n, lastOffset: 9n, stagedAt: 2_000 });
        const newest = stagedFile({ topic: "orders", partition: 0, firstOffset: 0n, lastOffset: 9n, stagedAt: 3_000 });
        const elsewhere = stagedFile({ table: "sales.refunds", topic: "refunds", firstOffset: 0n, lastOffset: 9n, stagedAt: 500 });
        await store.stageFiles(stageRequest({ partition: 0, expectedWatermark: undefined, newWatermark: 209n, files: [newest, tieFirst] }));
        await store.stageFiles(stageRequest({ partition: 1, expectedWatermark: undefined, newWatermark: 119n, files: [tieSecond, oldest] }));
        await store.stageFiles(stageRequest({ partition: 10, expectedWatermark: undefined, newWatermark: 9n, files: [tieThird] }));
        await store.stageFiles(stageRequest({ topic: "refunds", expectedWatermark: undefined, newWatermark: 9n, files: [elsewhere] }));
        expect(await store.stagedFiles("sales.orders")).toEqual([oldest, tieFirst, tieSecond, tieThird, newest]);
        expect(await store.stagedFiles("sales.refunds")).toEqual([elsewhere]);
      });
    });

    // A batch writes one file per table partition it touches: records hours apart under
    // hourly partitioning touch hundreds. No store limit may fail such a batch for ever.
    describe("staging big batches", () => {
      beforeEach(async () => {
        await store.ensureStoreMarker();
      });

      it("stages 300 files of one batch together with the watermark, or none of them", { timeout: 120_000 }, async () => {
        const files = manyFiles({ count: 300, columns: 20, seed: 1 });
        const loser = manyFiles({ count: 300, columns: 20, seed: 2, locationPrefix: "s3://warehouse/sales/orders/data/loser" });
        expect(await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 309n, files }))).toBe("staged");
        expect(await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 319n, files: loser }))).toBe("condition-failed");
        expect(await store.stagedWatermark("orders", 0)).toBe(309n);
        expect(sortedByLocation(await store.stagedFiles("sales.orders"))).toEqual(sortedByLocation(files));

        const next = stagedFile({ firstOffset: 310n, lastOffset: 319n, stagedAt: (files[0]?.stagedAt ?? 0) + 1 });
        expect(await store.stageFiles(stageRequest({ expectedWatermark: 309n, newWatermark: 319n, files: [next] }))).toBe("staged");
        await store.markCommitted("sales.orders", files);
        expect(await store.stagedFiles("sales.orders")).toEqual([next]);
        expect(await store.committedOffset("orders", 0)).toBe(309n);
      });

      it("stages files whose metadata is huge: long locations, thousands of columns with bounds that do not compress", { timeout: 120_000 }, async () => {
        // One file alone holds more metadata than a DynamoDB item (400 KB); all of them more than a transaction (4 MB).
        const huge = manyFiles({ count: 3, columns: 15_000, seed: 3, locationPrefix: `s3://warehouse/sales/orders/data/${"deep/".repeat(300)}` });
        const wide = manyFiles({ count: 60, columns: 2_000, seed: 4, locationPrefix: "s3://warehouse/sales/orders/data/wide" }).map((file) => ({ ...file, firstOffset: 100n, lastOffset: 199n }));
        expect(await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 99n, files: huge }))).toBe("staged");
        expect(await store.stageFiles(stageRequest({ expectedWatermark: 99n, newWatermark: 199n, files: wide }))).toBe("staged");
        expect(sortedByLocation(await store.stagedFiles("sales.orders"))).toEqual(sortedByLocation([...huge, ...wide]));
        await store.markCommitted("sales.orders", [...huge, ...wide]);
        expect(await store.stagedFiles("sales.orders")).toEqual([]);
        expect(await store.committedOffset("orders", 0)).toBe(199n);
      });
    });

    describe("listing topic exports", () => {
      it("lists every topic export, enabled or not, in topic order", async () => {
        const payments = topicExport({ topic: "payments", enabled: false });
        const orders = topicExport({ topic: "orders" });
        await store.putTopicExport(payments);
        await store.putTopicExport(orders);
        expect(await store.topicExports()).toEqual([orders, payments]);
      });
    });

    describe("commit lease", () => {
      const lease = { nowMs: 1_000_000, durationMs: 60_000 };
      beforeEach(async () => {
        await store.ensureStoreMarker();
      });

      it("goes to one committer at a time, until released or expired", async () => {
        expect(await store.acquireCommitLease("sales.orders", { ...lease, owner: "first" })).toBe(true);
        expect(await store.acquireCommitLease("sales.orders", { ...lease, owner: "second" })).toBe(false);
        expect(await store.acquireCommitLease("sales.refunds", { ...lease, owner: "second" })).toBe(true);
        expect(await store.acquireCommitLease("sales.orders", { ...lease, nowMs: lease.nowMs + 1_000, owner: "first" })).toBe(true);
        // Renewed at +1 s, the lease holds until +61 s.
        expect(await store.acquireCommitLease("sales.orders", { ...lease, nowMs: lease.nowMs + 60_999, owner: "second" })).toBe(false);
        expect(await store.acquireCommitLease("sales.orders", { ...lease, nowMs: lease.nowMs + 61_001, owner: "second" })).toBe(true);
        await store.releaseCommitLease("sales.orders", "first");
        expect(await store.acquireCommitLease("sales.orders", { ...lease, nowMs: lease.nowMs + 62_000, owner: "third" })).toBe(false);
        await store.releaseCommitLease("sales.orders", "second");
        expect(await store.acquireCommitLease("sales.orders", { ...lease, nowMs: lease.nowMs + 62_000, owner: "third" })).toBe(true);
      });

      it("is kept apart from the table's schema state and staged files", async () => {
        const file = stagedFile({ firstOffset: 0n, lastOffset: 9n });
        const version = await store.saveSchemaState("sales.orders", schemaState(0), undefined);
        await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: [file] }));
        expect(await store.acquireCommitLease("sales.orders", { ...lease, owner: "first" })).toBe(true);
        expect(await store.stagedFiles("sales.orders")).toEqual([file]);
        expect(await store.schemaState("sales.orders")).toEqual({ state: schemaState(0), version });
        await store.releaseCommitLease("sales.orders", "first");
        expect(await store.stagedFiles("sales.orders")).toEqual([file]);
        expect(await store.schemaState("sales.orders")).toEqual({ state: schemaState(0), version });
      });

      it("lets exactly one of several concurrent committers take a free lease", async () => {
        const outcomes = await Promise.all(["a", "b", "c", "d"].map((owner) => store.acquireCommitLease("sales.orders", { ...lease, owner })));
        expect(outcomes.filter(Boolean)).toHaveLength(1);
      });
    });

    describe("commit bookkeeping", () => {
      beforeEach(async () => {
        await store.ensureStoreMarker();
      });

      it("removes committed files from the staged set and raises each partition's committed offset", async () => {
        const first = stagedFile({ firstOffset: 0n, lastOffset: 9n });
        const second = stagedFile({ firstOffset: 10n, lastOffset: hugeOffset });
        const other = stagedFile({ partition: 1, firstOffset: 0n, lastOffset: 4n });
        await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: [first] }));
        await store.stageFiles(stageRequest({ expectedWatermark: 9n, newWatermark: hugeOffset, files: [second] }));
        await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 4n, files: [other] }));
        expect(await store.committedOffset("orders", 0)).toBeUndefined();

        await store.markCommitted("sales.orders", [second, first]);
        expect(await store.stagedFiles("sales.orders")).toEqual([other]);
        expect(await store.committedOffset("orders", 0)).toBe(hugeOffset);
        expect(await store.committedOffset("orders", 1)).toBeUndefined();
        expect(await store.stagedWatermark("orders", 0)).toBe(hugeOffset);

        await store.markCommitted("sales.orders", [first]);
        expect(await store.committedOffset("orders", 0)).toBe(hugeOffset);
      });
    });
  });
}

export function topicExport(overrides: Partial<TopicExport> & Pick<TopicExport, "topic">): TopicExport {
  return {
    enabled: true,
    table: { namespace: "sales", name: overrides.topic },
    tableLocation: `s3://warehouse/sales/${overrides.topic}`,
    startOffsets: { 0: 0n },
    valueSubject: `${overrides.topic}-value`,
    subjectIsExplicit: false,
    partitioning: "day",
    updatedAt: "2025-01-01T00:00:00.000Z",
    ...overrides,
  };
}

export function schemaState(schemaId: number): SchemaState {
  return {
    formatVersion: 1,
    lastColumnId: 3 + schemaId,
    schema: {
      type: "struct",
      "schema-id": schemaId,
      fields: [
        { id: 1, name: "key", required: false, type: { type: "struct", fields: [{ id: 2, name: "__raw__", required: false, type: "binary" }] } },
        { id: 3, name: "timestamp", required: false, type: "timestamptz" },
      ],
    },
  };
}

/** A file of topic "orders", partition 0, of table sales.orders unless overridden. */
export function stagedFile(overrides: Partial<StagedFile> & Pick<StagedFile, "firstOffset" | "lastOffset">): StagedFile {
  const topic = overrides.topic ?? "orders";
  const partition = overrides.partition ?? 0;
  return {
    table: "sales.orders",
    location: `s3://warehouse/sales/orders/data/${topic}-${partition}-${overrides.firstOffset}.parquet`,
    fileSizeBytes: 123_456,
    recordCount: 10,
    partitionSpecId: 0,
    partitionValues: { timestamp_day: 20_000 },
    metrics: {
      columnSizes: { 2: 90, 3: 40 },
      valueCounts: { 2: 10, 3: 10 },
      nullValueCounts: { 2: 1, 3: 0 },
      nanValueCounts: {},
      lowerBounds: { 2: new Uint8Array(), 3: Uint8Array.from([0, 1, 2, 255]) },
      upperBounds: { 2: Uint8Array.from([255, 254, 0]), 3: Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2]) },
    },
    topic,
    partition,
    schemaId: 0,
    stagedAt: 1_700_000_000_000,
    ...overrides,
  };
}

export function stageRequest(overrides: Partial<StageRequest> & Pick<StageRequest, "expectedWatermark" | "newWatermark" | "files">): StageRequest {
  return { topic: overrides.files[0]?.topic ?? "orders", partition: overrides.files[0]?.partition ?? 0, ...overrides };
}

/**
 * `count` files of one batch (offsets 0–count+9), each in its own hourly table partition,
 * with `columns` columns of metrics whose 16-byte bounds are random, so no compression helps.
 */
function manyFiles(options: { count: number; columns: number; seed: number; locationPrefix?: string }): StagedFile[] {
  const { count, columns, seed, locationPrefix = "s3://warehouse/sales/orders/data/hour" } = options;
  const random = seededRandom(seed);
  const bound = (): Uint8Array => Uint8Array.from({ length: 16 }, () => Math.floor(random() * 256));
  const perColumn = <V>(value: (id: number) => V): Record<number, V> => Object.fromEntries(Array.from({ length: columns }, (_, index) => [index + 1, value(index + 1)]));
  return Array.from({ length: count }, (_, index) =>
    stagedFile({
      firstOffset: 0n,
      lastOffset: BigInt(count + 9),
      location: `${locationPrefix}-${String(index).padStart(4, "0")}/part-00000.parquet`,
      partitionValues: { timestamp_hour: 480_000 + index },
      metrics: {
        columnSizes: perColumn((id) => 1_000 + id),
        valueCounts: perColumn(() => 10),
        nullValueCounts: perColumn((id) => id % 3),
        nanValueCounts: {},
        lowerBounds: perColumn(bound),
        upperBounds: perColumn(bound),
      },
    }),
  );
}

function sortedByLocation(files: readonly StagedFile[]): StagedFile[] {
  return [...files].sort((a, b) => a.location.localeCompare(b.location));
}
