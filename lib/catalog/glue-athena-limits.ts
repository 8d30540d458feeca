// What a table schema must respect to be queryable through the AWS Glue Data Catalog with
// Athena (docs/deploy.md, "What enable checks in the schema"), checked by `enable` before a
// table's schema takes them on. Each problem names the field paths it is about.
// - Glue and Athena fold names to lower case (Athena, "Name databases, tables, and columns"):
//   two fields of one struct that differ only by case are one name there. Trino-based
//   engines (Athena's) refuse such an Iceberg schema ("multiple fields for name ..."), and
//   DuckDB and Spark (case-insensitive by default) cannot tell them apart either.
// - A name is 1 to 255 bytes (Glue's Column.Name; Athena's limit for column names).
// - A Glue column's type string is at most 131072 characters (Glue's Column.Type): the whole
//   of `val` is one column, so a message with thousands of fields can exceed it, and Glue
//   would then refuse every commit.
// What is only a matter of how a query is written (reserved words, names starting with `_`)
// is documented, not refused. Glue refuses nested partition source fields; partitioning here
// is on the top-level `timestamp` only.
import type { IcebergType, StructType } from "../iceberg/types.js";
import { isPrimitive } from "../iceberg/types.js";
import { hiveTypeString } from "./hive-type-string.js";

export const maxNameBytes = 255;
export const maxGlueTypeLength = 131_072;

export function glueAthenaProblems(schema: StructType): string[] {
  const problems: string[] = [];
  visitStruct(schema, "", problems);
  for (const column of schema.fields) {
    const length = hiveTypeString(column.type).length;
    if (length > maxGlueTypeLength) {
      problems.push(`column ${column.name} has a Glue type string of ${length} characters, over Glue's limit of ${maxGlueTypeLength}: the message has too many fields for one Glue column`);
    }
  }
  return problems;
}

function visitStruct(struct: StructType, path: string, problems: string[]): void {
  const byFoldedName = new Map<string, string[]>();
  for (const field of struct.fields) {
    const fieldPath = path === "" ? field.name : `${path}.${field.name}`;
    const folded = field.name.toLowerCase();
    byFoldedName.set(folded, [...(byFoldedName.get(folded) ?? []), fieldPath]);
    const bytes = Buffer.byteLength(field.name, "utf8");
    if (bytes > maxNameBytes) problems.push(`field ${fieldPath} has a name of ${bytes} bytes, over the ${maxNameBytes} that Glue and Athena take`);
    visitType(field.type, fieldPath, problems);
  }
  for (const paths of byFoldedName.values()) {
    if (paths.length > 1) problems.push(`fields ${paths.join(" and ")} differ only by case, and Glue and Athena fold names to lower case`);
  }
}

function visitType(type: IcebergType, path: string, problems: string[]): void {
  if (isPrimitive(type)) return;
  if (type.type === "struct") visitStruct(type, path, problems);
  else if (type.type === "list") visitType(type.element, `${path}.element`, problems);
  else visitType(type.value, `${path}.value`, problems);
}
