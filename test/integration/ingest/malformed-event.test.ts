// Malformed events through ingest on moto (S3, DynamoDB, Glue), committed and read back by
// pyiceberg: a wrong event structure is refused before anything is staged; a malformed
// record is skipped, counted and logged with topic, partition, offset and reason, the
// partition moves past it, and every valid record lands exactly once (docs/deploy.md,
// "How ingest treats a malformed event").
import { beforeAll, describe, expect, it } from "vitest";
import { ingestKafkaBatch } from "../../../lib/ingest/ingest-batch.js";
import { parseKafkaEvent } from "../../../lib/kafka/lambda-event.js";
import { createCommitHarness, expectedOrderIds, orderIds, type CommitHarness } from "../commit/commit-harness.js";
import { order, type EventRecord } from "./ingest-harness.js";

type EventRecordJson = Record<string, unknown>;

describe("a malformed event through ingest", () => {
  let harness: CommitHarness;
  beforeAll(async () => {
    harness = await createCommitHarness();
  });

  function eventWith(records: EventRecord[], change: (records: EventRecordJson[]) => void): unknown {
    const event = harness.event(0, records) as { records: Record<string, EventRecordJson[]> };
    change(event.records[`${harness.topic}-0`] ?? []);
    return event;
  }

  function ingest(event: unknown) {
    return ingestKafkaBatch(parseKafkaEvent(event), harness.context);
  }

  const valid = (from: number, to: number): EventRecord[] => Array.from({ length: to - from + 1 }, (_, index) => ({ offset: from + index, value: order(from + index) }));

  it("refuses an event whose structure is wrong, staging nothing", async () => {
    const broken = { eventSource: "aws:kafka", records: { [`${harness.topic}-0`]: { offset: 0 } } };
    expect(() => parseKafkaEvent(broken)).toThrow(expect.objectContaining({ code: "INVALID_EVENT", retryable: false }));
    expect(() => parseKafkaEvent({ eventSource: "aws:kafka", records: { [harness.topic]: [] } })).toThrow(/is not "<topic>-<partition>"/);
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 0)).toBeUndefined();
  });

  it("skips and counts each malformed record, stages the valid ones once, and moves the watermark past them all", async () => {
    const event = eventWith(valid(0, 14), (records) => {
      const at = (offset: number): EventRecordJson => records.find((record) => record["offset"] === offset) ?? {};
      records.push({ ...at(3) }); // an exact duplicate: collapses
      records.push({ ...at(5), value: Buffer.from("another value").toString("base64") }); // a different record at offset 5: both skipped
      at(10)["key"] = "not base64!";
      at(11)["partition"] = 1;
      at(12)["topic"] = "another-topic";
      records.push({ ...at(13), offset: "soon" });
      at(14)["value"] = "a=bc";
    });

    const outcome = await ingest(event);
    expect(outcome.totals).toMatchObject({ recordsIn: 18, recordsExported: 10, invalidRecords: 7, skippedAlreadyStaged: 1, filesStaged: 1 });
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 0)).toBe(14n);

    const warnings = harness.logs.filter((log) => log.message === "skipped a malformed record of the event");
    expect(warnings.map((log) => [log.attributes?.["offset"], log.attributes?.["partition"], log.attributes?.["topic"]])).toEqual(
      expect.arrayContaining([
        ["10", 0, harness.topic],
        ["11", 0, harness.topic],
        ["12", 0, harness.topic],
        ["14", 0, harness.topic],
        ["5", 0, harness.topic],
        ["unknown", 0, harness.topic],
      ]),
    );
    const reasons = warnings.map((log) => String(log.attributes?.["reason"]));
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\.key is not valid base64$/),
        expect.stringMatching(/\.partition 1 disagrees with its group's partition 0$/),
        expect.stringMatching(/\.topic "another-topic" disagrees/),
        expect.stringMatching(/\.value is not valid base64$/),
        expect.stringMatching(/holds 2 different records at offset 5$/),
        expect.stringMatching(/\.offset is not a non-negative integer: "soon"$/),
      ]),
    );

    // The same event again (the event source redelivers): nothing new, nothing counted twice
    // but the record that has no offset to place it by.
    const again = await ingest(event);
    expect(again.totals).toMatchObject({ recordsIn: 18, recordsExported: 0, invalidRecords: 1, filesStaged: 0, skippedAlreadyStaged: 17 });

    // A batch of nothing but malformed records past the watermark still moves it: never stuck.
    const onlyBad = eventWith(valid(15, 16), (records) => {
      for (const record of records) record["value"] = "%%%";
    });
    expect((await ingest(onlyBad)).totals).toMatchObject({ recordsExported: 0, invalidRecords: 2, filesStaged: 0 });
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 0)).toBe(16n);

    await ingest(harness.event(0, valid(17, 19)));
    await harness.commit();
    const readout = await harness.readTable();
    const expected = [...expectedOrderIds([0, 4], [6, 9], [13, 13], [17, 19])];
    expect(orderIds(readout)).toEqual(expected.sort());
  }, 180_000);
});
