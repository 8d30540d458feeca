// Field ids of a schema: every struct field, list element, map key and map value has one
// (spec, "Schemas and Data Types"); a table's last-column-id is the highest ever assigned.
import type { IcebergType, NestedField } from "./types.js";

export function highestFieldId(type: IcebergType): number {
  if (typeof type === "string") return 0;
  switch (type.type) {
    case "struct":
      return Math.max(0, ...type.fields.map((field: NestedField) => Math.max(field.id, highestFieldId(field.type))));
    case "list":
      return Math.max(type["element-id"], highestFieldId(type.element));
    case "map":
      return Math.max(type["key-id"], type["value-id"], highestFieldId(type.key), highestFieldId(type.value));
  }
}

/** The field with this id, through structs only: where partition source columns may be (spec, "Partitioning"). */
export function structFieldById(fields: readonly NestedField[], fieldId: number): NestedField | undefined {
  for (const field of fields) {
    if (field.id === fieldId) return field;
    if (typeof field.type === "object" && field.type.type === "struct") {
      const nested = structFieldById(field.type.fields, fieldId);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
}
