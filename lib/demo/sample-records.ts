// Sample Kafka records for the demo: order events in the Confluent wire format, spread over
// the topic's partitions, with a few payloads that are not valid Protobuf mixed in (they must
// be skipped and counted), some null keys and some headers. Deterministic for a given seed.
import type protobuf from "protobufjs";
import { seededRandom } from "../core/seeded-random.js";
import { encodeConfluentFrame } from "../registry/wire-format.js";

export interface SampleRecord {
  partition: number;
  offset: number;
  timestampMs: number;
  key: Uint8Array | null;
  value: Uint8Array;
  headers: Record<string, number[]>[];
  valid: boolean;
}

export interface SampleRecordOptions {
  messageType: protobuf.Type;
  schemaId: number;
  partitions: number;
  /** Offsets already used per partition: the next record of partition p gets `nextOffsets[p]`. */
  nextOffsets: number[];
  count: number;
  /** How many of `count` are not valid payloads. */
  invalid: number;
  startMs: number;
  seed: number;
}

const countries = ["DE", "FR", "US", "JP", "BR", "IN"];
const products = ["kettle", "lamp", "mug", "chair", "desk", "plant", "book", "pen"];
const channels = ["WEB", "MOBILE", "STORE"];

export function sampleRecords(options: SampleRecordOptions): SampleRecord[] {
  const random = seededRandom(options.seed);
  const invalidAt = new Set<number>();
  while (invalidAt.size < Math.min(options.invalid, options.count)) invalidAt.add(Math.floor(random() * options.count));
  const records: SampleRecord[] = [];
  for (let index = 0; index < options.count; index++) {
    const partition = index % options.partitions;
    const offset = options.nextOffsets[partition] ?? 0;
    options.nextOffsets[partition] = offset + 1;
    const timestampMs = options.startMs + index * 1_000;
    const orderId = `o-${partition}-${offset}`;
    const valid = !invalidAt.has(index);
    records.push({
      partition,
      offset,
      timestampMs,
      key: index % 10 === 9 ? null : new TextEncoder().encode(orderId),
      value: valid ? orderPayload(orderId, timestampMs, random, options) : invalidPayload(random, options.schemaId),
      headers: index % 4 === 0 ? [{ source: [...new TextEncoder().encode("demo")] }] : [],
      valid,
    });
  }
  return records;
}

function orderPayload(orderId: string, timestampMs: number, random: () => number, options: SampleRecordOptions): Uint8Array {
  const itemCount = 1 + Math.floor(random() * 3);
  const order = {
    order_id: orderId,
    amount_cents: String(100 + Math.floor(random() * 50_000)),
    currency: "EUR",
    channel: pick(channels, random),
    customer: { id: `c-${Math.floor(random() * 500)}`, country: pick(countries, random) },
    items: Array.from({ length: itemCount }, () => pick(products, random)),
    attributes: random() < 0.5 ? { campaign: "autumn" } : {},
    placed_at: { seconds: String(Math.floor(timestampMs / 1000)), nanos: (timestampMs % 1000) * 1_000_000 },
    shipping_weight_kg: Math.round(random() * 2000) / 100,
    ...(random() < 0.2 ? { coupon: "WELCOME10" } : {}),
  };
  const { messageType } = options;
  return encodeConfluentFrame(options.schemaId, [0], messageType.encode(messageType.fromObject(order)).finish());
}

// Protobuf bytes that claim more than there is, either framed like the rest or missing the
// Confluent framing: the two ways a producer typically gets a topic wrong.
function invalidPayload(random: () => number, schemaId: number): Uint8Array {
  const garbage = Uint8Array.from({ length: 12 }, () => Math.floor(random() * 256));
  garbage[0] = 0x0a; // field 1, length-delimited ...
  garbage[1] = 0x7f; // ... 127 bytes long, in a 12-byte payload
  return random() < 0.5 ? garbage : encodeConfluentFrame(schemaId, [0], garbage);
}

function pick<T>(values: readonly T[], random: () => number): T {
  return values[Math.floor(random() * values.length)] as T;
}
