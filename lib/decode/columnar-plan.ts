// The plan of the columnar decoder (columnar-decoder.ts): for a (message type, layout of its
// Iceberg struct) pair, what each field number does to the leaf columns. It is compiled
// after the row decoder's plan for the same pair, which has already refused a table schema
// that does not fit, so a mismatch cannot reach here.
import protobuf from "protobufjs";
import type { IcebergType, StructType } from "../iceberg/types.js";
import { appendValue } from "../parquet/leaf-values.js";
import type { LayoutNode, LeafNode, ListNode, MapNode, StructNode } from "../parquet/parquet-schema.js";
import { leafAppender, scalarAppender, type LeafAppender } from "./columnar-appenders.js";
import { fieldTag } from "./protobuf-reader.js";
import { memberWireType, valueReader, type ValueReader } from "./record-decoder.js";
import { scalarCodec, type ScalarCodec } from "./scalar-readers.js";

/** One value of a field, or of a list element or map value: a leaf, or a message of leaves. */
export type ElementPlan = { kind: "leaf"; node: LeafNode; reader: ValueReader; append: LeafAppender } | { kind: "message"; plan: ColumnarMessagePlan };

interface Member {
  /** Index into the message plan's `seen` flags. */
  slot: number;
  node: LayoutNode;
  /** The value shredded for the field when it is not on the wire, as the row decoder gives it. */
  absentValue: () => unknown;
}

export type FieldPlan =
  | (Member & { kind: "value"; element: ElementPlan; oneof: number })
  | (Member & { kind: "list"; node: ListNode; element: ElementPlan })
  | (Member & { kind: "map"; node: MapNode; key: ScalarCodec; appendKey: LeafAppender; keyTag: number; value: ElementPlan; valueTag: number; emptyValue: () => unknown })
  /** Proto2 groups: left to the row decoder. */
  | { kind: "rowOnly" }
  /** A oneof member without a column (an empty message, SPEC.md §3): skipped, but it counts as the oneof's member read. */
  | { kind: "skippedOneofMember"; oneof: number; wireType: number };

export interface ColumnarMessagePlan {
  denseFields: (FieldPlan | undefined)[];
  sparseFields: Map<number, FieldPlan>;
  /** Every column of the struct's layout, in layout order, whether the message has it or not. */
  members: Member[];
  /** Per member: set once the field has been read in the message being decoded. */
  seen: Uint8Array;
  /** Per member that is a map: the key column's first slot of the map being decoded. */
  firstSlots: Int32Array;
  /** Per oneof: set once one of its members has been read. */
  oneofSeen: Uint8Array;
}

const denseFieldLimit = 1024;
const emptyList: readonly unknown[] = Object.freeze([]);
const emptyMap: ReadonlyMap<unknown, unknown> = new Map();

export function columnarMessagePlan(type: protobuf.Type, struct: StructType, node: StructNode): ColumnarMessagePlan {
  const nodes = new Map(node.fields.map((field) => [field.name, field.node]));
  const oneofs = new Map<protobuf.OneOf, number>();
  const members: Member[] = node.fields.map((field, slot) => ({ slot, node: field.node, absentValue: () => null }));
  const denseFields: (FieldPlan | undefined)[] = [];
  const sparseFields = new Map<number, FieldPlan>();
  for (const field of type.fieldsArray) {
    const column = struct.fields.find((candidate) => candidate.name === field.name)?.type;
    const fieldNode = nodes.get(field.name);
    let plan: FieldPlan;
    if (column === undefined || fieldNode === undefined) {
      // Not in the table, or a column without leaves, as the row decoder skips it (SPEC.md §3).
      const oneof = oneofIndex(field, oneofs);
      if (oneof < 0) continue;
      plan = { kind: "skippedOneofMember", oneof, wireType: memberWireType(field) };
    } else {
      const slot = node.fields.findIndex((candidate) => candidate.name === field.name);
      plan = memberPlan(field, column, fieldNode, slot, oneofIndex(field, oneofs));
      if (plan.kind !== "rowOnly" && plan.kind !== "skippedOneofMember") members[slot] = plan;
    }
    if (field.id < denseFieldLimit) denseFields[field.id] = plan;
    else sparseFields.set(field.id, plan);
  }
  const dense = Array.from({ length: denseFields.length }, (_, number) => denseFields[number]);
  return { denseFields: dense, sparseFields, members, seen: new Uint8Array(members.length), firstSlots: new Int32Array(members.length), oneofSeen: new Uint8Array(oneofs.size) };
}

function oneofIndex(field: protobuf.Field, oneofs: Map<protobuf.OneOf, number>): number {
  const oneof = field.partOf;
  if (oneof === null || oneof.fieldsArray.length < 2) return -1;
  let index = oneofs.get(oneof);
  if (index === undefined) oneofs.set(oneof, (index = oneofs.size));
  return index;
}

function memberPlan(field: protobuf.Field, column: IcebergType, node: LayoutNode, slot: number, oneof: number): FieldPlan {
  if (isGroup(field)) return { kind: "rowOnly" };
  if (field instanceof protobuf.MapField) {
    const mapNode = node as MapNode;
    const mapColumn = column as Extract<IcebergType, { type: "map" }>;
    const key = scalarCodec(field.keyType, mapColumn.key);
    const value = elementPlan(field, mapColumn.value, mapNode.value);
    const valueReaderOfField = valueReader(field, mapColumn.value);
    return {
      kind: "map",
      slot,
      node: mapNode,
      absentValue: () => emptyMap,
      key,
      appendKey: scalarAppender(field.keyType, mapColumn.key) ?? ((cursor, values) => appendValue(values, mapNode.key.column.type, key.read(cursor), mapNode.key.column.path)),
      keyTag: fieldTag(1, key.wireType),
      value,
      valueTag: fieldTag(2, valueReaderOfField.wireType),
      emptyValue: () => valueReaderOfField.emptyValue(),
    };
  }
  if (field.repeated) {
    const listNode = node as ListNode;
    const element = elementPlan(field, (column as Extract<IcebergType, { type: "list" }>).element, listNode.element);
    return { kind: "list", slot, node: listNode, absentValue: () => emptyList, element };
  }
  const element = elementPlan(field, column, node);
  const hasPresence = field.hasPresence || field.resolvedType instanceof protobuf.Type;
  const absentValue = hasPresence || element.kind === "message" ? () => null : () => element.reader.emptyValue();
  return { kind: "value", slot, node, absentValue, element, oneof };
}

function elementPlan(field: protobuf.Field, column: IcebergType, node: LayoutNode): ElementPlan {
  if (node.kind === "struct") return { kind: "message", plan: columnarMessagePlan(field.resolvedType as protobuf.Type, column as StructType, node) };
  const reader = valueReader(field, column);
  return { kind: "leaf", node: node as LeafNode, reader, append: leafAppender(field, column, reader, (node as LeafNode).column.path) };
}

function isGroup(field: protobuf.Field): boolean {
  return field.delimited && field.resolvedType instanceof protobuf.Type;
}
