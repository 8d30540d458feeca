// Where a table's files go: `<warehouse>/<namespace>/<name>`, for an S3 warehouse
// (`s3://bucket/prefix`) and a local one (an absolute folder) alike. For the local catalog
// this is also where it looks for the table (the Hadoop-catalog layout), so it must be the
// one function both the table's creator and the catalog use.
import { ConfigurationError, ExportError } from "../core/errors.js";
import type { TableIdentifier } from "./catalog.js";

export function tableLocationFor(warehouse: string, identifier: TableIdentifier): string {
  const root = warehouse.replace(/\/+$/, "");
  if (!root.startsWith("s3://") && !root.startsWith("/")) {
    throw new ConfigurationError("WAREHOUSE", `a local warehouse must be an absolute folder, got '${warehouse}'`);
  }
  return `${root}/${folderName(identifier.namespace, "namespace")}/${folderName(identifier.name, "table name")}`;
}

/** One folder level: a name that would add, leave or escape a level is refused. */
function folderName(name: string, what: string): string {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\\") || name.includes("\u0000")) {
    throw new ExportError("CONFIGURATION", `${what} '${name}' cannot name a folder of the warehouse: it must be non-empty, not '.' or '..', without '/', '\\' or NUL`);
  }
  return name;
}
