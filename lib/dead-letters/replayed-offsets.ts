// Which dead letters were replayed into a table, as a table property (SPEC.md §9). Replayed
// records lie below the partition's committed offset, so they cannot be told by the
// committed-offsets watermark (lib/commit/committed-offsets.ts), which this leaves alone:
// they are listed instead, per topic-partition, as offset ranges ("3,5-9,12"). The main
// table's property is set by the very commit that appends the records, so "replayed" and
// "in the table" are one fact; the dead-letter table's copy follows it as the marker that
// readers of the dead letters see. Kept as ranges in memory too: a long run of replayed
// offsets costs one range, never one entry per offset.
import { formatTopicPartitionJson, parseTopicPartitionJson } from "../commit/topic-partition-json.js";
import { ExportError } from "../core/errors.js";
import type { TableUpdate } from "../iceberg/table-updates.js";

export const replayedOffsetsProperty = "kafka-iceberg-export.replayed-offsets";

/**
 * The property's largest size, in UTF-8 bytes: half of what Glue keeps in one table parameter
 * (512,000 bytes), and every metadata file carries it. About 20,000 separate ranges.
 */
export const maxReplayedOffsetsBytes = 256 * 1024;

/** Inclusive. */
export interface OffsetRange {
  from: bigint;
  to: bigint;
}

/** topic → partition → ranges, sorted, neither overlapping nor touching. */
export type ReplayedOffsets = Map<string, Map<number, readonly OffsetRange[]>>;

export function replayedOffsetsOf(properties: Readonly<Record<string, string>>): ReplayedOffsets {
  const text = properties[replayedOffsetsProperty];
  return text === undefined ? new Map<string, Map<number, readonly OffsetRange[]>>() : parseTopicPartitionJson(text, parseRanges);
}

export function isReplayed(offsets: ReplayedOffsets, topic: string, partition: number, offset: bigint): boolean {
  const ranges = offsets.get(topic)?.get(partition);
  if (ranges === undefined) return false;
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const range = ranges[middle] as OffsetRange;
    if (offset < range.from) high = middle - 1;
    else if (offset > range.to) low = middle + 1;
    else return true;
  }
  return false;
}

/** `offsets` with `more` added; `offsets` itself is left as it was. */
export function withReplayed(offsets: ReplayedOffsets, more: Iterable<{ topic: string; partition: number; offset: bigint }>): ReplayedOffsets {
  const added = new Map<string, Map<number, OffsetRange[]>>();
  for (const { topic, partition, offset } of more) {
    const partitions = added.get(topic) ?? new Map<number, OffsetRange[]>();
    partitions.set(partition, pushed(partitions.get(partition), offset));
    added.set(topic, partitions);
  }
  const merged: ReplayedOffsets = new Map([...offsets].map(([topic, partitions]) => [topic, new Map(partitions)]));
  for (const [topic, partitions] of added) {
    const mergedPartitions = merged.get(topic) ?? new Map<number, readonly OffsetRange[]>();
    for (const [partition, ranges] of partitions) mergedPartitions.set(partition, normalized([...(mergedPartitions.get(partition) ?? []), ...ranges]));
    merged.set(topic, mergedPartitions);
  }
  return merged;
}

/** The commit's update of the property; refused when it would outgrow maxReplayedOffsetsBytes. */
export function replayedOffsetsUpdate(offsets: ReplayedOffsets, table: string): TableUpdate {
  const text = formatReplayedOffsets(offsets);
  const bytes = Buffer.byteLength(text);
  if (bytes > maxReplayedOffsetsBytes) {
    throw new ExportError(
      "REPLAY_TOO_LARGE",
      `replay into table ${table}: its ${replayedOffsetsProperty} property would take ${bytes} bytes in ${countRanges(offsets)} offset ranges, over the ${maxReplayedOffsetsBytes}-byte limit ` +
        `(Glue keeps at most 512,000 bytes per table parameter, and every metadata file carries it); nothing was replayed. Replaying dead letters that lie next to ones already replayed adds no range`,
    );
  }
  return { action: "set-properties", updates: { [replayedOffsetsProperty]: text } };
}

/** {"<topic>": {"<partition>": "3,5-9"}}, topics, partitions and offsets in order. */
export function formatReplayedOffsets(offsets: ReplayedOffsets): string {
  return formatTopicPartitionJson(offsets, (ranges) => ranges.map((range) => (range.from === range.to ? String(range.from) : `${range.from}-${range.to}`)).join(","));
}

export function countReplayed(offsets: ReplayedOffsets, topic: string): number {
  let count = 0n;
  for (const ranges of offsets.get(topic)?.values() ?? []) for (const range of ranges) count += range.to - range.from + 1n;
  return Number(count);
}

function countRanges(offsets: ReplayedOffsets): number {
  let count = 0;
  for (const partitions of offsets.values()) for (const ranges of partitions.values()) count += ranges.length;
  return count;
}

function pushed(ranges: OffsetRange[] | undefined, offset: bigint): OffsetRange[] {
  const list = ranges ?? [];
  list.push({ from: offset, to: offset });
  return list;
}

function normalized(ranges: readonly OffsetRange[]): OffsetRange[] {
  const sorted = [...ranges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const merged: OffsetRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && range.from <= last.to + 1n) {
      if (range.to > last.to) merged[merged.length - 1] = { from: last.from, to: range.to };
    } else {
      merged.push(range);
    }
  }
  return merged;
}

/** More than a replay ever lists in one range: a longer one is not ours, and names nothing. */
const maxRangeLength = 10_000_000n;

// A replay never re-plays what a well-formed range names; a malformed range names nothing.
function parseRanges(text: string): OffsetRange[] {
  const ranges: OffsetRange[] = [];
  for (const part of text.split(",")) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (match === null) continue;
    const from = BigInt(match[1] as string);
    const to = match[2] === undefined ? from : BigInt(match[2]);
    if (to < from || to - from > maxRangeLength) continue;
    ranges.push({ from, to });
  }
  return normalized(ranges);
}
