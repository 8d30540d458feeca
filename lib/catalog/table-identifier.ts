// A table as catalogs know it (SPEC.md §4): a Glue database, a REST catalog's namespace or the
// local catalog's folder, and a name.
export interface TableIdentifier {
  /** The Glue database, or the local catalog's namespace. */
  namespace: string;
  name: string;
}
