// The local runner (SPEC.md §6): a kafkajs consumer feeds `ingest` the same self-managed
// Kafka event the Lambda event source mapping delivers, batched under the same limits, and
// a timer runs commit rounds. As with the event source, nothing is acknowledged that is not
// staged: the group's offset of a partition moves only after `ingest` resolved for its
// records; a retryable failure is logged, backed off and the same records are delivered
// again (the staged watermark makes the redelivery harmless); any other failure stops the
// runner with that error, and so does a missing state store (STATE_STORE_MISSING): retrying
// cannot bring it back, and the batch stays unacknowledged for the recovery (docs/deploy.md).
import type { Admin, ConsumerConfig, EachBatchPayload, Kafka } from "kafkajs";
import { createKafkaClient, isKafkaRetriable, kafkaErrorOf } from "../adapters/kafka/kafkajs-client.js";
import { eventRecordOfMessage } from "../adapters/kafka/kafkajs-event-record.js";
import type { CommitRoundOutcome } from "../commit/commit-all.js";
import { ExportError, isRetryable } from "../core/errors.js";
import { backoffDelay, withRetry } from "../core/retry.js";
import type { IngestOutcome } from "../ingest/ingest-batch.js";
import { selfManagedKafkaEvent, topicPartitionKey } from "../kafka/self-managed-kafka-event.js";
import { startCommitLoop, type CommitLoop } from "./commit-loop.js";
import { cutEventBatches } from "./event-batches.js";
import { resolveRunnerOptions, type ExportRunnerOptions, type ResolvedRunnerOptions } from "./runner-options.js";
import { createProgressTracker, type RunnerProgress } from "./runner-progress.js";
import { createStopSignal } from "./stop-signal.js";

export interface ExportRunner {
  /**
   * Stops fetching, lets the batch in flight finish staging, runs a final commit round and
   * disconnects; resolves once all of that is done. Safe to call more than once.
   */
  stop(): Promise<void>;
  /** Resolves when the runner has stopped after `stop()`; rejects with the error that stopped it otherwise. */
  finished: Promise<void>;
  /** The running totals, as last handed to `onProgress`. */
  progress(): RunnerProgress;
}

/** kafkajs calls heartbeat() at most this often on its own; we call it while a batch is staged or backs off. */
const heartbeatEveryMs = 1_000;
/** With no batching window a fetch returns as soon as there is data; an idle fetch waits this long. */
const idleFetchWaitMs = 500;

