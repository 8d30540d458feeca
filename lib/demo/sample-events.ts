// Sample records as the event a self-managed Kafka event source mapping delivers to Lambda,
// built by the same function as the local runner's events.
import { selfManagedKafkaEvent, type SelfManagedKafkaEvent } from "../kafka/self-managed-kafka-event.js";
import type { SampleRecord } from "./sample-records.js";

export function lambdaEventOfSamples(topic: string, samples: readonly SampleRecord[]): SelfManagedKafkaEvent {
  const records = samples.map((sample) => ({
    topic,
    partition: sample.partition,
    offset: sample.offset,
    timestamp: sample.timestampMs,
    timestampType: "CREATE_TIME" as const,
    key: sample.key === null ? null : Buffer.from(sample.key).toString("base64"),
    value: Buffer.from(sample.value).toString("base64"),
    headers: sample.headers,
  }));
  return selfManagedKafkaEvent(records, ["demo:9092"]);
}
