// Which dead letters were replayed into a table, as a table property (SPEC.md §9). Replayed
// records lie below the partition's committed offset, so they cannot be told by the
// committed-offsets watermark (lib/commit/committed-offsets.ts), which this leaves alone:
// they are listed instead, per topic-partition, as offset ranges ("3,5-9,12"). The main
// table's property is set by the very commit that appends the records, so "replayed" and
// "in the table" are one fact; the dead-letter table's copy follows it as the marker that
// readers of the dead letters see.
import { formatTopicPartitionJson, parseTopicPartitionJson } from "../commit/topic-partition-json.js";
import type { TableUpdate } from "../iceberg/table-updates.js";

export const replayedOffsetsProperty = "kafka-iceberg-export.replayed-offsets";

/** topic → partition → offsets. */
export type ReplayedOffsets = Map<string, Map<number, Set<bigint>>>;

export function replayedOffsetsOf(properties: Readonly<Record<string, string>>): ReplayedOffsets {
  const text = properties[replayedOffsetsProperty];
  return text === undefined ? new Map<string, Map<number, Set<bigint>>>() : parseReplayedOffsets(text);
}

export function isReplayed(offsets: ReplayedOffsets, topic: string, partition: number, offset: bigint): boolean {
  return offsets.get(topic)?.get(partition)?.has(offset) === true;
}

export function withReplayed(offsets: ReplayedOffsets, more: Iterable<{ topic: string; partition: number; offset: bigint }>): ReplayedOffsets {
  const merged: ReplayedOffsets = new Map([...offsets].map(([topic, partitions]) => [topic, new Map([...partitions].map(([partition, set]) => [partition, new Set(set)]))]));
  for (const { topic, partition, offset } of more) {
    const partitions = merged.get(topic) ?? new Map<number, Set<bigint>>();
    const set = partitions.get(partition) ?? new Set<bigint>();
    set.add(offset);
    partitions.set(partition, set);
    merged.set(topic, partitions);
  }
  return merged;
}

export function replayedOffsetsUpdate(offsets: ReplayedOffsets): TableUpdate {
  return { action: "set-properties", updates: { [replayedOffsetsProperty]: formatReplayedOffsets(offsets) } };
}

/** {"<topic>": {"<partition>": "3,5-9"}}, topics, partitions and offsets in order. */
export function formatReplayedOffsets(offsets: ReplayedOffsets): string {
  return formatTopicPartitionJson(offsets, (set) => formatRanges([...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))));
}

export function countReplayed(offsets: ReplayedOffsets, topic: string): number {
  let count = 0;
  for (const set of offsets.get(topic)?.values() ?? []) count += set.size;
  return count;
}

function formatRanges(sorted: readonly bigint[]): string {
  const ranges: string[] = [];
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end + 1 < sorted.length && (sorted[end + 1] as bigint) === (sorted[end] as bigint) + 1n) end++;
    ranges.push(start === end ? String(sorted[start]) : `${sorted[start]}-${sorted[end]}`);
    start = end + 1;
  }
  return ranges.join(",");
}

/** More than a replay ever lists in one range: a longer one is not ours, and is not expanded. */
const maxRangeLength = 10_000_000n;

// A replay never re-plays what a well-formed range names; a malformed range names nothing.
function parseReplayedOffsets(text: string): ReplayedOffsets {
  return parseTopicPartitionJson(text, parseRanges);
}

function parseRanges(ranges: string): Set<bigint> {
  const set = new Set<bigint>();
  for (const range of ranges.split(",")) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(range);
    if (match === null) continue;
    const from = BigInt(match[1] as string);
    const to = match[2] === undefined ? from : BigInt(match[2]);
    if (to - from > maxRangeLength) continue;
    for (let offset = from; offset <= to; offset++) set.add(offset);
  }
  return set;
}
