import { existsSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createLocalStateStore, type LocalStateStoreOptions } from "../../../../lib/adapters/local/local-state-store.js";
import type { StateStore } from "../../../../lib/state/state-store.js";
import { schemaState, stagedFile, stageRequest, stateStoreContract, topicExport } from "../../../contracts/state-store-contract.js";
import { raceProcesses } from "./race.js";
import { temporaryFolder } from "./temp-folder.js";

stateStoreContract("Local state store", () => Promise.resolve({ store: createLocalStateStore({ directory: temporaryFolder("state") }) }));

/** A store `enable` has used: it has its marker, so it stages. */
async function usedStore(options: LocalStateStoreOptions): Promise<StateStore> {
  const store = createLocalStateStore(options);
  await store.ensureStoreMarker();
  return store;
}

describe("Local state store", () => {
  it("refuses to stage into a folder that vanished, and reads it as a store without marker without recreating it", async () => {
    const directory = temporaryFolder("state");
    const store = await usedStore({ directory });
    await store.putTopicExport(topicExport({ topic: "orders" }));
    expect(await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: [] }))).toBe("staged");

    rmSync(directory, { recursive: true, force: true });
    expect(await store.storeMarker()).toBeUndefined();
    expect(await store.topicExport("orders")).toBeUndefined();
    expect(existsSync(directory)).toBe(false);
    const staging = store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 19n, files: [stagedFile({ firstOffset: 10n, lastOffset: 19n })] }));
    await expect(staging).rejects.toMatchObject({ code: "STATE_STORE_MISSING", retryable: true, message: expect.stringContaining(directory) as unknown });
    expect(existsSync(directory)).toBe(false);
  });

  it("still lacks its marker after another write recreated the vanished folder", async () => {
    const directory = temporaryFolder("state");
    const store = await usedStore({ directory });
    rmSync(directory, { recursive: true, force: true });
    expect(await store.acquireCommitLease("sales.orders", { owner: "a", nowMs: 0, durationMs: 1_000 })).toBe(true);
    expect(await store.storeMarker()).toBeUndefined();
    await expect(store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: [] }))).rejects.toMatchObject({ code: "STATE_STORE_MISSING" });
  });

  it("keeps its state across store instances, as separate processes see it", async () => {
    const directory = temporaryFolder("state");
    const file = stagedFile({ firstOffset: 0n, lastOffset: 2n ** 63n - 1n, partitionValues: { timestamp_day: null } });
    const writer = await usedStore({ directory });
    await writer.putTopicExport(topicExport({ topic: "orders", startOffsets: { 3: 2n ** 62n } }));
    await writer.saveSchemaState("sales.orders", schemaState(0), undefined);
    await writer.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: file.lastOffset, files: [file] }));

    const reader = createLocalStateStore({ directory });
    expect(await reader.topicExport("orders")).toEqual(topicExport({ topic: "orders", startOffsets: { 3: 2n ** 62n } }));
    expect(await reader.schemaState("sales.orders")).toEqual({ state: schemaState(0), version: 1 });
    expect(await reader.stagedFiles("sales.orders")).toEqual([file]);
    expect(await reader.stagedWatermark("orders", 0)).toBe(2n ** 63n - 1n);
  });

  it("writes nothing for a change whose condition fails, or that changes nothing", async () => {
    const directory = temporaryFolder("state");
    const store = await usedStore({ directory });
    await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: [] }));
    await store.acquireCommitLease("sales.orders", { owner: "a", nowMs: 0, durationMs: 1_000 });
    const snapshots = readdirSync(directory).sort();
    expect(await store.stageFiles(stageRequest({ expectedWatermark: 3n, newWatermark: 19n, files: [] }))).toBe("condition-failed");
    expect(await store.acquireCommitLease("sales.orders", { owner: "b", nowMs: 10, durationMs: 1_000 })).toBe(false);
    await store.releaseCommitLease("sales.orders", "b");
    await store.markCommitted("sales.orders", []);
    expect(readdirSync(directory).sort()).toEqual(snapshots);
  });

  it("refuses to stage a file already staged and not yet committed, as DynamoDB's create-only item does", async () => {
    const store = await usedStore({ directory: temporaryFolder("state") });
    const file = stagedFile({ firstOffset: 0n, lastOffset: 9n });
    await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: [file] }));
    expect(await store.stageFiles(stageRequest({ expectedWatermark: 9n, newWatermark: 19n, files: [file] }))).toBe("condition-failed");
    expect(await store.stagedWatermark("orders", 0)).toBe(9n);
  });

  it("refuses a staging that does not move the watermark forward or mixes partitions", async () => {
    const store = await usedStore({ directory: temporaryFolder("state") });
    await expect(store.stageFiles(stageRequest({ expectedWatermark: 9n, newWatermark: 9n, files: [] }))).rejects.toMatchObject({ code: "INTERNAL" });
    const stranger = stagedFile({ partition: 1, firstOffset: 0n, lastOffset: 9n });
    await expect(store.stageFiles({ topic: "orders", partition: 0, expectedWatermark: undefined, newWatermark: 9n, files: [stranger] })).rejects.toMatchObject({ code: "INTERNAL" });
  });

  it("prunes old snapshots once they are both old and enough versions behind, keeping the newest", async () => {
    const directory = temporaryFolder("state");
    // Snapshot 1 is the marker, 2 to 7 the stagings.
    const store = await usedStore({ directory, snapshots: { keep: 3, pruneAfterMs: 60_000 } });
    for (let watermark = 1n; watermark <= 6n; watermark += 1n) {
      await store.stageFiles(stageRequest({ expectedWatermark: watermark === 1n ? undefined : watermark - 1n, newWatermark: watermark, files: [] }));
    }
    const young = readdirSync(directory).sort();
    expect(young).toHaveLength(7);
    // Made old: the next write prunes every snapshot 3 or more versions behind it.
    const past = new Date(Date.now() - 120_000);
    for (const name of young) utimesSync(`${directory}/${name}`, past, past);
    await store.stageFiles(stageRequest({ expectedWatermark: 6n, newWatermark: 7n, files: [] }));
    expect(readdirSync(directory).sort()).toEqual(young.slice(5).concat(`state-${"8".padStart(20, "0")}.json`));
    expect(await store.storeMarker()).toBeDefined();
    expect(await store.stagedWatermark("orders", 0)).toBe(7n);
  });

  it("names the snapshot it cannot read", async () => {
    const directory = temporaryFolder("state");
    writeFileSync(`${directory}/state-${"1".padStart(20, "0")}.json`, "{ not json");
    await expect(createLocalStateStore({ directory }).topicExports()).rejects.toMatchObject({ code: "INTERNAL", message: expect.stringContaining("state-00000000000000000001.json") as unknown });
  });
});

