// `dead-letters` (SPEC.md §9): what a topic's dead-letter table holds, by reason, and the
// latest few. "Replayed" is what the topic's table says (its replayed-offsets property, set
// by the commit that appended them), not the dead-letter table's marker, which follows it.
import type { Catalog } from "../catalog/catalog.js";
import type { TopicExport } from "../state/state-store.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { DeadLetter, DeadLetterReason } from "./dead-letter.js";
import { deadLetterTableKey } from "./dead-letter-table.js";
import { readDeadLetterTable } from "./read-dead-letters.js";
import { lastReplayProperty } from "./replay-dead-letters.js";
import { isReplayed, replayedOffsetsOf } from "./replayed-offsets.js";

export interface ReasonCount {
  reason: DeadLetterReason;
  kept: number;
  replayed: number;
}

export interface ReportedDeadLetter extends DeadLetter {
  replayed: boolean;
}

export interface DeadLetterReport {
  table: string;
  /** False when the topic has no dead-letter table yet. */
  exists: boolean;
  total: number;
  byReason: ReasonCount[];
  /** The most recently rejected first. */
  latest: ReportedDeadLetter[];
  /** The last replay's record in the dead-letter table (JSON), if any ran. */
  lastReplay: string | undefined;
}

export async function deadLetterReport(topicExport: TopicExport, context: { catalog: Catalog; objectStore: ObjectStore }, options: { latest?: number } = {}): Promise<DeadLetterReport> {
  const table = deadLetterTableKey(topicExport);
  const [read, main] = await Promise.all([readDeadLetterTable(topicExport, context), context.catalog.loadTable(topicExport.table)]);
  if (read === undefined) return { table, exists: false, total: 0, byReason: [], latest: [], lastReplay: undefined };
  const replayed = replayedOffsetsOf(main?.metadata.properties ?? {});
  const reported = read.deadLetters.map((deadLetter) => ({ ...deadLetter, replayed: isReplayed(replayed, deadLetter.topic, deadLetter.partition, deadLetter.offset) }));
  const counts = new Map<DeadLetterReason, ReasonCount>();
  for (const deadLetter of reported) {
    const count = counts.get(deadLetter.reason) ?? { reason: deadLetter.reason, kept: 0, replayed: 0 };
    count.kept++;
    if (deadLetter.replayed) count.replayed++;
    counts.set(deadLetter.reason, count);
  }
  const latest = [...reported].sort((a, b) => b.rejectedAtMs - a.rejectedAtMs || b.partition - a.partition || (a.offset < b.offset ? 1 : a.offset > b.offset ? -1 : 0)).slice(0, options.latest ?? 10);
  return {
    table,
    exists: true,
    total: reported.length,
    byReason: [...counts.values()].sort((a, b) => b.kept - a.kept || (a.reason < b.reason ? -1 : 1)),
    latest,
    lastReplay: read.table.metadata.properties[lastReplayProperty],
  };
}
