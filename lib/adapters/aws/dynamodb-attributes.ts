// DynamoDB AttributeValues to and from the state's types, exactly: numbers travel as the
// decimal strings of N, so a bigint offset keeps every digit and an integer that JavaScript
// cannot hold exactly is refused rather than rounded.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { ExportError } from "../../core/errors.js";

export type Attributes = Record<string, AttributeValue>;

const integerPattern = /^-?\d+$/;

/** Typed reads of one item's (or nested map's) attributes; a missing or mistyped one is an INTERNAL error naming it. */
export interface AttributeReader {
  names(): string[];
  string(name: string): string;
  optionalString(name: string): string | undefined;
  boolean(name: string): boolean;
  integer(name: string): number;
  nullableInteger(name: string): number | null;
  bigint(name: string): bigint;
  bytes(name: string): Uint8Array;
  map(name: string): AttributeReader;
}

/** `path` names the item in messages, e.g. "topic#orders / export". */
export function attributeReader(attributes: Attributes, path: string): AttributeReader {
  function value(name: string): AttributeValue {
    const found = attributes[name];
    if (found === undefined) throw malformed(path, name, "is missing");
    return found;
  }

  function string(name: string): string {
    const { S } = value(name);
    if (S === undefined) throw malformed(path, name, "is not a string (S)");
    return S;
  }

  function boolean(name: string): boolean {
    const { BOOL } = value(name);
    if (BOOL === undefined) throw malformed(path, name, "is not a boolean (BOOL)");
    return BOOL;
  }

  function integer(name: string): number {
    const parsed = Number(integerDigits(name));
    if (!Number.isSafeInteger(parsed)) throw malformed(path, name, "is an integer beyond ±2^53");
    return parsed;
  }

  function bigint(name: string): bigint {
    return BigInt(integerDigits(name));
  }

  function integerDigits(name: string): string {
    const { N } = value(name);
    if (N === undefined) throw malformed(path, name, "is not a number (N)");
    if (!integerPattern.test(N)) throw malformed(path, name, `is ${N}, not an integer`);
    return N;
  }

  function bytes(name: string): Uint8Array {
    const { B } = value(name);
    if (B === undefined) throw malformed(path, name, "is not binary (B)");
    return B;
  }

  function map(name: string): AttributeReader {
    const { M } = value(name);
    if (M === undefined) throw malformed(path, name, "is not a map (M)");
    return attributeReader(M, `${path}, ${name}`);
  }

  return {
    names: () => Object.keys(attributes),
    string,
    optionalString: (name) => (attributes[name] === undefined ? undefined : string(name)),
    boolean,
    integer,
    nullableInteger: (name) => (value(name).NULL === true ? null : integer(name)),
    bigint,
    bytes,
    map,
  };
}

export function integerValue(value: number): AttributeValue {
  if (!Number.isSafeInteger(value)) throw new ExportError("INTERNAL", `the state store holds integers within ±2^53 only, not ${value}`);
  return { N: String(value) };
}

export function bigintValue(value: bigint): AttributeValue {
  return { N: value.toString() };
}

export function nullableIntegerValue(value: number | null): AttributeValue {
  return value === null ? { NULL: true } : integerValue(value);
}

/** A record as a map attribute, each entry's value encoded by `encode`. */
export function mapValue<V>(record: Record<string | number, V>, encode: (value: V) => AttributeValue): AttributeValue {
  return { M: Object.fromEntries(Object.entries(record).map(([key, entry]) => [key, encode(entry)])) };
}

/** A map attribute as a record keyed by number (field ids, partitions), each entry read by `read`. */
export function numberKeyedRecord<V>(reader: AttributeReader, read: (name: string) => V): Record<number, V> {
  return Object.fromEntries(reader.names().map((name) => [Number(name), read(name)]));
}

function malformed(path: string, name: string, problem: string): ExportError {
  return new ExportError("INTERNAL", `state item ${path}: attribute ${name} ${problem}`);
}
