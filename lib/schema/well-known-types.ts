// The google.protobuf well-known types that SPEC.md §3 maps to something other than a
// struct of their fields.
import type { PrimitiveType } from "../iceberg/types.js";

export type WellKnownKind = "timestamp" | "duration" | "wrapper" | "json";

export interface WellKnownMapping {
  kind: WellKnownKind;
  icebergType: PrimitiveType;
}

const uint64Decimal: PrimitiveType = "decimal(20, 0)";

const wellKnownMappings = new Map<string, WellKnownMapping>([
  ["google.protobuf.Timestamp", { kind: "timestamp", icebergType: "timestamptz" }],
  ["google.protobuf.Duration", { kind: "duration", icebergType: "long" }],
  ["google.protobuf.DoubleValue", { kind: "wrapper", icebergType: "double" }],
  ["google.protobuf.FloatValue", { kind: "wrapper", icebergType: "float" }],
  ["google.protobuf.Int64Value", { kind: "wrapper", icebergType: "long" }],
  ["google.protobuf.UInt64Value", { kind: "wrapper", icebergType: uint64Decimal }],
  ["google.protobuf.Int32Value", { kind: "wrapper", icebergType: "int" }],
  ["google.protobuf.UInt32Value", { kind: "wrapper", icebergType: "long" }],
  ["google.protobuf.BoolValue", { kind: "wrapper", icebergType: "boolean" }],
  ["google.protobuf.StringValue", { kind: "wrapper", icebergType: "string" }],
  ["google.protobuf.BytesValue", { kind: "wrapper", icebergType: "binary" }],
  ["google.protobuf.Struct", { kind: "json", icebergType: "string" }],
  ["google.protobuf.Value", { kind: "json", icebergType: "string" }],
  ["google.protobuf.ListValue", { kind: "json", icebergType: "string" }],
]);

/** `fullName` as protobufjs gives it, with or without the leading dot. */
export function wellKnownMapping(fullName: string): WellKnownMapping | undefined {
  return wellKnownMappings.get(fullName.startsWith(".") ? fullName.slice(1) : fullName);
}

/** Protobuf scalar types (SPEC.md §3): unsigned 32-bit widens to long, unsigned 64-bit to a lossless decimal. */
export const scalarIcebergTypes: Readonly<Record<string, PrimitiveType>> = {
  bool: "boolean",
  int32: "int",
  sint32: "int",
  sfixed32: "int",
  int64: "long",
  sint64: "long",
  sfixed64: "long",
  uint32: "long",
  fixed32: "long",
  uint64: uint64Decimal,
  fixed64: uint64Decimal,
  float: "float",
  double: "double",
  string: "string",
  bytes: "binary",
};
