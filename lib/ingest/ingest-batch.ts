// A whole Kafka event: every topic-partition staged on its own (SPEC.md §2 step 2). They
// run side by side; if any fails, the invocation fails once all have finished, so the event
// source redelivers the batch and the partitions already staged skip their records.
import type { TopicPartitionBatch } from "../kafka/lambda-event.js";
import type { TopicExport } from "../state/state-store.js";
import { addCounts, stageTopicPartition, zeroCounts, type PartitionCounts, type PartitionOutcome, type StagePartitionContext } from "./stage-partition.js";

export type IngestContext = StagePartitionContext;

export type IngestTotals = PartitionCounts;

export interface IngestOutcome {
  partitions: PartitionOutcome[];
  totals: IngestTotals;
}

export async function ingestKafkaBatch(batches: readonly TopicPartitionBatch[], context: IngestContext): Promise<IngestOutcome> {
  const topicExports = new Map<string, Promise<TopicExport | undefined>>();
  function topicExportOf(topic: string): Promise<TopicExport | undefined> {
    let topicExport = topicExports.get(topic);
    if (topicExport === undefined) {
      topicExport = context.stateStore.topicExport(topic);
      topicExports.set(topic, topicExport);
    }
    return topicExport;
  }

  const settled = await Promise.allSettled(batches.map(async (batch) => stageTopicPartition(batch, await topicExportOf(batch.topic), context)));
  const failure = settled.find((result) => result.status === "rejected");
  if (failure !== undefined) throw failure.reason;
  const partitions = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  return { partitions, totals: sumOutcomes(partitions) };
}

function sumOutcomes(partitions: readonly PartitionOutcome[]): IngestTotals {
  const totals = zeroCounts();
  for (const outcome of partitions) addCounts(totals, outcome);
  return totals;
}
