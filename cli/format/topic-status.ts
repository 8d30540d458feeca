// `status` output: text for people, JSON (bigints as strings) for scripts.
import type { TopicStatus } from "../../lib/control/topic-status.js";
import { textTable } from "./text-table.js";

export function formatTopicStatus(status: TopicStatus): string[] {
  const lines = [`${status.topic}: ${status.enabled ? "enabled" : "disabled"} since ${status.updatedAt} → ${status.table}`, `  location  ${status.tableLocation}`];
  const withLag = status.partitions.some((partition) => partition.logEndOffset !== undefined);
  const header = ["partition", "start", "staged up to", "committed up to", ...(withLag ? ["log end", "lag"] : [])];
  const rows = status.partitions.map((partition) => [
    String(partition.partition),
    offsetText(partition.startOffset),
    offsetText(partition.stagedWatermark),
    offsetText(partition.committedOffset),
    ...(withLag ? [offsetText(partition.logEndOffset), offsetText(partition.lag)] : []),
  ]);
  lines.push(...textTable([header, ...rows]).map((line) => `  ${line}`));
  const { backlog } = status;
  lines.push(
    backlog.files === 0
      ? "  staged    nothing waiting for a commit"
      : `  staged    ${backlog.files} file(s), ${backlog.records} record(s), ${backlog.bytes} bytes, oldest ${Math.round((backlog.oldestStagedAgeMs ?? 0) / 1000)} s ago`,
  );
  const snapshot = status.lastSnapshot;
  lines.push(
    snapshot === undefined
      ? "  snapshot  none yet"
      : `  snapshot  ${snapshot.snapshotId.toString()} at ${snapshot.committedAt}: ${snapshot.totalRecords ?? "?"} record(s) in ${snapshot.totalDataFiles ?? "?"} file(s); ${snapshot.snapshots} snapshot(s) in all`,
  );
  if (status.metadataLocation !== undefined) lines.push(`  metadata  ${status.metadataLocation}`);
  const { deadLetters } = status;
  if (deadLetters !== undefined) lines.push(`  dead letters  ${deadLetters.kept} in ${deadLetters.table}, ${deadLetters.replayed} of them replayed (kafka-iceberg-export dead-letters --topic ${status.topic})`);
  return lines;
}

export function topicStatusJson(status: TopicStatus): unknown {
  return JSON.parse(JSON.stringify(status, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))) as unknown;
}

function offsetText(offset: bigint | undefined): string {
  return offset === undefined ? "-" : offset.toString();
}
