// Which files an expiry may delete (SPEC.md §8): by reachability, as Iceberg-Java's
// ReachableFileCleanup does. A manifest list goes with its snapshot; a manifest goes when no
// retained snapshot lists it; a data file goes when a deleted manifest held it live and no
// retained manifest holds it live. Nothing a staged entry names is ever deleted: a staged
// file is not in any manifest yet, and the next commit appends it.

export interface ManifestFiles {
  manifestPath: string;
  /** Paths of the entries that are not DELETED (ADDED and EXISTING). */
  liveFilePaths: readonly string[];
}

export interface ExpiredFilesInput {
  /** Manifest lists of the expired snapshots. */
  expiredManifestLists: readonly string[];
  /** Manifest lists of the retained snapshots. */
  retainedManifestLists: readonly string[];
  /** The manifests each manifest list lists, by manifest list path. */
  manifestsOf: ReadonlyMap<string, readonly string[]>;
  /** Entries of the manifests that may be deleted and of those retained, by manifest path. */
  liveFilesOf: ReadonlyMap<string, readonly string[]>;
  /** Locations that must survive whatever the manifests say (staged files, current metadata). */
  protectedLocations: ReadonlySet<string>;
}

export interface ExpiredFiles {
  manifestLists: string[];
  manifests: string[];
  dataFiles: string[];
}

/** The manifests whose entries the plan needs: those of expired snapshots, and the retained ones. */
export function manifestsToDelete(input: Pick<ExpiredFilesInput, "expiredManifestLists" | "retainedManifestLists" | "manifestsOf">): { candidates: string[]; retained: Set<string> } {
  const retained = new Set(input.retainedManifestLists.flatMap((list) => input.manifestsOf.get(list) ?? []));
  const candidates = new Set<string>();
  for (const list of input.expiredManifestLists) for (const manifest of input.manifestsOf.get(list) ?? []) if (!retained.has(manifest)) candidates.add(manifest);
  return { candidates: [...candidates].sort(), retained };
}

export function planExpiredFiles(input: ExpiredFilesInput): ExpiredFiles {
  const { candidates, retained } = manifestsToDelete(input);
  const liveInRetained = new Set<string>();
  for (const manifest of retained) for (const path of input.liveFilesOf.get(manifest) ?? []) liveInRetained.add(path);
  const dataFiles = new Set<string>();
  for (const manifest of candidates) {
    for (const path of input.liveFilesOf.get(manifest) ?? []) if (!liveInRetained.has(path)) dataFiles.add(path);
  }
  const retainedLists = new Set(input.retainedManifestLists);
  const keep = (location: string): boolean => !input.protectedLocations.has(location);
  return {
    manifestLists: [...new Set(input.expiredManifestLists)].filter((list) => !retainedLists.has(list) && keep(list)).sort(),
    manifests: candidates.filter(keep),
    dataFiles: [...dataFiles].filter(keep).sort(),
  };
}
