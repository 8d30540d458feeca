// The event a Lambda event source mapping delivers for MSK (`aws:kafka`) and self-managed
// Kafka (`SelfManagedKafka`), SPEC.md §2.1: `records` keyed "<topic>-<partition>", base64
// key and value (either may be absent or null), headers as a list of {name: byte[]}.
// Parsed defensively: `partition` and `offset` may arrive as strings.
//
// Two kinds of malformed input (docs/deploy.md, "How ingest treats a malformed event"):
// an event whose structure is wrong (not an object, no `records`, a group that is not a
// list or whose key is not "<topic>-<partition>") cannot be attributed to any partition and
// is refused with INVALID_EVENT; a record that is wrong on its own (bad base64, no offset,
// a topic or partition that disagrees with its group, two different records at one offset)
// is set aside as malformed, so ingest skips and counts it and the partition moves on.
import { isJsonObject } from "../core/json-object.js";
import { ExportError } from "../core/errors.js";
import type { HeaderValue } from "../schema/table-row.js";
import { ByteSlabs } from "./event-bytes.js";

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

/** A record of the event that cannot be exported as it stands: skipped and counted by ingest. */
export interface MalformedRecord {
  /** Undefined when the record has no readable offset. */
  offset: bigint | undefined;
  /** What is wrong, naming the place in the event. */
  reason: string;
  /**
   * What the dead-letter table keeps of it (lib/dead-letters/): the record as it stood in the
   * event, or, for one of several different records at one offset, the record as parsed.
   */
  kept: { eventRecord: unknown } | { record: KafkaRecord };
}

export interface TopicPartitionBatch {
  topic: string;
  partition: number;
  /** In offset order, one record per offset. */
  records: KafkaRecord[];
  /** Records set aside, in event order. */
  malformed: MalformedRecord[];
  /** Exact copies of a record at the same offset, collapsed into it. */
  duplicates: number;
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
  const slabs = new ByteSlabs();
  return Object.entries(records).map(([groupKey, group]) => parseTopicPartition(groupKey, group, slabs));
}

function parseTopicPartition(groupKey: string, group: unknown, slabs: ByteSlabs): TopicPartitionBatch {
  if (!Array.isArray(group)) throw invalidEvent(`records["${groupKey}"] is not a list`);
  const { topic, partition } = topicPartitionOfKey(groupKey);
  const malformed: MalformedRecord[] = [];
  const records: KafkaRecord[] = [];
  let sorted = true;
  for (let index = 0; index < group.length; index++) {
    const parsed = parseRecord(group[index], topic, partition, slabs);
    if ("reason" in parsed) {
      // The place is spelt out only for a malformed record: no string per good record.
      malformed.push({ offset: parsed.offset, reason: `records["${groupKey}"][${index}]${parsed.reason}`, kept: { eventRecord: group[index] } });
      continue;
    }
    const previous = records.at(-1);
    if (previous !== undefined && previous.offset >= parsed.offset) sorted = false;
    records.push(parsed);
  }
  if (!sorted) records.sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
  const duplicates = sorted ? 0 : collapseDuplicates(records, malformed, groupKey);
  return { topic, partition, records, malformed, duplicates };
}

/**
 * One record per offset: exact copies collapse into one; records that differ at one offset
 * are all set aside, since nothing tells which of them the partition holds. Returns the
 * number of copies collapsed. `records` is sorted by offset.
 */
function collapseDuplicates(records: KafkaRecord[], malformed: MalformedRecord[], groupKey: string): number {
  let duplicates = 0;
  let kept = 0;
  for (let start = 0; start < records.length; ) {
    const first = records[start] as KafkaRecord;
    let end = start + 1;
    let conflicting = false;
    while (end < records.length && (records[end] as KafkaRecord).offset === first.offset) {
      if (!sameRecord(first, records[end] as KafkaRecord)) conflicting = true;
      end++;
    }
    if (conflicting) {
      const reason = `records["${groupKey}"] holds ${end - start} different records at offset ${first.offset}`;
      for (let index = start; index < end; index++) malformed.push({ offset: first.offset, reason, kept: { record: records[index] as KafkaRecord } });
    } else {
      duplicates += end - start - 1;
      records[kept++] = first;
    }
    start = end;
  }
  records.length = kept;
  return duplicates;
}

function sameRecord(a: KafkaRecord, b: KafkaRecord): boolean {
  return (
    a.timestampMs === b.timestampMs &&
    a.timestampType === b.timestampType &&
    sameBytes(a.key, b.key) &&
    sameBytes(a.value, b.value) &&
    a.headers.length === b.headers.length &&
    a.headers.every((header, index) => {
      const other = b.headers[index] as HeaderValue;
      return header.key === other.key && sameBytes(header.value, other.value);
    })
  );
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return Buffer.compare(a, b) === 0;
}

function topicPartitionOfKey(groupKey: string): { topic: string; partition: number } {
  const dash = groupKey.lastIndexOf("-");
  const digits = groupKey.slice(dash + 1);
  // Canonical digits only: "t-01" and "t-1" would otherwise be two groups of one partition.
  if (dash <= 0 || !/^(0|[1-9]\d{0,9})$/.test(digits)) throw invalidEvent(`records key "${groupKey}" is not "<topic>-<partition>"`);
  return { topic: groupKey.slice(0, dash), partition: Number(digits) };
}

