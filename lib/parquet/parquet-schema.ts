// The Parquet layout of an Iceberg schema (Iceberg spec, "Appendix A: Format-specific
// Requirements", Parquet; Parquet LogicalTypes.md for the LIST and MAP layouts): every
// element carries its Iceberg field id and name, lists use the standard three levels, maps
// a repeated `key_value` group. Every field is optional but map keys, whatever the table
// says, so that a file never refuses a null. Empty structs are left out (Parquet has no
// empty groups, SPEC.md §3), and so is anything that holds nothing but left-out parts.
import type { SchemaElement } from "hyparquet-writer";
import { ExportError } from "../core/errors.js";
import type { IcebergSchema, IcebergType, PrimitiveType, StructType } from "../iceberg/types.js";
import { primitiveElement } from "./primitive-columns.js";

/** One column chunk per row group: a primitive reached through the schema tree. */
export interface LeafColumn {
  /** Position among the file's leaf columns, in schema order. */
  index: number;
  fieldId: number;
  type: PrimitiveType;
  /** Element names from the root (excluded) to the leaf, as `path_in_schema`. */
  path: string[];
  /** Elements from the root to the leaf, as hyparquet-writer's column writer takes them. */
  schemaPath: SchemaElement[];
  maxDefinitionLevel: number;
  maxRepetitionLevel: number;
  /** Iceberg keeps lower and upper bounds only for columns reached through structs alone. */
  hasBounds: boolean;
}

interface NodeBase {
  /** The definition level of a slot where this node's value is present. */
  definitionLevel: number;
  /** The leaf columns under this node, which all get a slot when it is null or empty. */
  leaves: LeafColumn[];
}

export interface LeafNode extends NodeBase {
  kind: "leaf";
  column: LeafColumn;
}

export interface StructNode extends NodeBase {
  kind: "struct";
  fields: { name: string; node: LayoutNode }[];
}

export interface ListNode extends NodeBase {
  kind: "list";
  /** The repetition level of the second and later elements of one list. */
  repetitionLevel: number;
  element: LayoutNode;
}

export interface MapNode extends NodeBase {
  kind: "map";
  repetitionLevel: number;
  key: LeafNode;
  value: LayoutNode;
}

export type LayoutNode = LeafNode | StructNode | ListNode | MapNode;

export interface ParquetLayout {
  /** The file schema, depth first, as the Parquet footer holds it. */
  elements: SchemaElement[];
  /** The top-level columns, as fields of the row. */
  root: StructNode;
  leaves: LeafColumn[];
}

interface Position {
  definitionLevel: number;
  repetitionLevel: number;
  path: SchemaElement[];
  inRepeated: boolean;
}

interface Placed {
  node: LayoutNode;
  /** This field's element and everything under it, depth first. */
  elements: SchemaElement[];
}

const rootElement: SchemaElement = { name: "table" };

export function parquetLayout(schema: IcebergSchema): ParquetLayout {
  const leaves: LeafColumn[] = [];
  const root = { definitionLevel: 0, repetitionLevel: 0, path: [rootElement], inRepeated: false };
  const fields = placeStructFields(schema, root, leaves);
  return {
    elements: [{ ...rootElement, num_children: fields.length }, ...fields.flatMap((field) => field.elements)],
    root: { kind: "struct", definitionLevel: 0, leaves, fields: fields.map(({ name, node }) => ({ name, node })) },
    leaves,
  };
}

function placeStructFields(struct: StructType, parent: Position, leaves: LeafColumn[]): (Placed & { name: string })[] {
  const placed: (Placed & { name: string })[] = [];
  for (const field of struct.fields) {
    const result = placeField(field.name, field.id, field.type, "OPTIONAL", parent, leaves);
    if (result !== undefined) placed.push({ name: field.name, ...result });
  }
  return placed;
}

