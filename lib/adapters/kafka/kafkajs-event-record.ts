// A message as kafkajs consumed it → the record of a Lambda self-managed Kafka event: key and
// value in base64 (null stays null), headers as one {name: bytes} object each, bytes signed
// as the Lambda poller (Java) writes them, the timestamp type of the record's batch.
import type { IHeaders, KafkaMessage } from "kafkajs";
import { eventOffset, type EventHeader, type EventTimestampType, type SelfManagedKafkaEventRecord } from "../../kafka/self-managed-kafka-event.js";

// Record batches (magic 2) and legacy messages (magic 1) both flag log-append time in bit 3
// of their attributes; kafkajs keeps a batch's timestamp type in `batchContext`.
const logAppendTimeFlag = 0x08;
const kafkajsLogAppendTime = 1;

export function eventRecordOfMessage(topic: string, partition: number, message: KafkaMessage): SelfManagedKafkaEventRecord {
  return {
    topic,
    partition,
    offset: eventOffset(BigInt(message.offset)),
    timestamp: Number(message.timestamp),
    timestampType: timestampTypeOf(message),
    key: base64OrNull(message.key),
    value: base64OrNull(message.value),
    headers: eventHeaders(message.headers),
  };
}

function timestampTypeOf(message: KafkaMessage): EventTimestampType {
  const batchType = (message as { batchContext?: { timestampType?: unknown } }).batchContext?.timestampType;
  const logAppend = batchType === undefined ? (message.attributes & logAppendTimeFlag) !== 0 : batchType === kafkajsLogAppendTime;
  return logAppend ? "LOG_APPEND_TIME" : "CREATE_TIME";
}

function base64OrNull(bytes: Buffer | null): string | null {
  return bytes === null ? null : bytes.toString("base64");
}

// kafkajs folds repeated header names into one array under the first occurrence's name, so
// the values of one name stay in order but their interleaving with other names is lost.
function eventHeaders(headers: IHeaders | undefined): EventHeader[] {
  if (headers === undefined) return [];
  const list: EventHeader[] = [];
  for (const [name, value] of Object.entries(headers)) {
    for (const one of Array.isArray(value) ? value : [value]) list.push({ [name]: signedBytes(one) });
  }
  return list;
}

function signedBytes(value: Buffer | string | null | undefined): number[] | null {
  if (value === null || value === undefined) return null;
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  return Array.from(bytes, (byte) => (byte << 24) >> 24);
}
