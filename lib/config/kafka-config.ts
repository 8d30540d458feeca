// The CLI's Kafka connection (export control and the local runner), from the same flat
// settings as the rest of the configuration. Lambda never reads these: the event source
// mapping owns its connection.
import { ConfigurationError } from "../core/errors.js";
import { defaultKafkaConnection, type KafkaConnectionSettings, type SaslMechanism } from "../kafka/kafka-connection.js";
import { boolean, oneOf, optional, positiveInteger, required, type Settings } from "./settings.js";

export const kafkaSettingNames = {
  brokers: "KAFKA_BROKERS",
  clientId: "KAFKA_CLIENT_ID",
  ssl: "KAFKA_SSL",
  saslMechanism: "KAFKA_SASL_MECHANISM",
  saslUsername: "KAFKA_SASL_USERNAME",
  saslPassword: "KAFKA_SASL_PASSWORD",
  connectionTimeoutMs: "KAFKA_CONNECTION_TIMEOUT_MS",
  requestTimeoutMs: "KAFKA_REQUEST_TIMEOUT_MS",
} as const;

const saslMechanisms: readonly SaslMechanism[] = ["plain", "scram-sha-256", "scram-sha-512"];

export function parseKafkaConnection(settings: Settings): KafkaConnectionSettings {
  const brokers = required(settings, kafkaSettingNames.brokers)
    .split(",")
    .map((broker) => broker.trim())
    .filter((broker) => broker !== "");
  for (const broker of brokers) {
    // Never echoed: what stands before an '@' may be a password.
    if (broker.includes("@")) {
      throw new ConfigurationError(
        kafkaSettingNames.brokers,
        `must not hold credentials (an entry has user info before '@'): list host:port entries, and set ${kafkaSettingNames.saslMechanism}, ${kafkaSettingNames.saslUsername} and ${kafkaSettingNames.saslPassword}`,
      );
    }
    if (!/^[^\s:/]+:\d{1,5}$/.test(broker)) throw new ConfigurationError(kafkaSettingNames.brokers, `expected host:port entries separated by commas, got '${broker}'`);
  }
  const sasl = saslSettings(settings);
  return {
    brokers,
    clientId: optional(settings, kafkaSettingNames.clientId) ?? defaultKafkaConnection.clientId,
    ssl: boolean(settings, kafkaSettingNames.ssl, sasl !== undefined),
    ...(sasl === undefined ? {} : { sasl }),
    connectionTimeoutMs: positiveInteger(settings, kafkaSettingNames.connectionTimeoutMs, defaultKafkaConnection.connectionTimeoutMs),
    requestTimeoutMs: positiveInteger(settings, kafkaSettingNames.requestTimeoutMs, defaultKafkaConnection.requestTimeoutMs),
  };
}

function saslSettings(settings: Settings): KafkaConnectionSettings["sasl"] {
  if (optional(settings, kafkaSettingNames.saslMechanism) === undefined) return undefined;
  const mechanism = oneOf(settings, kafkaSettingNames.saslMechanism, saslMechanisms, undefined);
  return { mechanism, username: required(settings, kafkaSettingNames.saslUsername), password: required(settings, kafkaSettingNames.saslPassword) };
}