export function startExportRunner(options: ExportRunnerOptions): ExportRunner {
  const settings = resolveRunnerOptions(options);
  const { logger } = settings;
  const kafka = createKafkaClient(settings.kafka, logger);
  const consumer = kafka.consumer(consumerConfig(settings));
  const tracker = createProgressTracker();
  const stopSignal = createStopSignal();
  const failedAttempts = new Map<string, number>();
  let commitLoop: CommitLoop | undefined;
  let stopError: { error: unknown } | undefined;
  let shutdown: Promise<void> | undefined;
  let settle: (error?: { error: unknown }) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    settle = (failure) => {
      if (failure === undefined) resolve();
      else reject(failure.error instanceof Error ? failure.error : new ExportError("INTERNAL", `the runner stopped: ${String(failure.error)}`));
    };
  });
  // The caller learns of a failure through `finished` (or stop()); never as an unhandled rejection.
  finished.catch(() => undefined);

  // kafkajs restarts its consumer after what it deems transient (a coordinator moving or
  // loading, a broker restarting): a warning, the runner goes on.
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) logger.warn(`the Kafka consumer restarts after a transient failure: ${payload.error.message}`, { groupId: settings.groupId });
    else fail(kafkaErrorOf("consume", settings.kafka.brokers, payload.error));
  });

  const started = (async () => {
    await prepareGroup(kafka, settings);
    await consumer.connect();
    await consumer.subscribe({ topics: [...settings.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
      eachBatch: stageFetchedBatch,
    });
    commitLoop = startCommitLoop({ frequencyMs: settings.commitFrequencyMs, round: commitRound });
  })();
  started.catch((error: unknown) => {
    fail(kafkaErrorOf(`join consumer group ${settings.groupId}`, settings.kafka.brokers, error));
  });

  async function stageFetchedBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const partitionKey = topicPartitionKey(batch.topic, batch.partition);
    const events = cutEventBatches(
      batch.messages.map((message) => eventRecordOfMessage(batch.topic, batch.partition, message)),
      { batchSize: settings.batchSize, maxPayloadBytes: settings.maxPayloadBytes, bootstrapServers: settings.kafka.brokers },
    );
    for (const { records, payloadBytes } of events) {
      if (stopSignal.requested || !payload.isRunning() || payload.isStale()) return;
      if (payloadBytes > settings.maxPayloadBytes) {
        logger.warn("a record alone makes an event over the invocation payload limit; the runner stages it in an event of its own (a Lambda event source mapping could not deliver it)", {
          topic: batch.topic,
          partition: batch.partition,
          offset: String(records[0]?.offset),
          payloadBytes,
          maxPayloadBytes: settings.maxPayloadBytes,
        });
      }
      const firstOffset = String(records[0]?.offset);
      const lastOffset = String(records.at(-1)?.offset);
      let outcome: IngestOutcome;
      try {
        outcome = await whileHeartbeating(settings.ingest(selfManagedKafkaEvent(records, settings.kafka.brokers)), () => payload.heartbeat());
      } catch (error) {
        await deliverAgainLater(payload, firstOffset, lastOffset, error);
        return;
      }
      failedAttempts.delete(partitionKey);
      payload.resolveOffset(lastOffset);
      const nextOffset = BigInt(lastOffset) + 1n;
      await commitConsumerOffset(batch.topic, batch.partition, nextOffset);
      report(tracker.batchStaged(outcome, partitionKey, Number(BigInt(batch.highWatermark) - nextOffset)));
    }
  }

  // As the event source mapping does: the batch is not acknowledged, and its records come
  // again from the first one after a backoff.
  async function deliverAgainLater(payload: EachBatchPayload, firstOffset: string, lastOffset: string, error: unknown): Promise<void> {
    const { topic, partition } = payload.batch;
    if (!isRetryable(error) || (error instanceof ExportError && error.code === "STATE_STORE_MISSING")) {
      fail(error);
      return;
    }
    const partitionKey = topicPartitionKey(topic, partition);
    const attempt = (failedAttempts.get(partitionKey) ?? 0) + 1;
    failedAttempts.set(partitionKey, attempt);
    const delayMs = backoffDelay(attempt, { baseDelayMs: settings.retryBaseDelayMs, maxDelayMs: settings.retryMaxDelayMs, random: Math.random });
    logger.warn("batch not staged; its records are delivered again after a backoff", { topic, partition, firstOffset, lastOffset, attempt, delayMs, error });
    report(tracker.batchFailed());
    consumer.seek({ topic, partition, offset: firstOffset });
    await whileHeartbeating(stopSignal.sleep(delayMs), () => payload.heartbeat());
  }

  async function commitConsumerOffset(topic: string, partition: number, offset: bigint): Promise<void> {
    try {
      await consumer.commitOffsets([{ topic, partition, offset: offset.toString() }]);
    } catch (error) {
      // The records are staged: if they come again (after a restart or a rebalance), the
      // staged watermark drops them.
      logger.warn("consumer offset not committed; staged records delivered again are skipped", { topic, partition, offset: offset.toString(), error });
    }
  }

  async function commitRound(): Promise<void> {
    let outcome: CommitRoundOutcome | undefined;
    try {
      outcome = await settings.commitRound();
    } catch (error) {
      if (isRetryable(error)) logger.warn("commit round failed; the next round retries it", { error });
      else logger.error("commit round failed; the next round retries it", { error });
    }
    report(tracker.commitRound(outcome));
  }

  function report(progress: RunnerProgress): void {
    if (settings.onProgress === undefined) return;
    try {
      settings.onProgress(progress);
    } catch (error) {
      logger.error("the onProgress callback failed", { error });
    }
  }

  // The error is what `finished` rejects with; whoever awaits it reports it, once.
  function fail(error: unknown): void {
    stopError ??= { error };
    void stop();
  }

  function stop(): Promise<void> {
    shutdown ??= (async () => {
      stopSignal.request();
      const consuming = await started.then(
        () => true,
        () => false,
      );
      try {
        await consumer.stop();
        await commitLoop?.stop();
        if (consuming) await commitRound();
      } finally {
        await consumer.disconnect();
      }
    })().then(
      () => {
        settle(stopError);
      },
      (error: unknown) => {
        settle(stopError ?? { error });
        throw error;
      },
    );
    return shutdown;
  }

  return { stop, finished, progress: () => tracker.current() };
}

