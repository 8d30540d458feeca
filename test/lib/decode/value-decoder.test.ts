import { describe, expect, it } from "vitest";
import type { StructType } from "../../../lib/iceberg/types.js";
import { evolveSchemaState } from "../../../lib/schema/schema-state.js";
import { createValueDecoder } from "../../../lib/decode/value-decoder.js";
import { encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { compileMessage } from "../schema/compile-fixture.js";

const schema = 'syntax = "proto3"; package wire; message Order { string id = 1; int64 cents = 2; message Line { string sku = 1; } } message Other { bool flag = 1; }';
const order = compileMessage(schema, "Order");
const orderVal = evolveSchemaState(undefined, order).state.schema.fields[1]?.type as StructType;
const payload = order.encode(order.fromObject({ id: "o-1", cents: "1999" })).finish();
const decoded = { ok: true, value: { id: "o-1", cents: 1999n } };

describe("values in the Confluent wire format", () => {
  const decodeValue = createValueDecoder({ messageType: order, valStruct: orderVal, wireFormat: "confluent" });

  it("accepts the one-byte [0] message index", () => {
    const frame = encodeConfluentFrame(7, [0], payload);
    expect(frame[5]).toBe(0);
    expect(decodeValue(frame)).toEqual(decoded);
  });

  it("accepts the long form of [0] (count 1, index 0)", () => {
    const frame = new Uint8Array([0, 0, 0, 0, 7, 2, 0, ...payload]);
    expect(decodeValue(frame)).toEqual(decoded);
  });

  it("decodes with the table's message type whatever the frame's schema id and message indexes say", () => {
    expect(decodeValue(encodeConfluentFrame(123456, [0, 0], payload))).toEqual(decoded);
    expect(decodeValue(encodeConfluentFrame(0xffffffff, [1], payload))).toEqual(decoded);
  });

  it("reports a payload without the frame as an invalid record naming the problem", () => {
    expect(decodeValue(payload)).toEqual({ ok: false, reason: "not in the Confluent wire format: wrong magic byte 0x0a" });
    for (let length = 0; length < 6; length++) {
      const result = decodeValue(encodeConfluentFrame(7, [0], payload).subarray(0, length));
      expect(result.ok).toBe(false);
    }
  });

  it("reports a truncated message-index array as invalid", () => {
    const result = decodeValue(new Uint8Array([0, 0, 0, 0, 7, 4, 0x80]));
    expect(result.ok).toBe(false);
  });
});

describe("raw Protobuf values", () => {
  it("decodes the bytes as the message itself", () => {
    expect(createValueDecoder({ messageType: order, valStruct: orderVal, wireFormat: "raw" })(payload)).toEqual(decoded);
  });
});

describe("topics without a Protobuf schema", () => {
  it("keeps the value bytes as they are under __raw__", () => {
    const rawVal = evolveSchemaState(undefined, undefined).state.schema.fields[1]?.type as StructType;
    const bytes = new Uint8Array([1, 2, 3]);
    expect(createValueDecoder({ messageType: undefined, valStruct: rawVal })(bytes)).toEqual({ ok: true, value: { __raw__: bytes } });
  });

  it("writes null in the columns left from a time the topic had a Protobuf schema", () => {
    const typed = evolveSchemaState(evolveSchemaState(undefined, undefined).state, order).state;
    const val = typed.schema.fields[1]?.type as StructType;
    expect(createValueDecoder({ messageType: undefined, valStruct: val })(new Uint8Array([9]))).toEqual({ ok: true, value: { __raw__: new Uint8Array([9]), id: null, cents: null } });
  });
});
