// Sample records as the event a self-managed Kafka event source mapping delivers to Lambda
// (SPEC.md §2 step 1): grouped under "<topic>-<partition>", key and value base64, headers as
// a list of {name: byte[]}.
import type { SampleRecord } from "./sample-records.js";

export function lambdaEventOfSamples(topic: string, samples: readonly SampleRecord[]): unknown {
  const records: Record<string, unknown[]> = {};
  for (const sample of samples) {
    const group = (records[`${topic}-${sample.partition}`] ??= []);
    group.push({
      topic,
      partition: sample.partition,
      offset: sample.offset,
      timestamp: sample.timestampMs,
      timestampType: "CREATE_TIME",
      key: sample.key === null ? null : Buffer.from(sample.key).toString("base64"),
      value: Buffer.from(sample.value).toString("base64"),
      headers: sample.headers,
    });
  }
  return { eventSource: "SelfManagedKafka", bootstrapServers: "demo:9092", records };
}
