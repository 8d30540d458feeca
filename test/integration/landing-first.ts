// Another writer landing between our load and our commit, by construction: a catalog that runs
// a hook before a given commit of ours reaches the real catalog.
import type { Catalog } from "../../lib/catalog/catalog.js";

/** `catalog`, running `hooks[n]` before its nth commit (counted from 1). */
export function landingFirst(catalog: Catalog, hooks: Record<number, () => Promise<void>>): Catalog {
  let commits = 0;
  return {
    loadTable: (identifier) => catalog.loadTable(identifier),
    createTable: (identifier, metadata) => catalog.createTable(identifier, metadata),
    async commitTable(base, commit) {
      await hooks[++commits]?.();
      return catalog.commitTable(base, commit);
    },
  };
}
