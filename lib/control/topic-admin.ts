// What export control needs to know of a Kafka topic (SPEC.md §2, §6): whether it exists,
// its partitions, whether it is compacted, and where each partition's log ends now.
export interface TopicDescription {
  topic: string;
  partitions: number[];
  /** The topic's `cleanup.policy`, e.g. "delete" or "compact,delete". */
  cleanupPolicy: string;
}

export interface TopicAdmin {
  /** undefined when the cluster has no such topic. */
  describeTopic(topic: string): Promise<TopicDescription | undefined>;
  /** Per partition, the offset the next record produced to it will get. */
  logEndOffsets(topic: string): Promise<Record<number, bigint>>;
}

/** A topic whose cleanup policy compacts: its offsets do not identify a stable set of records. */
export function isCompacted(description: TopicDescription): boolean {
  return description.cleanupPolicy
    .split(",")
    .map((policy) => policy.trim().toLowerCase())
    .includes("compact");
}
