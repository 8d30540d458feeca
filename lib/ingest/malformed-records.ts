// The records parseKafkaEvent set aside as malformed (bad base64, no offset, a partition that
// disagrees with its group, different records at one offset), sorted like the others: a
// redelivered one (at or below the staged watermark) or one from before the start offset is
// skipped as such, the rest are invalid records — skipped, counted and logged with topic,
// partition, offset and reason, never retried, so one bad record never stalls a partition.
import type { Logger } from "../core/logger.js";
import type { MalformedRecord, TopicPartitionBatch } from "../kafka/lambda-event.js";

export interface SortedMalformedRecords {
  beforeStart: number;
  alreadyStaged: number;
  /** Neither: skipped and counted as invalid records. */
  invalid: MalformedRecord[];
  /** The highest offset among the invalid ones: the watermark moves past them too. */
  highestInvalidOffset: bigint | undefined;
}

export function sortMalformedRecords(batch: TopicPartitionBatch, position: { startOffset: bigint; watermark: bigint | undefined }): SortedMalformedRecords {
  const { startOffset, watermark } = position;
  const sorted: SortedMalformedRecords = { beforeStart: 0, alreadyStaged: 0, invalid: [], highestInvalidOffset: undefined };
  for (const record of batch.malformed) {
    const { offset } = record;
    if (offset !== undefined && offset < startOffset) sorted.beforeStart++;
    else if (offset !== undefined && watermark !== undefined && offset <= watermark) sorted.alreadyStaged++;
    else {
      sorted.invalid.push(record);
      if (offset !== undefined && (sorted.highestInvalidOffset === undefined || offset > sorted.highestInvalidOffset)) sorted.highestInvalidOffset = offset;
    }
  }
  return sorted;
}

/** Logged once staged, one by one up to `maxLogs`, then only counted. */
export function logMalformedRecords(batch: TopicPartitionBatch, invalid: readonly MalformedRecord[], logger: Logger, maxLogs = 100): void {
  for (const { offset, reason } of invalid.slice(0, maxLogs)) {
    logger.warn("skipped a malformed record of the event", { topic: batch.topic, partition: batch.partition, offset: offset === undefined ? "unknown" : String(offset), reason });
  }
  if (invalid.length > maxLogs) logger.warn("more records of the event were malformed", { topic: batch.topic, partition: batch.partition, invalidRecords: invalid.length, logged: maxLogs });
}
