// Records → MSK event JSON files as the Lambda event source mapping delivers them (SPEC.md
// §2.1, lib/kafka/lambda-event.ts): one topic-partition per event, consecutive offsets,
// base64 key and value, the header as a list of byte values. Each file is filled up to, and
// never past, the 6 MB payload limit of a Lambda invocation.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { OrderRecord } from "./lambda-orders.js";

/** Lambda's invocation payload limit, 6 MB (6 × 2^20 bytes). */
export const maxEventBytes = 6 * 1024 * 1024;

export interface EventFilesOptions {
  directory: string;
  topic: string;
  partition: number;
  /** Stop after the first event file (the "one full event" case). */
  singleEvent?: boolean;
  maxBytes?: number;
}

export interface EventFiles {
  files: string[];
  records: number;
  /** Key and value bytes, the bytes-in a user's batch has. */
  inputBytes: number;
  eventBytes: number;
}

export function writeEventFiles(records: Iterable<OrderRecord>, options: EventFilesOptions): EventFiles {
  const { directory, topic, partition, singleEvent = false, maxBytes = maxEventBytes } = options;
  const prefix = `{"eventSource":"aws:kafka","eventSourceArn":"arn:aws:kafka:us-east-1:123456789012:cluster/bench/0","bootstrapServers":"b-1.bench:9098","records":{${JSON.stringify(`${topic}-${partition}`)}:[`;
  const suffix = "]}}";
  const result: EventFiles = { files: [], records: 0, inputBytes: 0, eventBytes: 0 };
  let pending: string[] = [];
  let pendingBytes = prefix.length + suffix.length;
  let offset = 0;
  function flush(): void {
    const file = join(directory, `event-${String(result.files.length).padStart(4, "0")}.json`);
    writeFileSync(file, prefix + pending.join(",") + suffix);
    result.files.push(file);
    result.eventBytes += pendingBytes;
    pending = [];
    pendingBytes = prefix.length + suffix.length;
  }
  for (const record of records) {
    const json = recordJson(record, topic, partition, offset);
    // ASCII only (base64, digits, the topic), so characters are bytes.
    const added = json.length + (pending.length === 0 ? 0 : 1);
    if (pendingBytes + added > maxBytes) {
      if (pending.length === 0) throw new Error(`one record's JSON (${json.length} bytes) is over the ${maxBytes}-byte event limit`);
      flush();
      if (singleEvent) return result;
      pendingBytes += json.length;
    } else pendingBytes += added;
    pending.push(json);
    offset++;
    result.records++;
    result.inputBytes += record.key.length + record.value.length;
  }
  if (pending.length > 0) flush();
  return result;
}

function recordJson(record: OrderRecord, topic: string, partition: number, offset: number): string {
  return JSON.stringify({
    topic,
    partition,
    offset,
    timestamp: record.timestampMs,
    timestampType: "CREATE_TIME",
    key: Buffer.from(record.key).toString("base64"),
    value: Buffer.from(record.value).toString("base64"),
    headers: [{ [record.headerKey]: [...record.headerValue] }],
  });
}
