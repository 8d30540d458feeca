// One Kafka record as a row of the export table (SPEC.md §3), in the value forms the
// record decoder produces: long, decimal and timestamptz as bigint, binary as Uint8Array,
// maps as Map, structs as objects keyed by column name.

export type StructValue = Record<string, unknown>;

/** A Protobuf map field's value in a row: keys unique, in the order last written. */
export type MapValue = Map<unknown, unknown>;

export interface HeaderValue {
  key: string | null;
  value: Uint8Array | null;
}

export interface TableRow {
  key: { __raw__: Uint8Array | null };
  /** Null for a record without a value (a tombstone). */
  val: StructValue | null;
  headers: HeaderValue[];
  /** Microseconds since the epoch, UTC; null when the record carries no timestamp (-1). */
  timestamp: bigint | null;
}
