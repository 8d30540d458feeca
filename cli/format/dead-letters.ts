// `dead-letters` and `replay` output: counts and positions for people; the bytes (base64)
// only when asked, since they are whatever a producer wrote, secrets included.
import type { DeadLetterReport, ReportedDeadLetter } from "../../lib/dead-letters/dead-letter-report.js";
import type { ReplayOutcome } from "../../lib/dead-letters/replay-dead-letters.js";
import { textTable } from "./text-table.js";

export function formatDeadLetterReport(topic: string, report: DeadLetterReport, options: { showBytes: boolean }): string[] {
  if (!report.exists) return [`${topic}: no dead-letter table (${report.table}) yet: enable --dead-letters keeps the records it cannot export`];
  const pending = report.byReason.reduce((sum, count) => sum + count.kept - count.replayed, 0);
  const lines = [`${topic}: ${report.total} dead letter(s) in ${report.table}, ${pending} not replayed`];
  if (report.total === 0) return lines;
  lines.push(...textTable([["reason", "kept", "replayed"], ...report.byReason.map((count) => [count.reason, String(count.kept), String(count.replayed)])]).map((line) => `  ${line}`));
  lines.push("  latest:");
  const rows = report.latest.map((deadLetter) => [String(deadLetter.partition), deadLetter.offset.toString(), deadLetter.reason, new Date(deadLetter.rejectedAtMs).toISOString(), deadLetter.replayed ? "yes" : "no", deadLetter.detail]);
  lines.push(...textTable([["partition", "offset", "reason", "rejected at", "replayed", "detail"], ...rows]).map((line) => `    ${line}`));
  if (options.showBytes) for (const deadLetter of report.latest) lines.push(...bytesLines(deadLetter));
  if (report.lastReplay !== undefined) lines.push(`  last replay: ${report.lastReplay}`);
  return lines;
}

export function deadLetterReportJson(report: DeadLetterReport, options: { showBytes: boolean }): unknown {
  return {
    table: report.table,
    exists: report.exists,
    total: report.total,
    byReason: report.byReason,
    latest: report.latest.map((deadLetter) => ({
      partition: deadLetter.partition,
      offset: deadLetter.offset.toString(),
      reason: deadLetter.reason,
      detail: deadLetter.detail,
      schemaId: deadLetter.schemaId,
      rejectedAt: new Date(deadLetter.rejectedAtMs).toISOString(),
      replayed: deadLetter.replayed,
      ...(options.showBytes ? bytesJson(deadLetter) : {}),
    })),
    lastReplay: report.lastReplay === undefined ? null : parsedOrText(report.lastReplay),
  };
}

// The property is ours, but a table property anyone can set: shown as text when it is not JSON.
function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function formatReplayOutcome(topic: string, outcome: ReplayOutcome): string[] {
  const lines = [
    `${topic}: ${outcome.replayed} dead letter(s) replayed into the table${outcome.snapshotId === undefined ? "" : ` (snapshot ${outcome.snapshotId.toString()})`}; ${outcome.alreadyReplayed} replayed before; ${outcome.stillFailing.length} still fail; ${outcome.notReplayable} cannot be replayed (malformed-event, timestamp) of ${outcome.chosen} chosen`,
  ];
  for (const failure of outcome.stillFailing.slice(0, 20)) lines.push(`  still fails: partition ${failure.partition} offset ${failure.offset.toString()}: ${failure.reason}: ${failure.detail}`);
  if (outcome.stillFailing.length > 20) lines.push(`  … and ${outcome.stillFailing.length - 20} more`);
  return lines;
}

export function replayOutcomeJson(outcome: ReplayOutcome): unknown {
  return JSON.parse(JSON.stringify(outcome, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))) as unknown;
}

function bytesLines(deadLetter: ReportedDeadLetter): string[] {
  const { key, value, headers } = bytesJson(deadLetter);
  return [`    ${deadLetter.partition}@${deadLetter.offset.toString()} key ${key ?? "null"} value ${value ?? "null"} headers ${JSON.stringify(headers)}`];
}

function bytesJson(deadLetter: ReportedDeadLetter): { key: string | null; value: string | null; headers: { key: string | null; value: string | null }[] } {
  return { key: base64(deadLetter.key), value: base64(deadLetter.value), headers: deadLetter.headers.map((header) => ({ key: header.key, value: base64(header.value) })) };
}

function base64(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
