// The table's default name mapping (spec, "Column Projection" and "Name Mapping
// Serialization"): the value of the `schema.name-mapping.default` property, which lets a
// reader map the columns of a data file without field ids to the table's columns by name.
// Every field is mapped by its name; a list's element as `element`, a map's key and value
// as `key` and `value`.
import type { IcebergSchema, IcebergType, NestedField } from "./types.js";

export const nameMappingProperty = "schema.name-mapping.default";

export interface MappedField {
  "field-id": number;
  names: string[];
  fields?: MappedField[];
}

export function nameMappingOf(schema: IcebergSchema): string {
  return JSON.stringify(schema.fields.map((field: NestedField) => mappedField(field.id, field.name, field.type)));
}

function mappedField(fieldId: number, name: string, type: IcebergType): MappedField {
  const fields = nestedMappings(type);
  return fields.length === 0 ? { "field-id": fieldId, names: [name] } : { "field-id": fieldId, names: [name], fields };
}

function nestedMappings(type: IcebergType): MappedField[] {
  if (typeof type === "string") return [];
  switch (type.type) {
    case "struct":
      return type.fields.map((field) => mappedField(field.id, field.name, field.type));
    case "list":
      return [mappedField(type["element-id"], "element", type.element)];
    case "map":
      return [mappedField(type["key-id"], "key", type.key), mappedField(type["value-id"], "value", type.value)];
  }
}
