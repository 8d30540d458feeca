// The local runner's options (SPEC.md §6): one object, limits as the Lambda event source
// mapping for self-managed Kafka has them, each default documented here and checked with an
// error naming the option.
import type { CommitRoundOutcome } from "../commit/commit-all.js";
import { ConfigurationError } from "../core/errors.js";
import { silentLogger, type Logger } from "../core/logger.js";
import type { IngestOutcome } from "../ingest/ingest-batch.js";
import type { KafkaConnectionSettings } from "../kafka/kafka-connection.js";
import type { SelfManagedKafkaEvent } from "../kafka/self-managed-kafka-event.js";
import type { RunnerProgress } from "./runner-progress.js";

export interface ExportRunnerOptions {
  kafka: KafkaConnectionSettings;
  /** The consumer group; its committed offsets are where a restarted runner resumes. */
  groupId: string;
  /** The topics to consume; each must exist. `enabledTopicNames` lists the enabled ones. */
  topics: readonly string[];
  /** Stages one Lambda-shaped event; `ingestEventsWith(context)` is the production one. */
  ingest: (event: SelfManagedKafkaEvent) => Promise<IngestOutcome>;
  /** One commit round over every table; `commitRoundsWith(context)` is the production one. */
  commitRound: () => Promise<CommitRoundOutcome>;
  /**
   * Per partition, the first offset the export still needs (`exportStartOffsets(stateStore)`).
   * A partition the group never committed starts there, so a new group does not read the
   * retained log from its beginning only for ingest to drop what precedes it. A partition
   * the group committed beyond it is set back to it: those records were acknowledged but are
   * not staged (the state store was lost and `enable` recovered from the table's committed
   * offsets), and must be read again. Default: none, a new group reads from the beginning
   * (correct, only slower).
   */
  startOffsets?: (topic: string) => Promise<Readonly<Record<number, bigint>> | undefined>;
  /** Default: silent. */
  logger?: Logger;
  /** Called after every staged or failed batch and every commit round, with running totals. */
  onProgress?: (progress: RunnerProgress) => void;
  /** Records per event, 1 to 10,000. Default 100, as the event source mapping. */
  batchSize?: number;
  /**
   * How long a fetch waits for data to fill a batch, 0 to 300,000 ms. Default 500, the event
   * source mapping's default for Kafka. 0: a batch is whatever one fetch returns.
   */
  batchingWindowMs?: number;
  /**
   * Largest event (its JSON) handed to `ingest`, 1,024 to 6,291,456. Default 6 MiB, Lambda's
   * invocation payload limit. A record that alone is larger gets an event of its own (event-batches.ts).
   */
  maxPayloadBytes?: number;
  /** How often a commit round runs, at least 100 ms. Default 60,000 (SPEC.md §5). */
  commitFrequencyMs?: number;
  /** Partitions staged side by side, 1 to 100. Default 1. */
  partitionsConsumedConcurrently?: number;
  /**
   * How long the group waits for a silent member (a crashed runner) before handing its
   * partitions on; at least 6,000 (the broker's minimum) and batchingWindowMs + 5,000, as a
   * fetch may wait out the window between heartbeats. Default batchingWindowMs + 10,000
   * (10,500 with the default window): a runner killed with SIGKILL holds its partitions
   * that long, so a restarted one resumes within about ten seconds. A runner that is stopped
   * (stop(), SIGTERM, Ctrl-C) leaves the group at once and holds nothing.
   */
  sessionTimeoutMs?: number;
  /** Backoff (full jitter, lib/core/retry.ts) before a batch that failed to stage is delivered again. Default 500 ms doubling up to 30,000 ms. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
}

export type ResolvedRunnerOptions = Required<Omit<ExportRunnerOptions, "onProgress" | "startOffsets">> & Pick<ExportRunnerOptions, "onProgress" | "startOffsets">;

export const maxBatchSize = 10_000;
export const maxBatchingWindowMs = 300_000;
export const lambdaPayloadLimitBytes = 6 * 1024 * 1024;

export const runnerDefaults = {
  logger: silentLogger,
  batchSize: 100,
  batchingWindowMs: 500,
  maxPayloadBytes: lambdaPayloadLimitBytes,
  commitFrequencyMs: 60_000,
  partitionsConsumedConcurrently: 1,
  retryBaseDelayMs: 500,
  retryMaxDelayMs: 30_000,
} as const;

/** The session timeout for a batching window, unless one is given (see `sessionTimeoutMs`). */
export function defaultSessionTimeoutMs(batchingWindowMs: number): number {
  return batchingWindowMs + 10_000;
}

export function resolveRunnerOptions(options: ExportRunnerOptions): ResolvedRunnerOptions {
  const given = withoutUndefined(options);
  const batchingWindowMs = given.batchingWindowMs ?? runnerDefaults.batchingWindowMs;
  const resolved = { ...runnerDefaults, sessionTimeoutMs: defaultSessionTimeoutMs(batchingWindowMs), ...given };
  if (resolved.groupId.trim() === "") throw new ConfigurationError("groupId", "must not be empty");
  if (resolved.topics.length === 0) throw new ConfigurationError("topics", "name at least one topic");
  const emptyTopic = resolved.topics.find((topic) => topic.trim() === "");
  if (emptyTopic !== undefined) throw new ConfigurationError("topics", "a topic name is empty");
  if (new Set(resolved.topics).size !== resolved.topics.length) throw new ConfigurationError("topics", `a topic is listed twice: ${resolved.topics.join(", ")}`);
  if (resolved.kafka.brokers.length === 0) throw new ConfigurationError("kafka.brokers", "name at least one broker");
  checkInteger("batchSize", resolved.batchSize, 1, maxBatchSize);
  checkInteger("batchingWindowMs", resolved.batchingWindowMs, 0, maxBatchingWindowMs);
  checkInteger("maxPayloadBytes", resolved.maxPayloadBytes, 1024, lambdaPayloadLimitBytes);
  checkInteger("commitFrequencyMs", resolved.commitFrequencyMs, 100, Number.MAX_SAFE_INTEGER);
  checkInteger("sessionTimeoutMs", resolved.sessionTimeoutMs, Math.max(6_000, resolved.batchingWindowMs + 5_000), Number.MAX_SAFE_INTEGER);
  checkInteger("partitionsConsumedConcurrently", resolved.partitionsConsumedConcurrently, 1, 100);
  checkInteger("retryBaseDelayMs", resolved.retryBaseDelayMs, 1, Number.MAX_SAFE_INTEGER);
  checkInteger("retryMaxDelayMs", resolved.retryMaxDelayMs, resolved.retryBaseDelayMs, Number.MAX_SAFE_INTEGER);
  return resolved;
}

function checkInteger(option: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new ConfigurationError(option, `must be an integer ${range}; got ${String(value)}`);
  }
}

// An option passed as undefined takes its default, as if it were left out.
function withoutUndefined(options: ExportRunnerOptions): ExportRunnerOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as unknown as ExportRunnerOptions;
}
