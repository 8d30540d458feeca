// One kafkajs client from the connection settings, shared by the admin (export control) and
// the consumer (local runner). kafkajs logs through our logger, not to stdout.
import kafkajs, { Kafka, logLevel, type LogEntry, type SASLOptions } from "kafkajs";
import { ExportError, UnavailableError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { KafkaConnectionSettings } from "../../kafka/kafka-connection.js";

// kafkajs is CommonJS, and Node's named-export detection misses this one.
const { KafkaJSProtocolError } = kafkajs;

/**
 * A kafkajs failure as our error: a broker's definite answer (not authorised, invalid request)
 * will not change on retry; connection failures and exhausted retries
 * (KafkaJSNumberOfRetriesExceeded) may, and name the brokers tried.
 */
export function kafkaErrorOf(what: string, brokers: readonly string[], error: unknown): ExportError {
  if (error instanceof ExportError) return error;
  if (error instanceof KafkaJSProtocolError && !error.retriable) return new ExportError("INTERNAL", `Kafka refused to ${what}: ${error.message}`, { cause: error });
  return new UnavailableError("KAFKA_UNAVAILABLE", `could not ${what} on brokers ${brokers.join(",")}: ${error instanceof Error ? error.message : String(error)}`, error);
}

/** kafkajs flags answers that may change on retry (a coordinator loading, a leader not elected yet) `retriable`. */
export function isKafkaRetriable(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { retriable?: unknown }).retriable === true;
}

export function createKafkaClient(settings: KafkaConnectionSettings, logger: Logger): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    ssl: settings.ssl,
    ...(settings.sasl === undefined ? {} : { sasl: saslOptions(settings.sasl) }),
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      forwardKafkaLog(entry, logger);
    },
  });
}

function saslOptions(sasl: NonNullable<KafkaConnectionSettings["sasl"]>): SASLOptions {
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case "plain":
      return { mechanism: "plain", username, password };
    case "scram-sha-256":
      return { mechanism: "scram-sha-256", username, password };
    case "scram-sha-512":
      return { mechanism: "scram-sha-512", username, password };
  }
}

/**
 * kafkajs logs every attempt of what it retries (a refused connection, a coordinator that is
 * loading, a heartbeat answered "rebalancing") at ERROR, with a stack trace: a dozen lines
 * before the one error our code reports once kafkajs gives up. Those lines are diagnostics,
 * forwarded as info (a CLI shows them with --verbose); what matters reaches the user through
 * our own messages: a thrown error, or the runner's warning when its consumer restarts.
 * The one exception is kafkajs resetting a consumer's position because its offset is no
 * longer in the log: records were removed (retention, a recreated topic) before they were
 * exported, which an operator must see. kafkajs reports it only in this log line.
 */
export function forwardKafkaLog(entry: LogEntry, logger: Logger): void {
  const { message, ...attributes } = entry.log;
  if (entry.level === logLevel.ERROR && entry.namespace === "ConsumerGroup" && message.startsWith("Offset out of range")) {
    const { topic, partition } = attributes as { topic?: unknown; partition?: unknown };
    logger.warn("the consumer's offset is no longer in the partition's log (records were removed, by retention or a recreated topic, before they were exported); it resumes at the earliest offset", { topic, partition });
    return;
  }
  logger.info(`kafka: ${message}`, { namespace: entry.namespace, level: kafkaLevelName(entry.level), ...attributes });
}

function kafkaLevelName(level: logLevel): string {
  return level === logLevel.ERROR ? "error" : level === logLevel.WARN ? "warn" : level === logLevel.INFO ? "info" : "debug";
}
