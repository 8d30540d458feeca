// The routes of the REST catalog protocol under the catalog's prefix (from its config), with
// namespaces and names encoded as the spec says: each level URL-encoded, levels joined by the
// unit separator (0x1F, `%1F` once encoded).
import type { TableIdentifier } from "../../catalog/catalog.js";

export interface CatalogPaths {
  namespaces(): string;
  namespace(namespace: string): string;
  tables(namespace: string): string;
  table(identifier: TableIdentifier): string;
}

export function catalogPaths(prefix: string | undefined): CatalogPaths {
  // The prefix is used as the catalog gives it: S3 Tables gives the bucket ARN encoded already.
  const root = prefix === undefined || prefix === "" ? "v1" : `v1/${prefix.replace(/^\/+|\/+$/g, "")}`;
  const namespace = (name: string): string => `${root}/namespaces/${encodeNamespace([name])}`;
  return {
    namespaces: () => `${root}/namespaces`,
    namespace,
    tables: (name) => `${namespace(name)}/tables`,
    table: (identifier) => `${namespace(identifier.namespace)}/tables/${encodeURIComponent(identifier.name)}`,
  };
}

export function encodeNamespace(levels: readonly string[]): string {
  return levels.map((level) => encodeURIComponent(level)).join("%1F");
}
