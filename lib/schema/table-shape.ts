// The shape of an export table before field ids are assigned (SPEC.md §3): the top-level
// `key`, `val`, `headers` and `timestamp` columns, with `val` mirroring the Protobuf
// message. Ids come later, from the schema state, so that a field keeps its id for life.
import protobuf from "protobufjs";
import type { PrimitiveType } from "../iceberg/types.js";
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

export function messageShape(type: protobuf.Type): StructShape {
  return structShapeOf(type, [type.fullName]);
}

// `expanding` holds the messages between the root and here; meeting one of them again is a
// recursive reference, which Iceberg cannot represent: it becomes an empty struct (SPEC.md §3).
function structShapeOf(type: protobuf.Type, expanding: string[]): StructShape {
  return {
    kind: "struct",
    fields: type.fieldsArray.map((field) => ({ name: field.name, shape: fieldShape(field, expanding) })),
  };
}

function fieldShape(field: protobuf.FieldBase, expanding: string[]): Shape {
  if (field instanceof protobuf.MapField) {
    return { kind: "map", key: scalarShape(field.keyType), value: singleValueShape(field, expanding) };
  }
  const shape = singleValueShape(field, expanding);
  return field.repeated ? { kind: "list", element: shape } : shape;
}

function singleValueShape(field: protobuf.FieldBase, expanding: string[]): Shape {
  const resolved = field.resolvedType;
  if (resolved === null) return scalarShape(field.type);
  if (!("fieldsArray" in resolved)) return "string"; // an enum: written as the value's name
  const wellKnown = wellKnownMapping(resolved.fullName);
  if (wellKnown !== undefined) return wellKnown.icebergType;
  if (expanding.includes(resolved.fullName)) return { kind: "struct", fields: [] };
  return structShapeOf(resolved, [...expanding, resolved.fullName]);
}

function scalarShape(protobufType: string): PrimitiveType {
  const type = scalarIcebergTypes[protobufType];
  if (type === undefined) throw new TypeError(`no Iceberg type for Protobuf type ${protobufType}`);
  return type;
}