function placeField(name: string, fieldId: number, type: IcebergType, repetition: "OPTIONAL" | "REQUIRED", parent: Position, leaves: LeafColumn[]): Placed | undefined {
  const definitionLevel = parent.definitionLevel + (repetition === "OPTIONAL" ? 1 : 0);
  if (typeof type === "string") {
    const element: SchemaElement = { name, repetition_type: repetition, field_id: fieldId, ...primitiveElement(type) };
    const column: LeafColumn = {
      index: leaves.length,
      fieldId,
      type,
      path: [...parent.path.slice(1).map((ancestor) => ancestor.name), name],
      schemaPath: [...parent.path, element],
      maxDefinitionLevel: definitionLevel,
      maxRepetitionLevel: parent.repetitionLevel,
      hasBounds: !parent.inRepeated,
    };
    leaves.push(column);
    return { node: { kind: "leaf", definitionLevel, leaves: [column], column }, elements: [element] };
  }
  const firstLeaf = leaves.length;
  const placed = placeGroup(name, fieldId, type, repetition, { ...parent, definitionLevel }, leaves);
  // Whatever a left-out group placed below itself is dropped with it.
  if (placed === undefined) leaves.length = firstLeaf;
  return placed;
}

function placeGroup(name: string, fieldId: number, type: Exclude<IcebergType, string>, repetition: "OPTIONAL" | "REQUIRED", position: Position, leaves: LeafColumn[]): Placed | undefined {
  const firstLeaf = leaves.length;
  const { definitionLevel } = position;
  if (type.type === "struct") {
    const group: SchemaElement = { name, repetition_type: repetition, field_id: fieldId, num_children: 0 };
    const fields = placeStructFields(type, { ...position, path: [...position.path, group] }, leaves);
    if (fields.length === 0) return undefined;
    group.num_children = fields.length;
    const node: StructNode = { kind: "struct", definitionLevel, leaves: leaves.slice(firstLeaf), fields: fields.map((field) => ({ name: field.name, node: field.node })) };
    return { node, elements: [group, ...fields.flatMap((field) => field.elements)] };
  }
  const repetitionLevel = position.repetitionLevel + 1;
  if (type.type === "list") {
    const group: SchemaElement = { name, repetition_type: repetition, field_id: fieldId, num_children: 1, converted_type: "LIST", logical_type: { type: "LIST" } };
    const repeated: SchemaElement = { name: "list", repetition_type: "REPEATED", num_children: 1 };
    const inner = innerPosition(position, [group, repeated], repetitionLevel);
    const element = placeField("element", type["element-id"], type.element, "OPTIONAL", inner, leaves);
    if (element === undefined) return undefined;
    const node: ListNode = { kind: "list", definitionLevel, repetitionLevel, leaves: leaves.slice(firstLeaf), element: element.node };
    return { node, elements: [group, repeated, ...element.elements] };
  }
  const group: SchemaElement = { name, repetition_type: repetition, field_id: fieldId, num_children: 1, converted_type: "MAP", logical_type: { type: "MAP" } };
  const repeated: SchemaElement = { name: "key_value", repetition_type: "REPEATED", num_children: 2 };
  const inner = innerPosition(position, [group, repeated], repetitionLevel);
  const key = placeField("key", type["key-id"], type.key, "REQUIRED", inner, leaves);
  if (key?.node.kind !== "leaf") throw new ExportError("SCHEMA_INVALID", `map ${name} has a key of a nested type; Parquet files of this system hold primitive map keys only`);
  const value = placeField("value", type["value-id"], type.value, "OPTIONAL", inner, leaves);
  if (value === undefined) return undefined;
  const node: MapNode = { kind: "map", definitionLevel, repetitionLevel, leaves: leaves.slice(firstLeaf), key: key.node, value: value.node };
  return { node, elements: [group, repeated, ...key.elements, ...value.elements] };
}

// Inside a list or map: one more definition level for "has an entry", one more repetition level.
function innerPosition(position: Position, groups: SchemaElement[], repetitionLevel: number): Position {
  return { definitionLevel: position.definitionLevel + 1, repetitionLevel, path: [...position.path, ...groups], inRepeated: true };
}
