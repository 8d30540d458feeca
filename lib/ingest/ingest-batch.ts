// A whole Kafka event: every topic-partition staged on its own (SPEC.md §2 step 2). They
// run side by side; if any fails, the invocation fails once all have finished, so the event
// source redelivers the batch and the partitions already staged skip their records.
import type { TopicPartitionBatch } from "../kafka/lambda-event.js";
import type { TopicExport } from "../state/state-store.js";
import { stateStoreGuardFor } from "./state-store-guard.js";
import { addCounts, stageTopicPartition, zeroCounts, type PartitionCounts, type PartitionOutcome, type StagePartitionContext } from "./stage-partition.js";

export type IngestContext = StagePartitionContext;

export type IngestTotals = PartitionCounts;

export interface IngestOutcome {
  partitions: PartitionOutcome[];
  totals: IngestTotals;
  /**
   * Per topic with no export record at all (never enabled; a disabled topic keeps its record),
   * the records dropped as not exported: for a topic the stack subscribes to, a mistake the
   * alarm on RecordsNotExported reports. Topic order.
   */
  notExported: { topic: string; records: number }[];
}

export async function ingestKafkaBatch(batches: readonly TopicPartitionBatch[], context: IngestContext): Promise<IngestOutcome> {
  const guard = stateStoreGuardFor(context.stateStore, context.logger);
  const topicExports = new Map<string, Promise<TopicExport | undefined>>();
  function topicExportOf(topic: string): Promise<TopicExport | undefined> {
    let topicExport = topicExports.get(topic);
    if (topicExport === undefined) {
      topicExport = context.stateStore.topicExport(topic).then((found) => guard.checked(topic, found));
      topicExports.set(topic, topicExport);
    }
    return topicExport;
  }

  const settled = await Promise.allSettled(batches.map(async (batch) => stageTopicPartition(batch, await topicExportOf(batch.topic), context)));
  const failure = settled.find((result) => result.status === "rejected");
  if (failure !== undefined) throw failure.reason;
  const partitions = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const notExported = new Map<string, number>();
  for (const outcome of partitions) {
    if ((await topicExportOf(outcome.topic)) === undefined) notExported.set(outcome.topic, (notExported.get(outcome.topic) ?? 0) + outcome.skippedNotExported);
  }
  return { partitions, totals: sumOutcomes(partitions), notExported: [...notExported].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([topic, records]) => ({ topic, records })) };
}

function sumOutcomes(partitions: readonly PartitionOutcome[]): IngestTotals {
  const totals = zeroCounts();
  for (const outcome of partitions) addCounts(totals, outcome);
  return totals;
}
