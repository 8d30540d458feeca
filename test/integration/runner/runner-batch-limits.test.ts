// The local runner on the embedded default against the real broker (issue 11): a batch
// touching 300 hourly table partitions, delivered again to a second consumer group, and
// records too big for one Lambda invocation payload (5 MB and 7 MB values, 6.7 and 9.3 MB
// in the event's base64) among normal ones — every record exported once, no topic stopped.
import { afterAll, describe, expect, it } from "vitest";
import { ExportError } from "../../../lib/core/errors.js";
import { startExportRunner } from "../../../lib/runner/export-runner.js";
import { uniqueName } from "../../env/unique-name.js";
import { expectedOrderIds, orderIds } from "../commit/commit-harness.js";
import { order } from "../ingest/ingest-harness.js";
import { createRunnerHarness, recordingLogger, type RunnerHarness } from "./runner-harness.js";

const hourMs = 3_600_000;
const firstHour = Date.UTC(2026, 0, 1);
const harnesses: RunnerHarness[] = [];
afterAll(async () => {
  await Promise.all(harnesses.map((harness) => harness.close()));
});

async function localHarness(): Promise<RunnerHarness> {
  const harness = await createRunnerHarness({ storage: "local" });
  harnesses.push(harness);
  return harness;
}

async function runToLogEnd(harness: RunnerHarness, groupId: string, logger = recordingLogger()): Promise<void> {
  const runner = startExportRunner(harness.runnerOptions(logger, { groupId, commitFrequencyMs: 1_000 }));
  try {
    await harness.waitForGroupAtLogEnd(groupId, 180_000);
  } finally {
    await runner.stop();
  }
  await runner.finished;
}

describe("the local runner and batch limits", () => {
  it("stages a batch touching 300 hourly partitions at once, and a redelivery to another group adds nothing", { timeout: 600_000 }, async () => {
    const harness = await localHarness();
    await harness.createTopic(1);
    await harness.enableAtLogEnd();
    const topicExport = await harness.context.stateStore.topicExport(harness.topic);
    if (topicExport === undefined) throw new ExportError("INTERNAL", "the harness did not enable its topic");
    await harness.context.stateStore.putTopicExport({ ...topicExport, partitioning: "hour" });
    await harness.produce(Array.from({ length: 300 }, (_, index) => ({ partition: 0, key: `k-${index}`, value: order(index), timestampMs: firstHour + index * hourMs })));

    await runToLogEnd(harness, harness.groupId);
    // Another group reads the whole log again: the event source's redelivery, at its worst.
    await runToLogEnd(harness, uniqueName("redelivery-group"));

    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 299]));
    expect(table["partition-spec"].map((field) => field.transform)).toEqual(["hour"]);
    expect(new Set(table["data-files"].map((file) => JSON.stringify(file.partition))).size).toBe(300);
  });

  it("exports 5 MB and 7 MB records among normal ones, each once, in events of their own, and keeps going", { timeout: 600_000 }, async () => {
    const harness = await localHarness();
    // The broker's default limit is 1 MB a record batch; this topic takes bigger ones.
    await harness.admin.createTopics({ topics: [{ topic: harness.topic, numPartitions: 1, configEntries: [{ name: "max.message.bytes", value: String(16 * 1024 * 1024) }] }], waitForLeaders: true });
    await harness.enableAtLogEnd();
    const big = { 2: 5 * 1024 * 1024, 5: 7 * 1024 * 1024 } as Record<number, number>;
    for (let index = 0; index < 8; index++) {
      const size = big[index];
      // One send each: a producer request holds records of one size class.
      await harness.produce([{ partition: 0, key: `k-${index}`, value: order(index, size === undefined ? {} : { tags: ["x".repeat(size)] }), timestampMs: firstHour + index }]);
    }
    const logger = recordingLogger();
    await runToLogEnd(harness, harness.groupId, logger);

    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 7]));
    const tagLengths = Object.fromEntries(
      table.rows.map((row) => {
        const val = row["val"] as { id: string; tags: string[] };
        return [val.id, val.tags[0]?.length];
      }),
    );
    expect(tagLengths).toMatchObject({ "order-2": big[2], "order-5": big[5], "order-3": 2 });
    const oversize = logger.entries.filter((entry) => entry.level === "warn" && entry.message.includes("over the invocation payload limit"));
    expect(oversize.map((entry) => entry.attributes?.["offset"])).toEqual(["2", "5"]);
    expect(logger.entries.filter((entry) => entry.level === "error")).toEqual([]);
  });
});
