// How the CLI's export control and local runner reach a Kafka cluster (SPEC.md §6). In
// Lambda the event source mapping owns the connection; these settings are for the CLI only.
export type SaslMechanism = "plain" | "scram-sha-256" | "scram-sha-512";

export interface KafkaConnectionSettings {
  /** `host:port` of at least one broker. */
  brokers: string[];
  clientId: string;
  /** TLS to the brokers; on when SASL is configured, as MSK and Confluent Cloud require. */
  ssl: boolean;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
}

export const defaultKafkaConnection = {
  clientId: "kafka-iceberg-export",
  ssl: false,
  connectionTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
} as const;
