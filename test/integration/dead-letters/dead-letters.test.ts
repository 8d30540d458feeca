// Dead letters end to end, on moto (S3, Glue, DynamoDB) and on the embedded default (local
// warehouse, file catalog, local state), every table read back by pyiceberg and Iceberg-Java:
// a batch with invalid records of several kinds keeps them, exact bytes and reason, in
// <table>__dead_letters, once however often it is redelivered; after a schema fix `replay`
// brings exactly those that now decode into the table, once — run again, after a crash on
// either side of its commit, or twice at once. Without the option nothing of this happens.
import { describe, expect, it } from "vitest";
import type { Catalog } from "../../../lib/catalog/catalog.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { deadLetterReport } from "../../../lib/dead-letters/dead-letter-report.js";
import { deadLetterTableIdentifier, deadLetterTableKey } from "../../../lib/dead-letters/dead-letter-table.js";
import { lastReplayProperty, replayDeadLetters, type ReplayContext, type ReplayRequest } from "../../../lib/dead-letters/replay-dead-letters.js";
import { replayedOffsetsProperty } from "../../../lib/dead-letters/replayed-offsets.js";
import { ingestKafkaBatch } from "../../../lib/ingest/ingest-batch.js";
import { maintainTables } from "../../../lib/maintenance/maintain-tables.js";
import { parseKafkaEvent } from "../../../lib/kafka/lambda-event.js";
import { encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { tableSchemaCacheFor } from "../../../lib/runtime/ingest-runtime.js";
import type { TopicExport } from "../../../lib/state/state-store.js";
import { readIcebergTable, type IcebergTableReadout } from "../../env/iceberg-reader.js";
import { createCommitHarness, expectedOrderIds, orderIds, type CommitHarness } from "../commit/commit-harness.js";
import { order, orderSchemaText, registerSchema, type EventRecord } from "../ingest/ingest-harness.js";

type EventRecordJson = Record<string, unknown>;

/** A Customer whose name is not UTF-8: no message of the first schema, where it is a string; fine once it is bytes. */
const badName = Uint8Array.of(0xc3, 0x28);

describe.each(["local", "aws"] as const)("dead letters (%s storage)", (storage) => {
  async function topicExportOf(harness: CommitHarness): Promise<TopicExport> {
    const topicExport = await harness.context.stateStore.topicExport(harness.topic);
    if (topicExport === undefined) throw new Error(`${harness.topic} has no export record`);
    return topicExport;
  }

  async function harnessKeepingDeadLetters(): Promise<CommitHarness> {
    const harness = await createCommitHarness({ storage });
    await harness.context.stateStore.putTopicExport({ ...(await topicExportOf(harness)), deadLetters: true });
    return harness;
  }

  function frame(harness: CommitHarness, payload: Uint8Array): Uint8Array {
    return encodeConfluentFrame(harness.schemaId, [0], payload);
  }

  function orderPayload(harness: CommitHarness, offset: number): Uint8Array {
    return harness.orderType.encode(harness.orderType.fromObject(order(offset))).finish();
  }

  function badNamePayload(harness: CommitHarness, offset: number): Uint8Array {
    const id = harness.orderType.encode(harness.orderType.fromObject({ id: `order-${offset}` })).finish();
    // Field 7 (customer), length 4: field 1 (name), length 2, the bytes.
    return Uint8Array.from([...id, 0x3a, 4, 0x0a, 2, ...badName]);
  }

  /** Offsets 0-4, 9 and 12 valid; 5 wrong magic byte, 6 truncated, 7, 10 and 11 a wrong message, 8 bad base64. */
  function invalidBatch(harness: CommitHarness): { event: unknown; bytes: Map<number, Uint8Array> } {
    const wrongMagic = frame(harness, orderPayload(harness, 5));
    wrongMagic[0] = 0x01;
    const truncatedFrame = frame(harness, orderPayload(harness, 6));
    const records: EventRecord[] = [
      ...[0, 1, 2, 3, 4, 9, 12].map((offset) => ({ offset, value: order(offset) })),
      { offset: 5, value: wrongMagic, key: null, headers: [{ trace: [1, 2, 255] }] },
      { offset: 6, value: truncatedFrame.subarray(0, truncatedFrame.length - 3) },
      ...[7, 10, 11].map((offset) => ({ offset, value: frame(harness, badNamePayload(harness, offset)) })),
      { offset: 8, value: order(8) },
    ];
    const event = harness.event(0, records) as { records: Record<string, EventRecordJson[]> };
    const group = event.records[`${harness.topic}-0`] ?? [];
    const record8 = group.find((record) => record["offset"] === 8) ?? {};
    record8["value"] = "not base64!";
    const bytes = new Map<number, Uint8Array>([
      [5, wrongMagic],
      [6, truncatedFrame.subarray(0, truncatedFrame.length - 3)],
      ...[7, 10, 11].map((offset): [number, Uint8Array] => [offset, frame(harness, badNamePayload(harness, offset))]),
      [8, new TextEncoder().encode(JSON.stringify(record8))],
    ]);
    return { event, bytes };
  }

  function readDeadLetterTable(harness: CommitHarness): Promise<IcebergTableReadout> {
    const name = deadLetterTableIdentifier({ namespace: "kafka", name: harness.glueTable.table }).name;
    return readIcebergTable(harness.config.catalog.type === "local" ? { catalog: "local", tableLocation: `${harness.tableLocation}__dead_letters` } : { catalog: "glue", ...harness.glueTable, table: name });
  }

  function replayContext(harness: CommitHarness, catalog?: Catalog): ReplayContext {
    const commit = harness.commitContext();
    return { catalog: catalog ?? commit.catalog, objectStore: commit.objectStore, logger: silentLogger, now: Date.now, schemas: tableSchemaCacheFor(harness.config, commit.stateStore, Date.now), backoff: () => Promise.resolve() };
  }

  async function replay(harness: CommitHarness, request: ReplayRequest, catalog?: Catalog) {
    return replayDeadLetters(await topicExportOf(harness), request, replayContext(harness, catalog));
  }

  it(
    "keeps invalid records with their reason and exact bytes, once; replays those a schema fix decodes, exactly once",
    async () => {
      const harness = await harnessKeepingDeadLetters();
      const { event, bytes } = invalidBatch(harness);
      const first = await ingestKafkaBatch(parseKafkaEvent(event), harness.context);
      expect(first.totals).toMatchObject({ recordsExported: 7, invalidRecords: 6, deadLettersWritten: 6, filesStaged: 1 });
      // Redelivered, before and after the commit: no dead letter twice.
      expect((await ingestKafkaBatch(parseKafkaEvent(event), harness.context)).totals).toMatchObject({ recordsExported: 0, deadLettersWritten: 0, skippedAlreadyStaged: 13 });
      const round = await harness.commit();
      expect(round.failures).toEqual([]);
      expect(round.tables.map((table) => [table.table, table.status, table.recordsCommitted]).sort()).toEqual([
        [deadLetterTableKey(await topicExportOf(harness)), "committed", 6],
        [harness.table, "committed", 7],
      ].sort());
      expect((await ingestKafkaBatch(parseKafkaEvent(event), harness.context)).totals).toMatchObject({ deadLettersWritten: 0 });
      await harness.commit();

      expect(orderIds(await harness.readTable())).toEqual(expectedOrderIds([0, 4], [9, 9], [12, 12]));
      const deadLetters = await readDeadLetterTable(harness);
      const rows = deadLetters.rows.sort((a, b) => Number(a["offset"]) - Number(b["offset"]));
      expect(rows.map((row) => [row["topic"], row["partition"], row["offset"], row["reason"], row["schema_id"]])).toEqual([
        [harness.topic, 0, 5, "wire-format", null],
        [harness.topic, 0, 6, "payload", harness.schemaId],
        [harness.topic, 0, 7, "payload", harness.schemaId],
        [harness.topic, 0, 8, "malformed-event", null],
        [harness.topic, 0, 10, "payload", harness.schemaId],
        [harness.topic, 0, 11, "payload", harness.schemaId],
      ]);
      for (const row of rows) expect(row["value"], `value of offset ${String(row["offset"])}`).toBe(Buffer.from(bytes.get(Number(row["offset"])) ?? []).toString("base64"));
      expect(rows[0]).toMatchObject({ key: null, headers: [{ key: "trace", value: Buffer.from([1, 2, 255]).toString("base64") }], detail: expect.stringMatching(/wrong magic byte 0x01/) as unknown });
      expect(rows[1]).toMatchObject({ key: Buffer.from("key-6").toString("base64"), headers: [], detail: expect.stringMatching(/truncated/) as unknown });
      expect(rows[2]?.["detail"]).toMatch(/UTF-8/);
      expect(rows[3]?.["detail"]).toMatch(/\.value is not valid base64/);
      expect(String(rows[1]?.["timestamp"])).toMatch(/^2026-11-24T12:00:00\.006/);

      // The fix: Customer.name becomes bytes. 7 now decodes; 5 and 6 still fail; 8 is never replayed.
      await registerSchema(harness.registryUrl, `${harness.topic}-value`, orderSchemaText.replace("    string name = 1;", "    bytes name = 1;"));
      const replayed = await replay(harness, { fromOffset: 0n, toOffset: 7n });
      expect(replayed).toMatchObject({ chosen: 3, replayed: 1, alreadyReplayed: 0, notReplayable: 0 });
      expect(replayed.stillFailing.map((failure) => [failure.offset, failure.reason])).toEqual([
        [5n, "wire-format"],
        [6n, "payload"],
      ]);
      let table = await harness.readTable();
      expect(orderIds(table)).toEqual(expectedOrderIds([0, 4], [7, 7], [9, 9], [12, 12]));
      const seventh = table.rows.find((row) => (row["val"] as { id: string }).id === "order-7");
      expect(seventh).toMatchObject({ val: { customer: { name: Buffer.from(badName).toString("base64") } }, key: { __raw__: Buffer.from("key-7").toString("base64") } });
      expect(table.properties[replayedOffsetsProperty]).toBe(JSON.stringify({ [harness.topic]: { "0": "7" } }));
      // The watermark the commits rest on is untouched: the replay's snapshot records only its own offsets.
      expect(table.properties["kafka-iceberg-export.offsets"]).toBe(JSON.stringify({ [harness.topic]: { "0": "12" } }));
      let marked = await readDeadLetterTable(harness);
      expect(marked.properties[replayedOffsetsProperty]).toBe(JSON.stringify({ [harness.topic]: { "0": "7" } }));
      expect(JSON.parse(marked.properties[lastReplayProperty] ?? "{}")).toMatchObject({ replayed: 1, stillFailing: 2, failures: [{ offset: "5", reason: "wire-format" }, { offset: "6", reason: "payload" }] });
      expect(marked.rows).toHaveLength(6);

      // Again: nothing more.
      expect(await replay(harness, { fromOffset: 0n, toOffset: 7n })).toMatchObject({ replayed: 0, alreadyReplayed: 1 });

      // A crash after the table's commit landed, before the dead-letter table was marked; the rerun only marks it.
      const commit = harness.commitContext();
      const crashAfterCommit: Catalog = {
        ...commit.catalog,
        commitTable: async (base, metadata) => {
          const committed = await commit.catalog.commitTable(base, metadata);
          if (base.identifier.name === harness.glueTable.table) throw new Error("the process died right after the commit");
          return committed;
        },
      };
      await expect(replay(harness, { fromOffset: 10n, toOffset: 10n }, crashAfterCommit)).rejects.toThrow(/died right after the commit/);
      expect((await readDeadLetterTable(harness)).properties[replayedOffsetsProperty]).toBe(JSON.stringify({ [harness.topic]: { "0": "7" } }));
      expect(await replay(harness, { fromOffset: 10n, toOffset: 10n })).toMatchObject({ replayed: 0, alreadyReplayed: 1 });
      expect((await readDeadLetterTable(harness)).properties[replayedOffsetsProperty]).toBe(JSON.stringify({ [harness.topic]: { "0": "7,10" } }));

      // A crash before the commit, with the data file written; the rerun replays once.
      const crashBeforeCommit: Catalog = { ...commit.catalog, commitTable: () => Promise.reject(new Error("the process died before the commit")) };
      await expect(replay(harness, { reason: "payload" }, crashBeforeCommit)).rejects.toThrow(/died before the commit/);
      // Two at once: one appends offset 11, the other finds it replayed.
      const [a, b] = await Promise.all([replay(harness, { reason: "payload" }), replay(harness, { reason: "payload" })]);
      expect(a.replayed + b.replayed).toBe(1);
      expect(a.alreadyReplayed + b.alreadyReplayed).toBe(5);

      table = await harness.readTable();
      expect(orderIds(table)).toEqual(expectedOrderIds([0, 4], [7, 7], [9, 12]));
      expect(table.properties[replayedOffsetsProperty]).toBe(JSON.stringify({ [harness.topic]: { "0": "7,10-11" } }));
      marked = await readDeadLetterTable(harness);
      expect(marked.properties[replayedOffsetsProperty]).toBe(JSON.stringify({ [harness.topic]: { "0": "7,10-11" } }));
      expect(marked.rows).toHaveLength(6);

      // A commit after the replays appends what is staged as before, and never the replayed rows again.
      await ingestKafkaBatch(parseKafkaEvent(harness.event(0, [13, 14].map((offset) => ({ offset, value: order(offset) })))), harness.context);
      await harness.commit();
      expect(orderIds(await harness.readTable())).toEqual(expectedOrderIds([0, 4], [7, 7], [9, 14]));

      const report = await deadLetterReport(await topicExportOf(harness), harness.commitContext());
      expect(report).toMatchObject({ exists: true, total: 6 });
      expect(report.byReason).toEqual([
        { reason: "payload", kept: 4, replayed: 3 },
        { reason: "malformed-event", kept: 1, replayed: 0 },
        { reason: "wire-format", kept: 1, replayed: 0 },
      ]);

      // Maintenance covers the dead-letter table too; the orphan scan takes what the crashed replay left.
      const pass = await maintainTables({
        ...harness.commitContext(),
        parts: { expireSnapshots: true, removeOrphans: true, compact: true },
        compaction: { targetFileSizeBytes: 64 * 1024 * 1024, quietPeriodMs: 0, minOpenPartitionFiles: 2, maxInputBytes: 1024 * 1024 * 1024 },
        orphanMinAgeMs: 0,
      });
      expect(pass.failures).toEqual([]);
      expect(pass.tables.map((maintained) => maintained.table).sort()).toEqual([harness.table, deadLetterTableKey(await topicExportOf(harness))].sort());
      expect(pass.tables.find((maintained) => maintained.table === harness.table)?.orphans?.removed.length).toBeGreaterThan(0);
      expect(orderIds(await harness.readTable())).toEqual(expectedOrderIds([0, 4], [7, 7], [9, 14]));
      expect((await readDeadLetterTable(harness)).rows).toHaveLength(6);
    },
    600_000,
  );

  it(
    "off by default: invalid records are skipped and counted, and no dead-letter table appears",
    async () => {
      const harness = await createCommitHarness({ storage });
      const { event } = invalidBatch(harness);
      const outcome = await ingestKafkaBatch(parseKafkaEvent(event), harness.context);
      expect(outcome.totals).toMatchObject({ recordsExported: 7, invalidRecords: 6, deadLettersWritten: 0 });
      const round = await harness.commit();
      expect(round.tables.map((table) => table.table)).toEqual([harness.table]);
      const topicExport = await topicExportOf(harness);
      expect(await harness.commitContext().catalog.loadTable(deadLetterTableIdentifier(topicExport.table))).toBeUndefined();
      expect(await harness.context.stateStore.stagedFiles(deadLetterTableKey(topicExport))).toEqual([]);
      expect(orderIds(await harness.readTable())).toEqual(expectedOrderIds([0, 4], [9, 9], [12, 12]));
    },
    300_000,
  );
});
