import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { createFolderObjectStore } from "../../../../lib/adapters/local/folder-object-store.js";
import { ConditionFailedError } from "../../../../lib/core/errors.js";
import { objectStoreContract } from "../../../contracts/object-store-contract.js";
import { temporaryFolder } from "./temp-folder.js";

objectStoreContract("Folder object store", () => {
  const folder = temporaryFolder("object-store");
  return Promise.resolve({ store: createFolderObjectStore(), location: (key) => `${folder}/${key}`, objectsSpanningPages: 0 });
});

describe("Folder object store", () => {
  const store = createFolderObjectStore();

  it("lets exactly one of many concurrent create-only writes win, and never shows a partial object", async () => {
    const location = `${temporaryFolder("object-store")}/metadata/v2.metadata.json`;
    const bodies = Array.from({ length: 12 }, (_, index) => new Uint8Array(256 * 1024).fill(index + 1));
    const outcomes = await Promise.allSettled(bodies.map((body) => store.put(location, body, { ifAbsent: true })));
    const winners = outcomes.flatMap((outcome, index) => (outcome.status === "fulfilled" ? [index] : []));
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === "rejected").map((outcome) => outcome.reason as unknown)).toEqual(
      Array.from({ length: 11 }, () => expect.any(ConditionFailedError) as unknown),
    );
    expect(await store.get(location)).toEqual(bodies[winners[0] ?? -1]);
  });

  it("leaves no temporary file behind, and lists none that is still being written", async () => {
    const folder = temporaryFolder("object-store");
    await store.put(`${folder}/data/a.parquet`, new Uint8Array([1]));
    await store.put(`${folder}/data/a.parquet`, new Uint8Array([2]));
    await store.put(`${folder}/data/b.parquet`, new Uint8Array([3]), { ifAbsent: true });
    await expect(store.put(`${folder}/data/b.parquet`, new Uint8Array([4]), { ifAbsent: true })).rejects.toBeInstanceOf(ConditionFailedError);
    expect(readdirSync(`${folder}/data`).sort()).toEqual(["a.parquet", "b.parquet"]);

    writeFileSync(`${folder}/data/.tmp-00000000-0000-0000-0000-000000000000`, "half a file");
    expect(await store.list(`${folder}/data/`)).toEqual([`${folder}/data/a.parquet`, `${folder}/data/b.parquet`]);
  });

  it("lists by string prefix as S3 does, not only by folder", async () => {
    const folder = temporaryFolder("object-store");
    for (const key of ["data/a.parquet", "data/a/b.parquet", "data/ab", "data/b"]) await store.put(`${folder}/${key}`, new Uint8Array([1]));
    expect(await store.list(`${folder}/data/a`)).toEqual(["data/a.parquet", "data/a/b.parquet", "data/ab"].map((key) => `${folder}/${key}`));
  });

  it("reads file: URIs, as Spark records locations, and lists them back in that form", async () => {
    const folder = temporaryFolder("object-store");
    await store.put(`${folder}/data/a.parquet`, new Uint8Array([7]));
    const uri = pathToFileURL(`${folder}/data/a.parquet`).href;
    expect(await store.get(uri)).toEqual(new Uint8Array([7]));
    expect(await store.get(`file:${folder}/data/a.parquet`)).toEqual(new Uint8Array([7]));
    expect(await store.list(pathToFileURL(`${folder}/data/`).href)).toEqual([uri]);
  });

  it("treats a folder as no object", async () => {
    const folder = temporaryFolder("object-store");
    mkdirSync(`${folder}/data`);
    expect(await store.exists(`${folder}/data`)).toBe(false);
    await expect(store.get(`${folder}/data`)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses a relative location, or one with '.' or '..' segments, naming it", async () => {
    for (const location of ["warehouse/sales/orders", "./warehouse/x", "/tmp/warehouse/../etc/x", "/tmp//x", "s3://bucket/key"]) {
      await expect(store.get(location)).rejects.toMatchObject({ code: "INTERNAL", message: expect.stringContaining(location) as unknown });
    }
  });

  it("reports a write it cannot make (a file where a folder must be) as a non-retryable error naming the location", async () => {
    const folder = temporaryFolder("object-store");
    await store.put(`${folder}/file`, new Uint8Array([1]));
    await expect(store.put(`${folder}/file/inside`, new Uint8Array([2]))).rejects.toMatchObject({
      code: "INTERNAL",
      retryable: false,
      message: expect.stringContaining(`${folder}/file/inside`) as unknown,
    });
  });
});
