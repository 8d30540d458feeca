// The group's offsets move only after ingest staged the records: a failing ingest leaves
// them where they were, and the records are staged once ingest recovers.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it } from "vitest";
import { createS3ObjectStore } from "../../../lib/adapters/aws/s3-object-store.js";
import { exportStartOffsets, ingestEventsWith } from "../../../lib/runner/export-pipeline.js";
import { startExportRunner, type ExportRunner } from "../../../lib/runner/export-runner.js";
import type { RunnerProgress } from "../../../lib/runner/runner-progress.js";
import { awsTestClientConfig } from "../../env/aws.js";
import { uniqueName } from "../../env/unique-name.js";
import { closedPortEndpoint } from "../adapters/aws/closed-port.js";
import { expectedOrderIds, orderIds } from "../commit/commit-harness.js";
import { order } from "../ingest/ingest-harness.js";
import { createRunnerHarness, recordingLogger, type RunnerHarness } from "./runner-harness.js";

const timestampMs = Date.UTC(2026, 10, 24, 12, 0, 0);

async function produceOrders(harness: RunnerHarness, count: number, partitions: number): Promise<void> {
  await harness.produce(Array.from({ length: count }, (_, index) => ({ partition: index % partitions, key: `key-${index}`, value: order(index), timestampMs })));
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("consumer offsets of the local runner", () => {
  const harnesses: RunnerHarness[] = [];
  const runners: ExportRunner[] = [];
  afterEach(async () => {
    await Promise.allSettled(runners.splice(0).map((runner) => runner.stop()));
    await Promise.allSettled(harnesses.splice(0).map((harness) => harness.close()));
  });

  async function newHarness(partitions: number): Promise<RunnerHarness> {
    const harness = await createRunnerHarness();
    harnesses.push(harness);
    await harness.createTopic(partitions);
    return harness;
  }

  it("stay put while staging fails (S3 unreachable), and move once the records are staged after recovery", async () => {
    const harness = await newHarness(2);
    await harness.enableAtLogEnd();
    await produceOrders(harness, 10, 2);
    const logger = recordingLogger();
    const unreachable = new S3Client({ ...awsTestClientConfig(await closedPortEndpoint()), maxAttempts: 1 });
    const failing = ingestEventsWith({ ...harness.context, objectStore: createS3ObjectStore({ client: unreachable }), logger });
    const working = ingestEventsWith({ ...harness.context, logger });
    let s3Reachable = false;
    const progress: RunnerProgress[] = [];
    const runner = startExportRunner(
      harness.runnerOptions(logger, {
        ingest: (event) => (s3Reachable ? working(event) : failing(event)),
        retryBaseDelayMs: 50,
        retryMaxDelayMs: 200,
        commitFrequencyMs: 500,
        onProgress: (update) => progress.push(update),
      }),
    );
    runners.push(runner);

    const retries = (): Record<string, unknown>[] => logger.entries.filter((entry) => entry.message.startsWith("batch not staged")).map((entry) => entry.attributes ?? {});
    await waitFor(() => [0, 1].every((partition) => retries().filter((retry) => retry["partition"] === partition).length >= 3), "three failed attempts on each partition");
    // Every attempt delivered the same records again, from the partition's first offset.
    for (const partition of [0, 1]) {
      const attempts = retries().filter((retry) => retry["partition"] === partition);
      expect(attempts.map((retry) => retry["firstOffset"])).toEqual(attempts.map(() => "0"));
      expect(attempts.slice(0, 3).map((retry) => retry["attempt"])).toEqual([1, 2, 3]);
      expect(attempts[0]?.["error"]).toMatchObject({ code: "STORAGE_UNAVAILABLE", retryable: true });
    }
    expect(await harness.groupOffsets()).toEqual({ 0: -1n, 1: -1n });
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toEqual([]);
    expect(progress.filter((update) => update.event === "batch-staged")).toEqual([]);

    s3Reachable = true;
    await harness.waitForGroupAtLogEnd();
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 0)).toBe(4n);
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 1)).toBe(4n);
    await runner.stop();
    await expect(runner.finished).resolves.toBeUndefined();
    expect(progress.at(-1)).toMatchObject({ recordsStaged: 10, recordsConsumed: 10 });
    expect(progress.at(-1)?.batchesFailed).toBeGreaterThanOrEqual(6);
    expect(orderIds(await harness.readTable())).toEqual(expectedOrderIds([0, 9]));
  });

  it("stay put when staging fails for good (no such bucket): the runner stops with the error, and a new runner of the group stages the records", async () => {
    const harness = await newHarness(1);
    const missingBucket = uniqueName("missing");
    const topicExport = await harness.enableTopic(await harness.logEndOffsets());
    await harness.context.stateStore.putTopicExport({ ...topicExport, tableLocation: `s3://${missingBucket}/warehouse/kafka/${topicExport.table.name}` });
    await produceOrders(harness, 6, 1);
    const logger = recordingLogger();

    const failed = startExportRunner(harness.runnerOptions(logger, { commitFrequencyMs: 500 }));
    runners.push(failed);
    await expect(failed.finished).rejects.toMatchObject({ code: "INTERNAL", retryable: false, message: expect.stringContaining(missingBucket) as unknown });
    // The error is reported once, by whoever awaits `finished`; the runner does not log it too.
    expect(logger.entries.filter((entry) => entry.level === "error")).toEqual([]);
    expect(await harness.groupOffsets()).toEqual({ 0: -1n });
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toEqual([]);

    await harness.s3.send(new CreateBucketCommand({ Bucket: missingBucket }));
    const progress: RunnerProgress[] = [];
    const recovered = startExportRunner(harness.runnerOptions(logger, { commitFrequencyMs: 500, onProgress: (update) => progress.push(update) }));
    runners.push(recovered);
    await harness.waitForGroupAtLogEnd();
    await recovered.stop();
    await expect(recovered.finished).resolves.toBeUndefined();
    expect(progress.at(-1)).toMatchObject({ recordsStaged: 6, recordsCommitted: 6 });
    const table = await harness.readTable();
    expect(table.location).toBe(`s3://${missingBucket}/warehouse/kafka/${topicExport.table.name}`);
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 5]));
  });

  it("of a new group start at the export's start offsets when given, so what precedes them is never read", async () => {
    const harness = await newHarness(2);
    await produceOrders(harness, 6, 2);
    const startOffsets = await harness.enableAtLogEnd();
    expect(startOffsets).toEqual({ 0: 3n, 1: 3n });
    await harness.produce([0, 1, 2, 3].map((index) => ({ partition: index % 2, key: `key-${index}`, value: order(100 + index), timestampMs })));
    const progress: RunnerProgress[] = [];
    const runner = startExportRunner(
      harness.runnerOptions(recordingLogger(), { startOffsets: exportStartOffsets(harness.context.stateStore), commitFrequencyMs: 500, onProgress: (update) => progress.push(update) }),
    );
    runners.push(runner);
    await harness.waitForGroupAtLogEnd();
    await runner.stop();
    await runner.finished;
    expect(progress.at(-1)).toMatchObject({ recordsConsumed: 4, recordsSkipped: 0, recordsStaged: 4, recordsCommitted: 4 });
    expect(orderIds(await harness.readTable())).toEqual(expectedOrderIds([100, 103]));
  });

  it("refuses a topic the cluster does not have, naming it", async () => {
    const harness = await newHarness(1);
    const absent = uniqueName("absent");
    const runner = startExportRunner(harness.runnerOptions(recordingLogger(), { topics: [harness.topic, absent] }));
    runners.push(runner);
    await expect(runner.finished).rejects.toMatchObject({ code: "NOT_FOUND", message: `topic(s) not on the Kafka cluster: ${absent}` });
  });

  it("fails with an error naming the brokers when the cluster cannot be reached", async () => {
    const harness = await newHarness(1);
    const unreachable = new URL(await closedPortEndpoint()).host;
    const runner = startExportRunner(harness.runnerOptions(recordingLogger(), { kafka: { ...harness.kafkaSettings, brokers: [unreachable], connectionTimeoutMs: 1_000 } }));
    runners.push(runner);
    await expect(runner.finished).rejects.toMatchObject({ code: "KAFKA_UNAVAILABLE", retryable: true, message: expect.stringContaining(`could not join consumer group ${harness.groupId} on brokers ${unreachable}: `) as unknown });
  });
});
