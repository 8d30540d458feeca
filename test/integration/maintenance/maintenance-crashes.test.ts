// A maintenance pass that crashes at each of its steps (SPEC.md §8): the real object store
// and catalog, wrapped so that the Nth write (an object put or delete, a catalog commit)
// fails before it happens, or — for a catalog commit — right after it landed. Steps, in a
// pass's order: the compacted files written, the replace commit, the old metadata file
// dropped, the expiry commit, the expired manifest lists, manifests and data files deleted,
// the orphans deleted. After each crash the table reads (pyiceberg and Iceberg-Java) every
// record exactly once and names no missing file (read after every crash on the embedded default, at the end on moto); the next pass finishes the work, and at the
// end nothing unreferenced is left under the table location.
import { describe, expect, it } from "vitest";
import type { Catalog } from "../../../lib/catalog/catalog.js";
import type { ObjectStore } from "../../../lib/storage/object-store.js";
import { createCommitHarness, orderIds } from "../commit/commit-harness.js";
import { keepTwoSnapshots, maintenancePass, workload } from "./maintenance-workload.js";
import { missingFiles, unreferencedFiles } from "./table-files.js";

interface Fault {
  /** The write, counted from 1, that fails. */
  step: number;
  /** A catalog commit that fails after it landed (the process died before it heard back). */
  afterLanding: boolean;
}

interface FaultyAdapters {
  catalog: Catalog;
  objectStore: ObjectStore;
  /** Each write of the pass: `put <file name>`, `delete <file name>`, `commit`. */
  writes: string[];
  fired: () => boolean;
}

/** The real adapters, with `fault` injected at its write; none when undefined (a pass that only records its writes). */
function faulty(catalog: Catalog, objectStore: ObjectStore, fault: Fault | undefined): FaultyAdapters {
  const writes: string[] = [];
  let fired = false;
  const crash = (write: string): Error => {
    fired = true;
    return new Error(`injected crash at write ${writes.length}: ${write}`);
  };
  async function write<T>(name: string, run: () => Promise<T>): Promise<T> {
    writes.push(name);
    if (fault?.step !== writes.length) return run();
    if (!fault.afterLanding) throw crash(name);
    await run();
    throw crash(`${name} (after it landed)`);
  }
  const fileName = (location: string): string => location.slice(location.lastIndexOf("/") + 1);
  return {
    writes,
    fired: () => fired,
    catalog: {
      loadTable: (identifier) => catalog.loadTable(identifier),
      createTable: (identifier, metadata) => catalog.createTable(identifier, metadata),
      commitTable: (base, metadata) => write("commit", () => catalog.commitTable(base, metadata)),
    },
    objectStore: {
      ...objectStore,
      get: (location) => objectStore.get(location),
      exists: (location) => objectStore.exists(location),
      list: (prefix) => objectStore.list(prefix),
      listObjects: (prefix) => objectStore.listObjects(prefix),
      put: (location, body, options) => write(`put ${fileName(location)}`, () => objectStore.put(location, body, options)),
      delete: (location) => write(`delete ${fileName(location)}`, () => objectStore.delete(location)),
    },
  };
}

describe.each(["local", "aws"] as const)("a maintenance pass crashing at each step (%s)", (storage) => {
  it("leaves a readable table, every record once, no file missing; the next pass finishes the work", { timeout: 1_200_000 }, async () => {
    const harness = await createCommitHarness({ storage });
    const { catalog, objectStore } = harness.commitContext();
    const pass = (adapters: { catalog: Catalog; objectStore: ObjectStore }) => maintenancePass(harness, { adapters });
    const work = workload(harness);
    await work.add();
    await keepTwoSnapshots(harness);
    expect((await pass({ catalog, objectStore })).failures).toEqual([]);

    // A pass in the steady state the crashed ones run in, recording its writes.
    await work.add();
    const recorded = faulty(catalog, objectStore, undefined);
    expect((await pass(recorded)).failures).toEqual([]);
    const steps = recorded.writes;
    expect(steps.filter((write) => write.startsWith("put compacted-"))).toHaveLength(2);
    expect(steps.filter((write) => write === "commit")).toHaveLength(2);
    expect(steps.some((write) => write.startsWith("delete snap-"))).toBe(true);
    expect(steps.some((write) => write.startsWith("delete stray-"))).toBe(true);

    const faults: Fault[] = steps.flatMap((write, index) => [{ step: index + 1, afterLanding: false }, ...(write === "commit" ? [{ step: index + 1, afterLanding: true }] : [])]);
    for (const fault of faults) {
      const at = `${fault.afterLanding ? "after" : "before"} ${steps[fault.step - 1] ?? "?"} (write ${fault.step})`;
      await work.add();
      const crashing = faulty(catalog, objectStore, fault);
      const crashed = await pass(crashing);
      expect(crashing.fired(), at).toBe(true);
      expect(crashed.failures, at).toHaveLength(1);
      expect(await missingFiles(harness), at).toEqual([]);
      // Both readers after every crash on the embedded default; on moto, where a step takes
      // ten times as long, they read the table once at the end, and every step is checked for
      // missing files.
      if (storage === "local") expect(orderIds(await harness.readTable()), at).toEqual([...work.sent].sort());

      expect((await pass({ catalog, objectStore })).failures, at).toEqual([]);
      expect(await missingFiles(harness), at).toEqual([]);
      expect(await unreferencedFiles(harness), at).toEqual([]);
    }
    const table = await harness.readTable();
    expect(orderIds(table)).toEqual([...work.sent].sort());
    expect(table.snapshots.length).toBeLessThanOrEqual(3);
  });
});
