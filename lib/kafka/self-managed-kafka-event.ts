// The event a Lambda event source mapping for self-managed Kafka delivers (SPEC.md §2 step 1,
// and the AWS "Using Lambda with self-managed Apache Kafka" example event), built by the local
// runner so that `ingest` sees the same shape there as in Lambda (SPEC.md §6).
// `parseKafkaEvent` reads it back.

/** Header values as byte lists, in Java's signed form (-128..127), as the Lambda poller writes them. */
export type EventHeader = Record<string, number[] | null>;

export type EventTimestampType = "CREATE_TIME" | "LOG_APPEND_TIME";

export interface SelfManagedKafkaEventRecord {
  topic: string;
  partition: number;
  /** A number, as Lambda writes it; a decimal string past 2^53, where a JSON number would lose digits. */
  offset: number | string;
  /** Epoch milliseconds. */
  timestamp: number;
  timestampType: EventTimestampType;
  /** Base64, or null for a null key or value. */
  key: string | null;
  value: string | null;
  /** One single-entry object per header, in record order. */
  headers: EventHeader[];
}

export interface SelfManagedKafkaEvent {
  eventSource: "SelfManagedKafka";
  /** The brokers, comma-separated, as Lambda lists them. */
  bootstrapServers: string;
  /** Keyed "<topic>-<partition>", records in offset order. */
  records: Record<string, SelfManagedKafkaEventRecord[]>;
}

export function selfManagedKafkaEvent(records: readonly SelfManagedKafkaEventRecord[], bootstrapServers: readonly string[]): SelfManagedKafkaEvent {
  const grouped: Record<string, SelfManagedKafkaEventRecord[]> = {};
  for (const record of records) {
    const key = topicPartitionKey(record.topic, record.partition);
    (grouped[key] ??= []).push(record);
  }
  return { eventSource: "SelfManagedKafka", bootstrapServers: bootstrapServers.join(","), records: grouped };
}

export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** The event's size as the invocation payload: its JSON text in UTF-8. */
export function eventPayloadBytes(event: SelfManagedKafkaEvent): number {
  return Buffer.byteLength(JSON.stringify(event), "utf8");
}

/** What one record adds to the payload, not counting the comma that separates it from the previous one. */
export function eventRecordBytes(record: SelfManagedKafkaEventRecord): number {
  return Buffer.byteLength(JSON.stringify(record), "utf8");
}

/** The event offset form: a number where it is exact, digits otherwise. */
export function eventOffset(offset: bigint): number | string {
  return offset <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(offset) : offset.toString();
}
