// The production functions the runner drives: the same parse → ingest path as the Lambda
// handler (functions/ingest.ts) and the same commit round as the scheduled one.
import { commitAllTables, type CommitRoundOutcome } from "../commit/commit-all.js";
import type { CommitContext } from "../commit/commit-table.js";
import { ingestKafkaBatch, type IngestContext, type IngestOutcome } from "../ingest/ingest-batch.js";
import { parseKafkaEvent } from "../kafka/lambda-event.js";
import type { SelfManagedKafkaEvent } from "../kafka/self-managed-kafka-event.js";
import type { StateStore } from "../state/state-store.js";

export function ingestEventsWith(context: IngestContext): (event: SelfManagedKafkaEvent) => Promise<IngestOutcome> {
  return (event) => ingestKafkaBatch(parseKafkaEvent(event), context);
}

export function commitRoundsWith(context: CommitContext): () => Promise<CommitRoundOutcome> {
  return () => commitAllTables(context);
}

/** The topics whose export is enabled now, in topic order: what the runner consumes by default. */
export async function enabledTopicNames(stateStore: StateStore): Promise<string[]> {
  return (await stateStore.topicExports()).filter((topicExport) => topicExport.enabled).map((topicExport) => topicExport.topic);
}

/**
 * The runner's `startOffsets`: per partition of an enabled topic, the first offset the export
 * still needs, its start offset (SPEC.md §2 step 2) or one past its staged watermark,
 * whichever is later. None for a disabled topic: nothing of it is needed.
 */
export function exportStartOffsets(stateStore: StateStore): (topic: string) => Promise<Readonly<Record<number, bigint>> | undefined> {
  return async (topic) => {
    const topicExport = await stateStore.topicExport(topic);
    if (topicExport?.enabled !== true) return undefined;
    const needed: Record<number, bigint> = {};
    for (const [key, start] of Object.entries(topicExport.startOffsets)) {
      const partition = Number(key);
      const watermark = await stateStore.stagedWatermark(topic, partition);
      needed[partition] = watermark !== undefined && watermark >= start ? watermark + 1n : start;
    }
    return needed;
  };
}
