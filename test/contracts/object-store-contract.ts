// What every ObjectStore must do (lib/storage/object-store.ts), written once and run over
// each adapter by its own test file.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConditionFailedError, ExportError } from "../../lib/core/errors.js";
import type { ObjectStore } from "../../lib/storage/object-store.js";

export interface ObjectStoreFixture {
  store: ObjectStore;
  /** The store's location of a key, e.g. `s3://bucket/<key>` or `<folder>/<key>`. */
  location(key: string): string;
  /** How many objects a listing must hold to span several pages of this store; 0 when it does not page. */
  objectsSpanningPages: number;
}

export function objectStoreContract(name: string, makeStore: () => Promise<ObjectStoreFixture>): void {
  describe(`${name} satisfies the ObjectStore contract`, () => {
    let fixture: ObjectStoreFixture;
    // Each test writes under its own folder, so the tests share one store without meeting.
    let testNumber = 0;
    let folder = "";

    beforeAll(async () => {
      fixture = await makeStore();
    });
    beforeEach(() => {
      testNumber += 1;
      folder = `contract-${testNumber}`;
    });

    function at(key: string): string {
      return fixture.location(`${folder}/${key}`);
    }

    function text(value: string): Uint8Array {
      return new TextEncoder().encode(value);
    }

    it("reads back exactly the bytes written, every byte value and the empty object", async () => {
      const everyByte = Uint8Array.from({ length: 512 }, (_, index) => (index * 7) % 256);
      await fixture.store.put(at("data/every-byte.bin"), everyByte);
      await fixture.store.put(at("data/empty.bin"), new Uint8Array());
      expect(await fixture.store.get(at("data/every-byte.bin"))).toEqual(everyByte);
      expect(await fixture.store.get(at("data/empty.bin"))).toEqual(new Uint8Array());
    });

    it("replaces an object on a plain put", async () => {
      await fixture.store.put(at("object"), text("first"));
      await fixture.store.put(at("object"), text("second, longer"));
      expect(await fixture.store.get(at("object"))).toEqual(text("second, longer"));
    });

    it("creates an object with ifAbsent, and refuses a second create with ConditionFailedError, keeping the first", async () => {
      await fixture.store.put(at("metadata/1.metadata.json"), text("first"), { ifAbsent: true });
      const second = fixture.store.put(at("metadata/1.metadata.json"), text("second"), { ifAbsent: true });
      await expect(second).rejects.toBeInstanceOf(ConditionFailedError);
      await expect(second).rejects.toMatchObject({ code: "CONDITION_FAILED", retryable: false });
      expect(await fixture.store.get(at("metadata/1.metadata.json"))).toEqual(text("first"));
    });

    it("fails to get a missing object with NOT_FOUND naming its location", async () => {
      const missing = at("no/such/object");
      const read = fixture.store.get(missing);
      await expect(read).rejects.toBeInstanceOf(ExportError);
      await expect(read).rejects.toMatchObject({ code: "NOT_FOUND", retryable: false, message: expect.stringContaining(missing) as unknown });
    });

    it("tells whether an object exists", async () => {
      await fixture.store.put(at("present"), text("here"));
      expect(await fixture.store.exists(at("present"))).toBe(true);
      expect(await fixture.store.exists(at("absent"))).toBe(false);
    });

    it("deletes an object, and deleting a missing one is not an error", async () => {
      await fixture.store.put(at("doomed"), text("bye"));
      await fixture.store.delete(at("doomed"));
      expect(await fixture.store.exists(at("doomed"))).toBe(false);
      await expect(fixture.store.delete(at("doomed"))).resolves.toBeUndefined();
      await expect(fixture.store.delete(at("never-written"))).resolves.toBeUndefined();
    });

    it("deletes many objects at once, missing ones among them, and only those", async () => {
      const doomed = ["many/a", "many/b/c", "many/d"].map(at);
      for (const location of [...doomed, at("many/kept")]) await fixture.store.put(location, text("x"));
      await fixture.store.deleteMany([...doomed, at("many/never-written")]);
      for (const location of doomed) expect(await fixture.store.exists(location)).toBe(false);
      expect(await fixture.store.exists(at("many/kept"))).toBe(true);
      await expect(fixture.store.deleteMany([])).resolves.toBeUndefined();
    });

    it("lists every object under a prefix, nested ones included, in lexicographic order, and nothing else", async () => {
      const keys = ["table/data/b.parquet", "table/data/a.parquet", "table/data/day=2/c.parquet", "table/data/10.parquet", "table/data-old/x", "other/y"];
      for (const key of keys) await fixture.store.put(at(key), text(key));
      expect(await fixture.store.list(at("table/data/"))).toEqual(
        ["table/data/10.parquet", "table/data/a.parquet", "table/data/b.parquet", "table/data/day=2/c.parquet"].map(at),
      );
    });

    it("lists objects with their sizes and modification times, in the order of list", async () => {
      const before = Date.now();
      for (const key of ["sized/b", "sized/a/c"]) await fixture.store.put(at(key), text(`${key} body`));
      const objects = await fixture.store.listObjects(at("sized/"));
      expect(objects.map((object) => object.location)).toEqual(await fixture.store.list(at("sized/")));
      expect(objects.map((object) => object.sizeBytes)).toEqual([text("sized/a/c body").length, text("sized/b body").length]);
      // Clocks of a server and of this process differ by less than a minute.
      for (const object of objects) expect(Math.abs(object.lastModifiedMs - before)).toBeLessThan(60_000);
    });

    it("lists nothing under a prefix without objects", async () => {
      expect(await fixture.store.list(at("nothing/here/"))).toEqual([]);
    });

    it("lists all objects of a listing that spans several pages, in order", async () => {
      const count = Math.max(fixture.objectsSpanningPages, 3);
      const keys = Array.from({ length: count }, (_, index) => `many/${index.toString().padStart(5, "0")}`);
      await writeAll(keys);
      expect(await fixture.store.list(at("many/"))).toEqual(keys.map(at));
    });

    // Many small writes at a time, so a listing of more than a page is quick to set up.
    async function writeAll(keys: readonly string[]): Promise<void> {
      const pending = [...keys];
      async function writer(): Promise<void> {
        for (let key = pending.pop(); key !== undefined; key = pending.pop()) await fixture.store.put(at(key), text(key));
      }
      await Promise.all(Array.from({ length: 16 }, writer));
    }
  });
}
