// The whole-invocation benchmark's records (issue 14): `Order` values of 11 fields (strings,
// int64, double, two enums, a Timestamp, a repeated string, a nested message, a map, int32,
// bool), encoded by protobufjs and framed in the Confluent wire format, each with a key and
// one header. Seeded: every run, and every case, sees the same records in the same order.
import type protobuf from "protobufjs";
import { encodeConfluentFrame } from "../lib/registry/wire-format.js";
import { compileProtobufSchema } from "../lib/schema/protobuf-compiler.js";
import { seededRandom } from "./order-events.js";

export const lambdaOrderProto = `
syntax = "proto3";
package bench.shop;

import "google/protobuf/timestamp.proto";

enum OrderStatus {
  ORDER_STATUS_UNSPECIFIED = 0;
  PLACED = 1;
  PAID = 2;
  SHIPPED = 3;
  DELIVERED = 4;
  CANCELLED = 5;
}

enum SalesChannel {
  SALES_CHANNEL_UNSPECIFIED = 0;
  WEB = 1;
  IOS = 2;
  ANDROID = 3;
  STORE = 4;
}

message Address {
  string street = 1;
  string city = 2;
  string postal_code = 3;
  string country = 4;
}

message Order {
  string order_id = 1;
  int64 amount_cents = 2;
  double discount_rate = 3;
  OrderStatus status = 4;
  SalesChannel channel = 5;
  google.protobuf.Timestamp created_at = 6;
  repeated string tags = 7;
  Address shipping_address = 8;
  map<string, string> attributes = 9;
  int32 quantity = 10;
  bool gift = 11;
}
`;

export const lambdaOrderSchemaId = 1;

export interface OrderRecord {
  key: Uint8Array;
  value: Uint8Array;
  headerKey: string;
  headerValue: Uint8Array;
  timestampMs: number;
}

export function lambdaOrderType(): protobuf.Type {
  return compileProtobufSchema({ schema: lambdaOrderProto, files: new Map() }, { messageName: "Order" }).messageType;
}

const cities = ["Amsterdam", "Berlin", "Lisbon", "München", "Zürich", "São Paulo", "Kraków", "Oslo"];
const tagPool = ["gift", "express", "fragile", "b2b", "promo", "first-order", "subscription", "bulk"];
const baseMs = Date.UTC(2026, 0, 1);

/** The first `count` records of the seeded sequence. */
export function* orderRecords(type: protobuf.Type, count: number): Generator<OrderRecord> {
  const random = seededRandom(7);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const encoder = new TextEncoder();
  for (let index = 0; index < count; index++) {
    const orderId = `ord-${(100_000_000 + index).toString(36)}-${Math.floor(random() * 1e6)}`;
    const createdMs = baseMs + index * 37 + Math.floor(random() * 1000);
    const order = {
      order_id: orderId,
      amount_cents: Math.floor(random() * 5_000_000),
      discount_rate: Math.round(random() * 30) / 100,
      status: 1 + Math.floor(random() * 5),
      channel: 1 + Math.floor(random() * 4),
      created_at: { seconds: Math.floor(createdMs / 1000), nanos: (createdMs % 1000) * 1_000_000 + Math.floor(random() * 1000) * 1000 },
      tags: Array.from({ length: Math.floor(random() * 4) }, () => pick(tagPool)),
      shipping_address: { street: `${1 + Math.floor(random() * 300)} Market Street`, city: pick(cities), postal_code: String(10000 + Math.floor(random() * 89999)), country: "NL" },
      attributes: { campaign: `spring-${Math.floor(random() * 20)}`, ...(random() < 0.3 ? { coupon: `C${Math.floor(random() * 9999)}` } : {}) },
      quantity: 1 + Math.floor(random() * 9),
      gift: random() < 0.1,
    };
    yield {
      key: encoder.encode(orderId),
      value: encodeConfluentFrame(lambdaOrderSchemaId, [0], type.encode(type.fromObject(order)).finish()),
      headerKey: "trace-id",
      headerValue: encoder.encode(Math.floor(random() * 2 ** 48).toString(16).padStart(12, "0")),
      timestampMs: createdMs + 5,
    };
  }
}