describe("Local state store across processes", () => {
  it("lets exactly one of several processes staging from the same watermark win, and keeps only its file", async () => {
    const directory = temporaryFolder("state");
    const store = await usedStore({ directory });
    await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: [] }));
    const contenders = [1, 2, 3, 4, 5];
    const outcomes = await raceProcesses(
      contenders.map((contender) => ({ kind: "stage", stateDirectory: directory, contender, expectedWatermark: "9", newWatermark: String(2n ** 62n + BigInt(contender)) })),
    );
    const winners = outcomes.filter(({ outcome }) => outcome === "staged");
    expect(winners).toHaveLength(1);
    expect(outcomes.filter(({ outcome }) => outcome === "condition-failed")).toHaveLength(contenders.length - 1);
    const winner = winners[0]?.contender ?? -1;
    expect(await store.stagedWatermark("orders", 0)).toBe(2n ** 62n + BigInt(winner));
    expect((await store.stagedFiles("sales.orders")).map((file) => [file.location, file.metrics.upperBounds[1]])).toEqual([
      [`/warehouse/sales/orders/data/contender-${winner}.parquet`, Uint8Array.from([winner])],
    ]);
  });

  it("loses no change when several processes write at once", async () => {
    const directory = temporaryFolder("state");
    const contenders = [1, 2, 3, 4];
    const outcomes = await raceProcesses(contenders.map((contender) => ({ kind: "topics", stateDirectory: directory, contender, count: 15 })));
    expect(outcomes.map(({ outcome }) => outcome)).toEqual(contenders.map(() => "done"));
    const topics = (await createLocalStateStore({ directory }).topicExports()).map((entry) => entry.topic);
    expect(topics).toEqual(contenders.flatMap((contender) => Array.from({ length: 15 }, (_, index) => `topic-${contender}-${index}`)).sort());
  });

  it("gives a free commit lease to exactly one of several processes", async () => {
    const directory = temporaryFolder("state");
    const outcomes = await raceProcesses([1, 2, 3, 4].map((contender) => ({ kind: "lease", stateDirectory: directory, contender, nowMs: 1_000 })));
    expect(outcomes.filter(({ outcome }) => outcome === "true")).toHaveLength(1);
    expect(outcomes.filter(({ outcome }) => outcome === "false")).toHaveLength(3);
  });
});
