// Avro schemas in their JSON form, with the attributes Iceberg adds to them (spec,
// "Appendix A: Format-specific Requirements", Avro): `field-id` on record fields,
// `element-id` on arrays, and maps with int keys as arrays of key/value records with the
// `map` logical type.

export type AvroPrimitive = "null" | "boolean" | "int" | "long" | "float" | "double" | "bytes" | "string";

export interface AvroField {
  name: string;
  type: AvroSchema;
  "field-id"?: number;
  default?: null;
  doc?: string;
}

export interface AvroRecord {
  type: "record";
  name: string;
  fields: AvroField[];
}

export interface AvroArray {
  type: "array";
  items: AvroSchema;
  "element-id"?: number;
  logicalType?: "map";
}

export interface AvroFixed {
  type: "fixed";
  name: string;
  size: number;
  logicalType?: string;
  precision?: number;
  scale?: number;
}

export interface AvroAnnotated {
  type: "int" | "long";
  logicalType: string;
  "adjust-to-utc"?: boolean;
}

export type AvroSchema = AvroPrimitive | AvroRecord | AvroArray | AvroFixed | AvroAnnotated | AvroSchema[] | { type: string; [key: string]: unknown };

/** An optional field: a union with null, defaulting to null (spec, Appendix A). */
export function optionalField(name: string, fieldId: number, type: AvroSchema): AvroField {
  return { name, type: ["null", type], default: null, "field-id": fieldId };
}

export function requiredField(name: string, fieldId: number, type: AvroSchema): AvroField {
  return { name, type, "field-id": fieldId };
}

/** An Iceberg map<int, V> in Avro: an array of `k<keyId>_v<valueId>` records, logical type `map`. */
export function intKeyedMap(keyId: number, valueId: number, valueType: AvroSchema): AvroArray {
  return {
    type: "array",
    logicalType: "map",
    items: {
      type: "record",
      name: `k${keyId}_v${valueId}`,
      fields: [requiredField("key", keyId, "int"), requiredField("value", valueId, valueType)],
    },
  };
}

export function arrayOf(elementId: number, items: AvroSchema): AvroArray {
  return { type: "array", items, "element-id": elementId };
}

/**
 * A copy of a record schema whose fields, at any depth, are renamed by field id: readers
 * find fields by id, since writers name them differently (pyiceberg and Java disagree
 * on some names, and older writers used other ones). The fields of a field whose id is
 * in `keepBelow` keep their names.
 */
export function withNamesById(schema: AvroSchema, namesById: ReadonlyMap<number, string>, keepBelow: ReadonlySet<number> = new Set()): AvroSchema {
  if (Array.isArray(schema)) return schema.map((branch) => withNamesById(branch, namesById, keepBelow));
  if (typeof schema === "string") return schema;
  if (schema.type === "array") return { ...schema, items: withNamesById((schema as AvroArray).items, namesById, keepBelow) };
  if (schema.type !== "record") return schema;
  const record = schema as AvroRecord;
  return {
    ...record,
    fields: record.fields.map((field) => {
      const id = field["field-id"];
      const name = id === undefined ? field.name : (namesById.get(id) ?? field.name);
      if (id !== undefined && keepBelow.has(id)) return { ...field, name };
      return { ...field, name, type: withNamesById(field.type, namesById, keepBelow) };
    }),
  };
}

/** The record a field's type holds, through a union with null. */
export function recordOf(type: AvroSchema): AvroRecord | undefined {
  const branches = Array.isArray(type) ? type : [type];
  return branches.find((branch): branch is AvroRecord => typeof branch === "object" && !Array.isArray(branch) && branch.type === "record");
}

/** A partition field name as a valid Avro name, escaped as the reference implementation does (`a-b` → `a_x2Db`, `1a` → `_1a`). */
export function avroName(name: string): string {
  const escaped = name.replace(/[^A-Za-z0-9_]/gu, (character) => `_x${(character.codePointAt(0) ?? 0).toString(16).toUpperCase()}`);
  return /^[0-9]/.test(escaped) ? `_${escaped}` : escaped;
}
