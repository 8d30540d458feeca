import { describe, expect, it } from "vitest";
import { planExpiredFiles } from "../../../lib/maintenance/expired-files-plan.js";

describe("planning the files an expiry deletes", () => {
  // s1 adds a (m1); s2 adds b (m2, m1 carried); s3 compacts a+b into c: m3 lists a and b
  // DELETED and c ADDED. Expiring s1 and s2 keeps s3.
  const manifestsOf = new Map([
    ["list-1", ["m1"]],
    ["list-2", ["m1", "m2"]],
    ["list-3", ["m3"]],
  ]);
  const liveFilesOf = new Map([
    ["m1", ["a"]],
    ["m2", ["b"]],
    ["m3", ["c"]],
  ]);

  it("deletes the expired manifest lists, the manifests no retained snapshot lists and the files only they hold live", () => {
    const plan = planExpiredFiles({ expiredManifestLists: ["list-1", "list-2"], retainedManifestLists: ["list-3"], manifestsOf, liveFilesOf, protectedLocations: new Set() });
    expect(plan).toEqual({ manifestLists: ["list-1", "list-2"], manifests: ["m1", "m2"], dataFiles: ["a", "b"] });
  });

  it("keeps a manifest a retained snapshot still lists, and every file it holds live", () => {
    const plan = planExpiredFiles({ expiredManifestLists: ["list-1"], retainedManifestLists: ["list-2", "list-3"], manifestsOf, liveFilesOf, protectedLocations: new Set() });
    expect(plan).toEqual({ manifestLists: ["list-1"], manifests: [], dataFiles: [] });
  });

  it("keeps a file that a retained manifest holds live even when a deleted manifest held it too", () => {
    const shared = new Map([...liveFilesOf, ["m2", ["b", "c"]]]);
    const plan = planExpiredFiles({ expiredManifestLists: ["list-2"], retainedManifestLists: ["list-3"], manifestsOf, liveFilesOf: shared, protectedLocations: new Set() });
    expect(plan.dataFiles).toEqual(["a", "b"]);
  });

  it("never deletes a protected location (a staged file, the current metadata)", () => {
    const plan = planExpiredFiles({ expiredManifestLists: ["list-1", "list-2"], retainedManifestLists: ["list-3"], manifestsOf, liveFilesOf, protectedLocations: new Set(["b", "list-1"]) });
    expect(plan).toEqual({ manifestLists: ["list-2"], manifests: ["m1", "m2"], dataFiles: ["a"] });
  });
});