/** A record of the group `topic`-`partition`, or why it cannot be one (the reason starts at the field: ".key is ..."). */
function parseRecord(record: unknown, topic: string, partition: number, slabs: ByteSlabs): KafkaRecord | Omit<MalformedRecord, "kept"> {
  if (!isJsonObject(record)) return { offset: undefined, reason: " is not an object" };
  const offset = offsetField(record["offset"]);
  if (offset === undefined) return { offset, reason: `.offset is not a non-negative integer: ${JSON.stringify(record["offset"])}` };
  try {
    const ownTopic = record["topic"];
    if (ownTopic !== undefined && ownTopic !== topic) throw new MalformedField(`.topic ${JSON.stringify(ownTopic)} disagrees with its group's topic "${topic}"`);
    const ownPartition = record["partition"];
    if (ownPartition !== undefined && partitionField(ownPartition) !== partition) {
      throw new MalformedField(`.partition ${JSON.stringify(ownPartition)} disagrees with its group's partition ${partition}`);
    }
    const timestamp = record["timestamp"];
    const timestampMs = Number(timestamp);
    if ((typeof timestamp !== "number" && typeof timestamp !== "string") || !Number.isFinite(timestampMs)) throw new MalformedField(".timestamp is not a number");
    const keyBytes = base64Range(record["key"], ".key", slabs);
    const key = slabs.slab;
    const keyEnd = slabs.used;
    const valueBytes = base64Range(record["value"], ".value", slabs);
    const value = slabs.slab;
    const valueEnd = slabs.used;
    const timestampType = typeof record["timestampType"] === "string" ? record["timestampType"] : "CREATE_TIME";
    const headers = parseHeaders(record["headers"], slabs);
    return new EventRecord(offset, timestampMs, timestampType, headers, keyBytes < 0 ? null : key, keyBytes, keyEnd, valueBytes < 0 ? null : value, valueBytes, valueEnd);
  } catch (error) {
    if (error instanceof MalformedField) return { offset, reason: error.message };
    throw error;
  }
}

/** A field of one record is wrong: the record is set aside, the event goes on. */
class MalformedField extends Error {}

function parseHeaders(headers: unknown, slabs: ByteSlabs): HeaderValue[] {
  if (headers === undefined || headers === null) return [];
  if (!Array.isArray(headers)) throw new MalformedField(".headers is not a list");
  // Counted first, so that the list is allocated at its size (a list grown by push starts
  // at 16 slots, kept for every record of the batch); for-in allocates no list of names.
  let count = 0;
  for (let index = 0; index < headers.length; index++) {
    const header: unknown = headers[index];
    if (!isJsonObject(header)) throw new MalformedField(".headers holds something that is not an object");
    for (const name in header) if (Object.hasOwn(header, name)) count++;
  }
  const parsed = new Array<HeaderValue>(count);
  let at = 0;
  for (let index = 0; index < headers.length; index++) {
    const header = headers[index] as Record<string, unknown>;
    for (const name in header) if (Object.hasOwn(header, name)) parsed[at++] = { key: name, value: headerBytes(header[name], name, slabs) };
  }
  return parsed;
}

// Header values arrive as lists of byte values; Java's signed bytes may show as negatives.
function headerBytes(bytes: unknown, name: string, slabs: ByteSlabs): Uint8Array | null {
  if (bytes === null || bytes === undefined) return null;
  if (typeof bytes === "string") {
    const decoded = slabs.decodeBase64(bytes);
    if (decoded === undefined) throw new MalformedField(`.headers.${name} is not valid base64`);
    return decoded;
  }
  const copied = Array.isArray(bytes) ? slabs.copyByteList(bytes) : undefined;
  if (copied === undefined) throw new MalformedField(`.headers.${name} is not a list of bytes`);
  return copied;
}

/** Where the field's bytes start in slabs.slab (they end at slabs.used), or -1 for a null or absent field. */
function base64Range(value: unknown, where: string, slabs: ByteSlabs): number {
  if (value === undefined || value === null) return -1;
  if (typeof value !== "string") throw new MalformedField(`${where} is not a base64 string`);
  const start = slabs.decodeBase64Into(value);
  if (start < 0) throw new MalformedField(`${where} is not valid base64`);
  return start;
}

/**
 * A record parsed from the event. Its key and value are ranges of the event's byte slabs
 * that become views only when read: a view is about a hundred bytes, and one kept for
 * every record of the batch until the batch is written is garbage collected the expensive
 * way (copied by every scavenge); made as it is used, it dies young. Each read gives a new
 * view of the same bytes.
 */
class EventRecord implements KafkaRecord {
  readonly sizeBytes: number;

  constructor(
    readonly offset: bigint,
    readonly timestampMs: number,
    readonly timestampType: string,
    readonly headers: HeaderValue[],
    private readonly keySlab: Uint8Array | null,
    private readonly keyStart: number,
    private readonly keyEnd: number,
    private readonly valueSlab: Uint8Array | null,
    private readonly valueStart: number,
    private readonly valueEnd: number,
  ) {
    this.sizeBytes = (keySlab === null ? 0 : keyEnd - keyStart) + (valueSlab === null ? 0 : valueEnd - valueStart);
  }

  get key(): Uint8Array | null {
    return this.keySlab === null ? null : this.keySlab.subarray(this.keyStart, this.keyEnd);
  }

  get value(): Uint8Array | null {
    return this.valueSlab === null ? null : this.valueSlab.subarray(this.valueStart, this.valueEnd);
  }
}

function offsetField(value: unknown): bigint | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^\d{1,19}$/.test(value)) return BigInt(value);
  return undefined;
}

function partitionField(value: unknown): number | undefined {
  const number = typeof value === "string" && /^\d{1,10}$/.test(value) ? Number(value) : value;
  return typeof number === "number" && Number.isInteger(number) && number >= 0 ? number : undefined;
}

function invalidEvent(problem: string): ExportError {
  return new ExportError("INVALID_EVENT", `malformed Kafka event: ${problem}`);
}
