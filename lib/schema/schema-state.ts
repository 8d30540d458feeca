// Field ids for life (SPEC.md §3, "Field ids and schema evolution"). The schema state is
// the document persisted with the table: its current Iceberg schema, whose every field
// carries the id allocated to that field path, and the last id ever allocated, so that no
// id is reused. `evolveSchemaState` is the one place where ids are decided.
import type protobuf from "protobufjs";
import { canPromote, hasLeaves, isPrimitive, typeLabel, type IcebergSchema, type IcebergType, type NestedField, type StructType } from "../iceberg/types.js";
import { SchemaMappingError } from "./schema-mapping-error.js";
import { tableShape, type Shape, type StructShape } from "./table-shape.js";

export interface SchemaState {
  formatVersion: 1;
  /** The highest field id ever allocated for this table. */
  lastColumnId: number;
  /** The table's current schema; its `schema-id` grows by one with each change. */
  schema: IcebergSchema;
}

export interface SchemaEvolution {
  state: SchemaState;
  /** True when `state.schema` differs from the previous state's and must be committed. */
  changed: boolean;
}

interface IdAllocator {
  next(): number;
  readonly last: number;
}

/** `valueType` undefined: the topic has no Protobuf schema and `val` holds only the raw bytes. */
export function evolveSchemaState(previous: SchemaState | undefined, valueType: protobuf.Type | undefined): SchemaEvolution {
  return evolveSchemaStateToShape(previous, tableShape(valueType));
}

export function evolveSchemaStateToShape(previous: SchemaState | undefined, desired: StructShape): SchemaEvolution {
  const ids = idAllocatorAfter(previous?.lastColumnId ?? 0);
  const merged = mergeStruct(previous?.schema, desired, ids);
  requireColumns(merged);
  const changed = previous === undefined || JSON.stringify(merged.fields) !== JSON.stringify(previous.schema.fields);
  if (!changed) return { state: previous, changed: false };
  const schemaId = previous === undefined ? 0 : previous.schema["schema-id"] + 1;
  return {
    state: { formatVersion: 1, lastColumnId: ids.last, schema: { type: "struct", "schema-id": schemaId, fields: merged.fields } },
    changed: true,
  };
}

// Only a top-level struct can still be empty here: every nested one was left out or dropped.
// A `val` of nothing is a message with no field that maps to a column, in a new table.
function requireColumns(schema: StructType): void {
  for (const field of schema.fields) {
    if (!hasLeaves(field.type)) {
      throw new SchemaMappingError(field.name, "no field of the message maps to a column (each is an empty message or a point of recursion, SPEC.md §3), and a table column must hold something");
    }
  }
}

/** Every field path of a schema ("val.customer.name", "val.tags.element", "val.attrs.key") with its id. */
export function fieldIdsByPath(schema: StructType): Map<string, number> {
  const ids = new Map<string, number>();
  function visit(type: IcebergType, path: string): void {
    if (isPrimitive(type)) return;
    if (type.type === "struct") {
      for (const field of type.fields) {
        const fieldPath = path === "" ? field.name : `${path}.${field.name}`;
        ids.set(fieldPath, field.id);
        visit(field.type, fieldPath);
      }
    } else if (type.type === "list") {
      ids.set(`${path}.element`, type["element-id"]);
      visit(type.element, `${path}.element`);
    } else {
      ids.set(`${path}.key`, type["key-id"]);
      ids.set(`${path}.value`, type["value-id"]);
      visit(type.key, `${path}.key`);
      visit(type.value, `${path}.value`);
    }
  }
  visit(schema, "");
  return ids;
}

function idAllocatorAfter(lastColumnId: number): IdAllocator {
  let last = lastColumnId;
  return {
    next: () => ++last,
    get last() {
      return last;
    },
  };
}

