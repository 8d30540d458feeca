// The shape of an export table before field ids are assigned (SPEC.md §3): the top-level
// `key`, `val`, `headers` and `timestamp` columns, with `val` mirroring the Protobuf
// message. Ids come later, from the schema state, so that a field keeps its id for life.
import protobuf from "protobufjs";
import type { PrimitiveType } from "../iceberg/types.js";
import { SchemaMappingError } from "./schema-mapping-error.js";
import { scalarIcebergTypes, wellKnownMapping } from "./well-known-types.js";

export type Shape = PrimitiveType | StructShape | ListShape | MapShape;

export interface FieldShape {
  name: string;
  shape: Shape;
}

export interface StructShape {
  kind: "struct";
  fields: FieldShape[];
}

export interface ListShape {
  kind: "list";
  element: Shape;
}

export interface MapShape {
  kind: "map";
  key: PrimitiveType;
  value: Shape;
}

export const rawColumnName = "__raw__";

const rawBytesStruct: StructShape = { kind: "struct", fields: [{ name: rawColumnName, shape: "binary" }] };

const headersShape: ListShape = {
  kind: "list",
  element: {
    kind: "struct",
    fields: [
      { name: "key", shape: "string" },
      { name: "value", shape: "binary" },
    ],
  },
};

/** The table's shape; `valueType` undefined means the topic has no Protobuf schema. */
export function tableShape(valueType: protobuf.Type | undefined): StructShape {
  return {
    kind: "struct",
    fields: [
      { name: "key", shape: rawBytesStruct },
      { name: "val", shape: valueType === undefined ? rawBytesStruct : messageShape(valueType) },
      { name: "headers", shape: headersShape },
      { name: "timestamp", shape: "timestamptz" },
    ],
  };
}

/**
 * The message's struct. Fields whose type holds nothing — an empty message (google.protobuf.Empty,
 * a message with no fields, or none that map to a column), the point of a recursion, a list or
 * map of those — are left out (SPEC.md §3): Parquet has no empty groups, and Iceberg-Java
 * refuses to write any file for a schema with an empty struct, so no engine could maintain the
 * table. Their data is skipped by the decoders, which read only the fields the table has.
 */
export function messageShape(type: protobuf.Type): StructShape {
  return structShapeOf(type, [type.fullName], "val");
}

// `expanding` holds the messages between the root and here; meeting one of them again is a
// recursive reference, which Iceberg cannot represent: no column (SPEC.md §3).
function structShapeOf(type: protobuf.Type, expanding: string[], path: string): StructShape {
  const fields: FieldShape[] = [];
  for (const field of type.fieldsArray) {
    const shape = fieldShape(field, expanding, `${path}.${field.name}`);
    if (shape !== undefined) fields.push({ name: field.name, shape });
  }
  return { kind: "struct", fields };
}

/** Undefined: the field has no column. */
function fieldShape(field: protobuf.FieldBase, expanding: string[], path: string): Shape | undefined {
  if (field instanceof protobuf.MapField) {
    const value = singleValueShape(field, expanding, `${path}.value`);
    return value === undefined ? undefined : { kind: "map", key: scalarShape(field.keyType, `${path}.key`), value };
  }
  const shape = singleValueShape(field, expanding, field.repeated ? `${path}.element` : path);
  if (shape === undefined) return undefined;
  return field.repeated ? { kind: "list", element: shape } : shape;
}

function singleValueShape(field: protobuf.FieldBase, expanding: string[], path: string): Shape | undefined {
  const resolved = field.resolvedType;
  if (resolved === null) return scalarShape(field.type, path);
  if (!("fieldsArray" in resolved)) return "string"; // an enum: written as the value's name
  const wellKnown = wellKnownMapping(resolved.fullName);
  if (wellKnown !== undefined) return wellKnown.icebergType;
  if (expanding.includes(resolved.fullName)) return undefined;
  const struct = structShapeOf(resolved, [...expanding, resolved.fullName], path);
  return struct.fields.length === 0 ? undefined : struct;
}

function scalarShape(protobufType: string, path: string): PrimitiveType {
  const type = scalarIcebergTypes[protobufType];
  if (type === undefined) throw new SchemaMappingError(path, `Protobuf type ${protobufType} has no Iceberg type`);
  return type;
}