function consumerConfig(settings: ResolvedRunnerOptions): ConsumerConfig {
  const window = settings.batchingWindowMs;
  return {
    groupId: settings.groupId,
    allowAutoTopicCreation: false,
    // The batching window is the broker's fetch wait: a fetch returns once a full event's
    // worth of bytes is there, or when the window has passed.
    minBytes: window === 0 ? 1 : settings.maxPayloadBytes,
    maxWaitTimeInMs: window === 0 ? idleFetchWaitMs : window,
    maxBytesPerPartition: settings.maxPayloadBytes,
    // kafkajs heartbeats between fetches only; a fetch may wait out the whole window.
    sessionTimeout: settings.sessionTimeoutMs,
    // Three heartbeats per session timeout, as Kafka's clients do, so one late heartbeat on a
    // busy machine does not cost the runner its partitions.
    heartbeatInterval: Math.min(3_000, Math.floor(settings.sessionTimeoutMs / 3)),
    rebalanceTimeout: Math.max(60_000, settings.sessionTimeoutMs),
  };
}

// Before the consumer joins: every topic must exist, and partitions the group never
// committed start at the first offset the export needs instead of the beginning of the log;
// partitions committed beyond it go back to it (ResolvedRunnerOptions.startOffsets).
async function prepareGroup(kafka: Kafka, settings: ResolvedRunnerOptions): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = settings.topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) throw new ExportError("NOT_FOUND", `topic(s) not on the Kafka cluster: ${missing.join(", ")}`);
    if (settings.startOffsets !== undefined) await startNewPartitionsAt(admin, settings.startOffsets, settings);
  } finally {
    await admin.disconnect();
  }
}

async function startNewPartitionsAt(admin: Admin, startOffsets: NonNullable<ResolvedRunnerOptions["startOffsets"]>, settings: ResolvedRunnerOptions): Promise<void> {
  const { groupId, logger } = settings;
  for (const topic of settings.topics) {
    let rewinds: { partition: number; offset: string; groupOffset: string }[] = [];
    try {
      // A broker's group coordinator answers "loading" for a moment after it starts; kafkajs
      // flags such answers `retriable`.
      await withRetry(
        async () => {
          // The group's offsets first: another runner of the group stages before it commits,
          // so what it committed by now is staged when the export's offsets are read next.
          const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
          const starts = await startOffsets(topic);
          if (starts === undefined) return;
          const partitions = (committed?.partitions ?? []).flatMap(({ partition, offset }) => {
            const start = starts[partition];
            if (start === undefined || (offset !== "-1" && BigInt(offset) <= start)) return [];
            return [{ partition, offset: start.toString(), groupOffset: offset }];
          });
          rewinds = partitions.filter(({ groupOffset }) => groupOffset !== "-1");
          for (const { partition, offset, groupOffset } of rewinds) {
            logger.warn("the group committed past what the export has staged (records acknowledged, then lost with the state store); reading them again", { topic, partition, groupOffset, from: offset, groupId });
          }
          if (partitions.length > 0) await admin.setOffsets({ groupId, topic, partitions: partitions.map(({ partition, offset }) => ({ partition, offset })) });
        },
        { shouldRetry: isKafkaRetriable, maxAttempts: 8, baseDelayMs: 250 },
      );
    } catch (error) {
      // Reading the export's offsets failed (the state store): not a Kafka refusal to pass over.
      if (error instanceof ExportError) throw error;
      // Records acknowledged but not staged would be lost: refuse to run.
      if (rewinds.length > 0) {
        const where = rewinds.map(({ partition, offset }) => `${topic}-${partition} to ${offset}`).join(", ");
        throw new ExportError("KAFKA_UNAVAILABLE", `could not set consumer group ${groupId} back to where the export needs to read (${where}); stop every other runner of the group and start again`, { cause: error });
      }
      // Otherwise only slower, not wrong: ingest drops what precedes the start offsets.
      // kafkajs also refuses while another member of the group runs, which has its offsets already.
      logger.warn("could not set the group's start offsets; partitions the group never committed are read from the beginning", { topic, groupId, error });
    }
  }
}

async function whileHeartbeating<T>(work: Promise<T>, heartbeat: () => Promise<void>): Promise<T> {
  const timer = setInterval(() => {
    // A failed heartbeat (a rebalance) is kafkajs's to handle after the batch.
    heartbeat().catch(() => undefined);
  }, heartbeatEveryMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
