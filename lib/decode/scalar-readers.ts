// One reader per (Protobuf scalar type, Iceberg column type) pair, returning the value in
// the form the column holds: int → number; long, decimal(20, 0) and timestamptz → bigint;
// float and double → number; string; binary → Uint8Array; boolean. A column wider than
// the field (an int32 field in a long column, after the field was narrowed) widens here.
import { isPrimitive, parseDecimal, type IcebergType } from "../iceberg/types.js";
import {
  WireType,
  readBytes,
  readDouble,
  readFixed32,
  readFixed64,
  readFloat,
  readSfixed32,
  readSfixed64,
  readSignedVarint64,
  readSmallVarint,
  readString,
  readVarint32,
  readVarint64,
  zigzag32,
  zigzag64,
  type Cursor,
} from "./protobuf-reader.js";

export type ScalarReader = (cursor: Cursor) => unknown;

export interface ScalarCodec {
  wireType: number;
  /** Whether a repeated field of this type may arrive packed. */
  packable: boolean;
  read: ScalarReader;
  /** The value of an implicit-presence field that is absent (proto3). */
  defaultValue: () => unknown;
}

type NumberKind = "number" | "bigint";

interface WireScalar {
  wireType: number;
  kind: NumberKind | "boolean" | "string" | "bytes";
  read: ScalarReader;
}

function readBool(cursor: Cursor): boolean {
  const byte = cursor.bytes[cursor.pos];
  if (byte !== undefined && byte < 0x80 && cursor.pos < cursor.end) {
    cursor.pos++;
    return byte !== 0;
  }
  return readVarint64(cursor) !== 0n;
}

function readSint64(cursor: Cursor): bigint {
  const small = readSmallVarint(cursor);
  // Zigzag in doubles while the value is exact in one (49 bits); BigInt only beyond.
  if (small >= 0) return BigInt(small % 2 === 0 ? small / 2 : -(small + 1) / 2);
  return zigzag64(readVarint64(cursor));
}

const wireScalars: Readonly<Record<string, WireScalar>> = {
  int32: { wireType: WireType.varint, kind: "number", read: (cursor) => readVarint32(cursor) | 0 },
  uint32: { wireType: WireType.varint, kind: "number", read: readVarint32 },
  sint32: { wireType: WireType.varint, kind: "number", read: (cursor) => zigzag32(readVarint32(cursor)) },
  fixed32: { wireType: WireType.fixed32, kind: "number", read: readFixed32 },
  sfixed32: { wireType: WireType.fixed32, kind: "number", read: readSfixed32 },
  int64: { wireType: WireType.varint, kind: "bigint", read: readSignedVarint64 },
  uint64: { wireType: WireType.varint, kind: "bigint", read: readVarint64 },
  sint64: { wireType: WireType.varint, kind: "bigint", read: readSint64 },
  fixed64: { wireType: WireType.fixed64, kind: "bigint", read: readFixed64 },
  sfixed64: { wireType: WireType.fixed64, kind: "bigint", read: readSfixed64 },
  float: { wireType: WireType.fixed32, kind: "number", read: readFloat },
  double: { wireType: WireType.fixed64, kind: "number", read: readDouble },
  bool: { wireType: WireType.varint, kind: "boolean", read: readBool },
  string: { wireType: WireType.lengthDelimited, kind: "string", read: readString },
  bytes: { wireType: WireType.lengthDelimited, kind: "bytes", read: readBytes },
};

/** The codec of a Protobuf scalar read into an Iceberg column, or an error naming the mismatch. */
export function scalarCodec(protobufType: string, column: IcebergType): ScalarCodec {
  const scalar = wireScalars[protobufType];
  if (scalar === undefined) throw new TypeError(`unknown Protobuf scalar type ${protobufType}`);
  if (!isPrimitive(column)) throw new TypeError(`Protobuf ${protobufType} cannot fill a ${column.type} column`);
  const packable = scalar.kind !== "string" && scalar.kind !== "bytes";
  if (column === "long" || parseDecimal(column) !== undefined) {
    if (scalar.kind === "number") return { wireType: scalar.wireType, packable, read: (cursor) => BigInt(scalar.read(cursor) as number), defaultValue: () => 0n };
    if (scalar.kind === "bigint") return { wireType: scalar.wireType, packable, read: scalar.read, defaultValue: () => 0n };
  }
  if ((column === "int" || column === "float" || column === "double") && scalar.kind === "number") {
    return { wireType: scalar.wireType, packable, read: scalar.read, defaultValue: () => 0 };
  }
  if (column === "boolean" && scalar.kind === "boolean") return { wireType: scalar.wireType, packable, read: scalar.read, defaultValue: () => false };
  if (column === "string" && scalar.kind === "string") return { wireType: scalar.wireType, packable, read: scalar.read, defaultValue: () => "" };
  if (column === "binary" && scalar.kind === "bytes") return { wireType: scalar.wireType, packable, read: scalar.read, defaultValue: () => new Uint8Array(0) };
  throw new TypeError(`Protobuf ${protobufType} cannot fill a ${column} column`);
}

/** Enum values are written as their names; a number without a name as its decimal digits (SPEC.md §3). */
export function enumCodec(values: Readonly<Record<string, number>>): ScalarCodec {
  const names = new Map<number, string>();
  for (const [name, number] of Object.entries(values)) if (!names.has(number)) names.set(number, name);
  const zeroName = names.get(0) ?? Object.keys(values)[0] ?? "0";
  return {
    wireType: WireType.varint,
    packable: true,
    read: (cursor) => {
      const number = readVarint32(cursor) | 0;
      return names.get(number) ?? String(number);
    },
    defaultValue: () => zeroName,
  };
}
