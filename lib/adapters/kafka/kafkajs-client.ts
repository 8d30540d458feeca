// One kafkajs client from the connection settings, shared by the admin (export control) and
// the consumer (local runner). kafkajs logs through our logger, not to stdout.
import { Kafka, logLevel, type LogEntry, type SASLOptions } from "kafkajs";
import type { Logger } from "../../core/logger.js";
import type { KafkaConnectionSettings } from "../../kafka/kafka-connection.js";

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

function forwardKafkaLog(entry: LogEntry, logger: Logger): void {
  const { message, ...attributes } = entry.log;
  const text = `kafka: ${message}`;
  if (entry.level === logLevel.ERROR || entry.level === logLevel.NOTHING) logger.error(text, { namespace: entry.namespace, ...attributes });
  else logger.warn(text, { namespace: entry.namespace, ...attributes });
}
