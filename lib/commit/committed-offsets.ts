// What the table itself says has been committed (SPEC.md §2 step 3): each snapshot this
// system commits carries its commit id and, per topic-partition, the highest offset
// committed so far — all partitions ever committed, not only this commit's, so the latest
// of our snapshots is enough. Every commit attempt drops the staged files its base already
// holds, which is what keeps a retried, raced or half-finished commit from appending twice.
// The same offsets are also kept in a table property, set by the same commits: snapshot
// expiry (ours, or another engine's expire_snapshots keeping only its own latest snapshot)
// may remove every snapshot of ours, and the offsets must outlive them (SPEC.md §8).
import type { Snapshot, TableMetadata } from "../iceberg/table-metadata.js";
import type { TableUpdate } from "../iceberg/table-updates.js";
import type { StagedFile } from "../state/state-store.js";
import { formatTopicPartitionJson, parseTopicPartitionJson } from "./topic-partition-json.js";

export const commitIdProperty = "kafka-iceberg-export.commit-id";
export const committedOffsetsProperty = "kafka-iceberg-export.offsets";

/** topic → partition → highest committed offset. */
export type CommittedOffsets = Map<string, Map<number, bigint>>;

/**
 * The offsets recorded by the table property and by the latest of our snapshots in the
 * current snapshot's ancestry, whichever is higher per topic-partition (a table written
 * before the property existed has only the summary).
 */
export function committedOffsetsOf(metadata: TableMetadata): CommittedOffsets {
  const recorded = metadata.properties[committedOffsetsProperty];
  const fromProperty: CommittedOffsets = recorded === undefined ? new Map<string, Map<number, bigint>>() : parseCommittedOffsets(recorded);
  for (const snapshot of currentAncestry(metadata)) {
    const summarised = snapshot.summary[committedOffsetsProperty];
    if (summarised !== undefined) return highestOf(fromProperty, parseCommittedOffsets(summarised));
  }
  return fromProperty;
}

/** The property update that carries `offsets` into the table's properties. */
export function committedOffsetsPropertyUpdate(offsets: CommittedOffsets): TableUpdate {
  return { action: "set-properties", updates: { [committedOffsetsProperty]: formatCommittedOffsets(offsets) } };
}

/** The snapshot of the current ancestry that a given commit produced, if it landed. */
export function snapshotOfCommit(metadata: TableMetadata, commitId: string): Snapshot | undefined {
  for (const snapshot of currentAncestry(metadata)) if (snapshot.summary[commitIdProperty] === commitId) return snapshot;
  return undefined;
}

export function isCommitted(file: StagedFile, offsets: CommittedOffsets): boolean {
  const committed = offsets.get(file.topic)?.get(file.partition);
  return committed !== undefined && file.lastOffset <= committed;
}

export function withFilesCommitted(offsets: CommittedOffsets, files: readonly StagedFile[]): CommittedOffsets {
  const merged = copyOf(offsets);
  for (const file of files) raiseOffset(merged, file.topic, file.partition, file.lastOffset);
  return merged;
}

/** The summary value: {"<topic>": {"<partition>": "<offset>"}}, topics and partitions in order. */
export function formatCommittedOffsets(offsets: CommittedOffsets): string {
  return formatTopicPartitionJson(offsets, (offset) => offset.toString());
}

function highestOf(a: CommittedOffsets, b: CommittedOffsets): CommittedOffsets {
  const merged = copyOf(a);
  for (const [topic, partitions] of b) for (const [partition, offset] of partitions) raiseOffset(merged, topic, partition, offset);
  return merged;
}

function copyOf(offsets: CommittedOffsets): CommittedOffsets {
  return new Map([...offsets].map(([topic, partitions]) => [topic, new Map(partitions)]));
}

function raiseOffset(offsets: CommittedOffsets, topic: string, partition: number, offset: bigint): void {
  const partitions = offsets.get(topic) ?? new Map<number, bigint>();
  const known = partitions.get(partition);
  if (known === undefined || known < offset) partitions.set(partition, offset);
  offsets.set(topic, partitions);
}

function parseCommittedOffsets(text: string): CommittedOffsets {
  return parseTopicPartitionJson(text, (offset) => (/^\d+$/.test(offset) ? BigInt(offset) : undefined));
}

function* currentAncestry(metadata: TableMetadata): Generator<Snapshot> {
  const byId = new Map(metadata.snapshots.map((snapshot) => [snapshot["snapshot-id"], snapshot]));
  let id = metadata.refs["main"]?.["snapshot-id"] ?? metadata["current-snapshot-id"];
  const seen = new Set<bigint>();
  while (id !== undefined && !seen.has(id)) {
    seen.add(id);
    const snapshot = byId.get(id);
    if (snapshot === undefined) return;
    yield snapshot;
    id = snapshot["parent-snapshot-id"];
  }
}
