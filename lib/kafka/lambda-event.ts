// The event a Lambda event source mapping delivers for MSK (`aws:kafka`) and self-managed
// Kafka (`SelfManagedKafka`), SPEC.md §2.1: `records` keyed "<topic>-<partition>", base64
// key and value (either may be absent or null), headers as a list of {name: byte[]}.
// Parsed defensively: `partition` and `offset` may arrive as strings.
import { isJsonObject } from "../core/json-object.js";
import { ExportError } from "../core/errors.js";
import type { HeaderValue } from "../schema/table-row.js";

export interface KafkaRecord {
  offset: bigint;
  /** Epoch milliseconds, as the producer or the broker set it. */
  timestampMs: number;
  timestampType: string;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: HeaderValue[];
  /** Size of key and value, for the bytes-in metric. */
  sizeBytes: number;
}

export interface TopicPartitionBatch {
  topic: string;
  partition: number;
  /** In offset order. */
  records: KafkaRecord[];
}

const knownEventSources = new Set(["aws:kafka", "SelfManagedKafka"]);

export function parseKafkaEvent(event: unknown): TopicPartitionBatch[] {
  if (!isJsonObject(event)) throw invalidEvent("the event is not a JSON object");
  const source = event["eventSource"];
  if (source !== undefined && (typeof source !== "string" || !knownEventSources.has(source))) {
    throw invalidEvent(`unknown eventSource ${JSON.stringify(source)}; expected aws:kafka or SelfManagedKafka`);
  }
  const records = event["records"];
  if (!isJsonObject(records)) throw invalidEvent('the event has no "records" object');
  return Object.entries(records).map(([groupKey, group]) => parseTopicPartition(groupKey, group));
}

function parseTopicPartition(groupKey: string, group: unknown): TopicPartitionBatch {
  if (!Array.isArray(group)) throw invalidEvent(`records["${groupKey}"] is not a list`);
  const fromKey = topicPartitionOfKey(groupKey);
  const records = group.map((record: unknown, index) => parseRecord(record, `records["${groupKey}"][${index}]`));
  const first: unknown = group[0];
  const topic = isJsonObject(first) && typeof first["topic"] === "string" ? first["topic"] : fromKey.topic;
  const partition = isJsonObject(first) && first["partition"] !== undefined ? integerField(first["partition"], `records["${groupKey}"][0].partition`) : fromKey.partition;
  if (topic === undefined || partition === undefined) throw invalidEvent(`cannot tell the topic and partition of records["${groupKey}"]`);
  records.sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
  return { topic, partition, records };
}

function topicPartitionOfKey(groupKey: string): { topic?: string; partition?: number } {
  const dash = groupKey.lastIndexOf("-");
  const partition = Number(groupKey.slice(dash + 1));
  if (dash <= 0 || !Number.isInteger(partition) || partition < 0) return {};
  return { topic: groupKey.slice(0, dash), partition };
}

function parseRecord(record: unknown, where: string): KafkaRecord {
  if (!isJsonObject(record)) throw invalidEvent(`${where} is not an object`);
  const offset = offsetField(record["offset"], `${where}.offset`);
  const timestampMs = Number(record["timestamp"]);
  if (!Number.isFinite(timestampMs)) throw invalidEvent(`${where}.timestamp is not a number`);
  const key = base64Field(record["key"], `${where}.key`);
  const value = base64Field(record["value"], `${where}.value`);
  return {
    offset,
    timestampMs,
    timestampType: typeof record["timestampType"] === "string" ? record["timestampType"] : "CREATE_TIME",
    key,
    value,
    headers: parseHeaders(record["headers"], `${where}.headers`),
    sizeBytes: (key?.length ?? 0) + (value?.length ?? 0),
  };
}

function parseHeaders(headers: unknown, where: string): HeaderValue[] {
  if (headers === undefined || headers === null) return [];
  if (!Array.isArray(headers)) throw invalidEvent(`${where} is not a list`);
  const parsed: HeaderValue[] = [];
  for (const header of headers as unknown[]) {
    if (!isJsonObject(header)) throw invalidEvent(`${where} holds something that is not an object`);
    for (const [name, bytes] of Object.entries(header)) parsed.push({ key: name, value: headerBytes(bytes, `${where}.${name}`) });
  }
  return parsed;
}

// Header values arrive as lists of byte values; Java's signed bytes may show as negatives.
function headerBytes(bytes: unknown, where: string): Uint8Array | null {
  if (bytes === null || bytes === undefined) return null;
  if (typeof bytes === "string") return decodeBase64(bytes);
  if (!Array.isArray(bytes) || !bytes.every((byte) => Number.isInteger(byte))) throw invalidEvent(`${where} is not a list of bytes`);
  return Uint8Array.from(bytes as number[], (byte) => byte & 0xff);
}

function base64Field(value: unknown, where: string): Uint8Array | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw invalidEvent(`${where} is not a base64 string`);
  return decodeBase64(value);
}

function decodeBase64(text: string): Uint8Array {
  const bytes = Buffer.from(text, "base64");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function offsetField(value: unknown, where: string): bigint {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^\d+$/.test(value)) return BigInt(value);
  throw invalidEvent(`${where} is not a non-negative integer: ${JSON.stringify(value)}`);
}

function integerField(value: unknown, where: string): number {
  const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number < 0) throw invalidEvent(`${where} is not a non-negative integer: ${JSON.stringify(value)}`);
  return number;
}


function invalidEvent(problem: string): ExportError {
  return new ExportError("INVALID_EVENT", `malformed Kafka event: ${problem}`);
}
