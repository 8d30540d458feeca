import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExportRunner } from "../../../lib/runner/export-runner.js";
import type { RunnerProgress } from "../../../lib/runner/runner-progress.js";
import { order } from "../ingest/ingest-harness.js";
import { createRunnerHarness, recordingLogger, type ProducedRecord, type RunnerHarness } from "./runner-harness.js";

const baseTimestamp = Date.UTC(2026, 10, 24, 12, 0, 0);
const garbage = new Uint8Array([7, 1, 2, 3]);

/** 60 records over 3 partitions: keys, null keys, headers, tombstones and a few invalid payloads. */
function mixedRecords(): ProducedRecord[] {
  return Array.from({ length: 60 }, (_, index) => ({
    partition: index % 3,
    key: index % 5 === 0 ? null : `key-${index}`,
    value: index % 17 === 3 ? garbage : index % 13 === 7 ? null : order(index),
    ...(index % 4 === 0 ? { headers: { trace: `t-${index}`, bin: Buffer.from([255, 0, index]) } } : {}),
    timestampMs: baseTimestamp + index * 1_000,
  }));
}

interface ExpectedRow {
  key: { __raw__: string | null };
  id: string | null;
  headers: { key: string; value: string }[];
  timestamp: string;
}

function expectedRow(record: ProducedRecord): ExpectedRow {
  const headers = Object.entries(record.headers ?? {}).map(([key, value]) => ({ key, value: Buffer.from(value as Buffer | string).toString("base64") }));
  return {
    // The key column is a struct; a null key is its __raw__ field left null.
    key: { __raw__: record.key === null ? null : Buffer.from(record.key).toString("base64") },
    id: record.value === null ? null : ((record.value as { id: string }).id),
    headers,
    timestamp: new Date(record.timestampMs).toISOString().replace("Z", "000+00:00"),
  };
}

function actualRow(row: Record<string, unknown>): ExpectedRow {
  return {
    key: row["key"] as ExpectedRow["key"],
    id: (row["val"] as { id?: string } | null)?.id ?? null,
    headers: row["headers"] as ExpectedRow["headers"],
    timestamp: row["timestamp"] as string,
  };
}

const byIdentity = (a: ExpectedRow, b: ExpectedRow): number => a.timestamp.localeCompare(b.timestamp);

describe("the local runner, end to end", () => {
  let harness: RunnerHarness;
  const logger = recordingLogger();
  const progress: RunnerProgress[] = [];
  const produced = mixedRecords();

  beforeAll(async () => {
    harness = await createRunnerHarness();
    await harness.createTopic(3);
    // Produced before export was enabled: never exported.
    await harness.produce([0, 1, 2, 0, 1].map((partition, index) => ({ partition, key: `early-${index}`, value: order(1000 + index), timestampMs: baseTimestamp })));
    await harness.enableAtLogEnd();
    await harness.produce(produced);

    const runner = startExportRunner(harness.runnerOptions(logger, { batchSize: 7, commitFrequencyMs: 1_000, onProgress: (update) => progress.push(update) }));
    await harness.waitForGroupAtLogEnd();
    await runner.stop();
    await runner.finished;
  });
  afterAll(async () => {
    await harness.close();
  });

  it("exports exactly the records produced after enabling, each once, with keys, headers, tombstones and timestamps", async () => {
    const table = await harness.readTable();
    const valid = produced.filter((record) => record.value !== garbage);
    expect(table.rows.map(actualRow).sort(byIdentity)).toEqual(valid.map(expectedRow).sort(byIdentity));
    expect(table.rows.filter((row) => row["val"] === null)).toHaveLength(produced.filter((record) => record.value === null).length);
  });

  it("counts and logs the invalid payloads, never exporting them", () => {
    const invalid = produced.flatMap((record, index) => (record.value === garbage ? [index] : []));
    expect(invalid.length).toBeGreaterThan(2);
    const last = progress.at(-1);
    expect(last).toMatchObject({ invalidRecords: invalid.length, recordsStaged: produced.length - invalid.length, batchesFailed: 0 });
    // The 5 records from before enabling are skipped; a rebalance under load may deliver a
    // staged batch again, which is skipped too.
    expect(last?.recordsSkipped).toBeGreaterThanOrEqual(5);
    expect(last?.recordsConsumed).toBe((last?.recordsStaged ?? 0) + invalid.length + (last?.recordsSkipped ?? 0));
    const invalidLogs = logger.entries.filter((entry) => entry.level === "warn" && entry.attributes?.["reason"] !== undefined);
    expect(invalidLogs.map((entry) => entry.attributes?.["topic"])).toEqual(invalid.map(() => harness.topic));
  });

  it("cuts batches at the batch size, reports progress, and commits in the final round on stop()", () => {
    const staged = progress.filter((update) => update.event === "batch-staged");
    // 65 records in 3 partitions at 7 per event: at least 10 events.
    expect(staged.length).toBeGreaterThanOrEqual(10);
    expect(staged.at(-1)?.lag).toBe(0);
    const last = progress.at(-1);
    expect(last?.event).toBe("commit-round");
    expect(last?.recordsCommitted).toBe(produced.filter((record) => record.value !== garbage).length);
    expect(last?.snapshotsCommitted).toBeGreaterThanOrEqual(1);
    expect(last?.commitFailures).toBe(0);
  });

  it("leaves the group's offsets at the log end", async () => {
    expect(await harness.groupOffsets()).toEqual(await harness.logEndOffsets());
  });
});