// Previous fields keep their place and id: a field no longer in the message stays (null in
// new files); a compatible change keeps the id; an incompatible one retires the old column
// under a new name and adds the field anew. New fields go at the end, as ALTER TABLE ADD
// COLUMN would put them. A previous column that holds nothing (an empty struct, or a list or
// map of one: states written before SPEC.md §3 left empty messages out) is dropped, its id
// never reused; if its message has gained fields, the field comes back with fresh ids.
function mergeStruct(previous: StructType | undefined, desired: StructShape, ids: IdAllocator): StructType {
  const desiredByName = new Map(desired.fields.map((field) => [field.name, field.shape]));
  const takenNames = new Set([...(previous?.fields ?? []).map((field) => field.name), ...desiredByName.keys()]);
  const kept: NestedField[] = [];
  const placed = new Set<string>();
  for (const field of previous?.fields ?? []) {
    if (!hasLeaves(field.type)) continue;
    const wanted = desiredByName.get(field.name);
    if (wanted === undefined) {
      kept.push({ ...field, type: withoutEmptyFields(field.type) });
      continue;
    }
    const type = reconcile(field.type, wanted, ids);
    if (type === undefined) {
      kept.push({ ...field, name: retiredName(field, takenNames), type: withoutEmptyFields(field.type) });
    } else {
      kept.push({ ...field, type });
      placed.add(field.name);
    }
  }
  const added = desired.fields.filter((field) => !placed.has(field.name));
  return { type: "struct", fields: [...kept, ...freshFields(added, ids)] };
}

/** The field's type once it holds `wanted`, or undefined when no legal evolution gets there. */
function reconcile(existing: IcebergType, wanted: Shape, ids: IdAllocator): IcebergType | undefined {
  if (isPrimitive(existing) || typeof wanted === "string") {
    if (!isPrimitive(existing) || typeof wanted !== "string") return undefined;
    if (canPromote(existing, wanted)) return wanted;
    // The column is already wider than the field now is (int64 became int32): keep it.
    if (canPromote(wanted, existing)) return existing;
    return undefined;
  }
  if (existing.type === "struct" && wanted.kind === "struct") return mergeStruct(existing, wanted, ids);
  if (existing.type === "list" && wanted.kind === "list") {
    const element = reconcile(existing.element, wanted.element, ids);
    return element === undefined ? undefined : { ...existing, element };
  }
  if (existing.type === "map" && wanted.kind === "map") {
    const key = reconcile(existing.key, wanted.key, ids);
    if (key === undefined) return undefined;
    const value = reconcile(existing.value, wanted.value, ids);
    return value === undefined ? undefined : { ...existing, key, value };
  }
  return undefined;
}

/** `type` (which holds something) without the fields inside it that hold nothing. */
function withoutEmptyFields(type: IcebergType): IcebergType {
  if (isPrimitive(type)) return type;
  switch (type.type) {
    case "struct":
      return { ...type, fields: type.fields.filter((field) => hasLeaves(field.type)).map((field) => ({ ...field, type: withoutEmptyFields(field.type) })) };
    case "list":
      return { ...type, element: withoutEmptyFields(type.element) };
    case "map":
      return { ...type, value: withoutEmptyFields(type.value) };
  }
}

function retiredName(field: NestedField, takenNames: Set<string>): string {
  let name = `${field.name}__${typeLabel(field.type)}_${field.id}`;
  while (takenNames.has(name)) name = `${name}_`;
  takenNames.add(name);
  return name;
}

// Ids go breadth-first, as Iceberg implementations assign fresh ids: a struct's own fields
// first, then what is nested in each of them.
function freshFields(fields: { name: string; shape: Shape }[], ids: IdAllocator): NestedField[] {
  const numbered = fields.map((field) => ({ id: ids.next(), field }));
  return numbered.map(({ id, field }) => ({ id, name: field.name, required: false, type: freshType(field.shape, ids) }));
}

function freshType(shape: Shape, ids: IdAllocator): IcebergType {
  if (typeof shape === "string") return shape;
  if (shape.kind === "struct") return { type: "struct", fields: freshFields(shape.fields, ids) };
  if (shape.kind === "list") {
    const elementId = ids.next();
    return { type: "list", "element-id": elementId, "element-required": false, element: freshType(shape.element, ids) };
  }
  const keyId = ids.next();
  const valueId = ids.next();
  return { type: "map", "key-id": keyId, key: shape.key, "value-id": valueId, "value-required": false, value: freshType(shape.value, ids) };
}
