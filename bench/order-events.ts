// The benchmark's batch: order events of a realistic shape (strings, int64, double, an enum,
// a nested message, a repeated string, a map<string,string>, a Timestamp), encoded by
// protobufjs and framed in the Confluent wire format, with Kafka keys, headers and
// timestamps. Values come from a seeded generator: every run sees the same batch.
import type protobuf from "protobufjs";
import { compileProtobufSchema } from "../lib/schema/protobuf-compiler.js";
import { encodeConfluentFrame } from "../lib/registry/wire-format.js";

export const orderEventProto = `
syntax = "proto3";
package bench.orders;

import "google/protobuf/timestamp.proto";

enum OrderStatus {
  ORDER_STATUS_UNSPECIFIED = 0;
  PLACED = 1;
  PAID = 2;
  SHIPPED = 3;
  DELIVERED = 4;
  CANCELLED = 5;
}

message Address {
  string street = 1;
  string city = 2;
  string postal_code = 3;
  string country = 4;
}

message OrderEvent {
  string order_id = 1;
  string customer_id = 2;
  int64 amount_cents = 3;
  string currency = 4;
  double discount_rate = 5;
  OrderStatus status = 6;
  Address shipping_address = 7;
  repeated string tags = 8;
  map<string, string> attributes = 9;
  google.protobuf.Timestamp created_at = 10;
  int64 version = 11;
}
`;

export interface KafkaMessage {
  key: Uint8Array;
  /** Confluent-framed Protobuf payload. */
  value: Uint8Array;
  headers: { key: string; value: Uint8Array }[];
  timestampMs: number;
}

let compiledType: protobuf.Type | undefined;

/** Compiled once per process: a benchmark staging for hundreds of tables asks for it per table. */
export function orderEventType(): protobuf.Type {
  compiledType ??= compileProtobufSchema({ schema: orderEventProto, files: new Map() }, { messageName: "OrderEvent" }).messageType;
  return compiledType;
}

const cities = ["Amsterdam", "Berlin", "Lisbon", "München", "Zürich", "São Paulo", "Kraków", "Oslo"];
const tagPool = ["gift", "express", "fragile", "b2b", "promo", "first-order", "subscription", "bulk"];
const channels = ["web", "ios", "android", "pos"];
const currencies = ["EUR", "USD", "GBP", "CHF"];
const schemaId = 42;

export function generateMessages(type: protobuf.Type, count: number, seed = 1): KafkaMessage[] {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const encoder = new TextEncoder();
  const messages: KafkaMessage[] = [];
  const baseMs = Date.UTC(2026, 0, 1);
  for (let index = 0; index < count; index++) {
    const orderId = `ord-${(100_000_000 + index).toString(36)}-${Math.floor(random() * 1e6)}`;
    const createdMs = baseMs + index * 37 + Math.floor(random() * 1000);
    const event = {
      order_id: orderId,
      customer_id: `cust-${Math.floor(random() * 250_000)}`,
      amount_cents: Math.floor(random() * 5_000_000),
      currency: pick(currencies),
      discount_rate: Math.round(random() * 30) / 100,
      status: 1 + Math.floor(random() * 5),
      shipping_address: { street: `${1 + Math.floor(random() * 300)} Market Street`, city: pick(cities), postal_code: String(10000 + Math.floor(random() * 89999)), country: "NL" },
      tags: Array.from({ length: Math.floor(random() * 4) }, () => pick(tagPool)),
      attributes: { channel: pick(channels), campaign: `spring-${Math.floor(random() * 20)}`, ...(random() < 0.3 ? { coupon: `C${Math.floor(random() * 9999)}` } : {}) },
      created_at: { seconds: Math.floor(createdMs / 1000), nanos: (createdMs % 1000) * 1_000_000 + Math.floor(random() * 1000) * 1000 },
      version: 1 + Math.floor(random() * 5),
    };
    const payload = type.encode(type.fromObject(event)).finish();
    messages.push({
      key: encoder.encode(orderId),
      value: encodeConfluentFrame(schemaId, [0], payload),
      headers: [{ key: "trace-id", value: encoder.encode(Math.floor(random() * 2 ** 48).toString(16).padStart(12, "0")) }],
      timestampMs: createdMs + 5,
    });
  }
  return messages;
}

// A linear congruential generator (the Numerical Recipes constants): enough spread for test
// data, and the same sequence on every run.
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return function next(): number {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}
