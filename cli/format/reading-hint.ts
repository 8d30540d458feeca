// How to read an exported table with pyiceberg, printed where the table is first shown: through
// the REST catalog the export writes to, with the same URI and warehouse.
import type { TableIdentifier } from "../../lib/catalog/table-identifier.js";
import type { CatalogSettings } from "../../lib/config/export-config.js";

export function readingHint(catalog: CatalogSettings, table: TableIdentifier): string[] {
  if (catalog.type !== "rest") return [];
  const warehouse = catalog.warehouse === undefined ? "" : `, warehouse='${catalog.warehouse}'`;
  // Glue's and S3 Tables' endpoints want SigV4, which pyiceberg signs with these properties.
  const signing = catalog.auth.type === "sigv4" ? `, **{'rest.sigv4-enabled': 'true', 'rest.signing-name': '${catalog.auth.signingName}', 'rest.signing-region': '${catalog.auth.region}'}` : "";
  return [
    "read it with pyiceberg:",
    `  python3 -c "from pyiceberg.catalog import load_catalog; print(load_catalog('rest', uri='${catalog.uri}'${warehouse}${signing}).load_table('${table.namespace}.${table.name}').scan().to_arrow().num_rows)"`,
  ];
}
