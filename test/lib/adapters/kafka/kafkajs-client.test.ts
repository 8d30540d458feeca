import { logLevel, type LogEntry } from "kafkajs";
import { describe, expect, it } from "vitest";
import { forwardKafkaLog, kafkaErrorOf } from "../../../../lib/adapters/kafka/kafkajs-client.js";
import { ExportError } from "../../../../lib/core/errors.js";
import type { Logger } from "../../../../lib/core/logger.js";

function recorded(): Logger & { entries: { level: string; message: string; attributes?: Record<string, unknown> }[] } {
  const entries: { level: string; message: string; attributes?: Record<string, unknown> }[] = [];
  const record = (level: string) => (message: string, attributes?: Record<string, unknown>) => {
    entries.push({ level, message, ...(attributes === undefined ? {} : { attributes }) });
  };
  return { entries, info: record("info"), warn: record("warn"), error: record("error") };
}

function entry(level: logLevel, namespace: string, message: string, extra: Record<string, unknown> = {}): LogEntry {
  return { namespace, level, label: "ERROR", log: { timestamp: "2026-11-24T12:00:00.000Z", message, ...extra } };
}

describe("kafkajs's log", () => {
  it("is forwarded as info, never as errors: its retries of refused connections, loading coordinators and rebalances", () => {
    const logger = recorded();
    forwardKafkaLog(entry(logLevel.ERROR, "Connection", "Connection error: connect ECONNREFUSED 127.0.0.1:1", { stack: "Error: connect ECONNREFUSED\n    at …" }), logger);
    forwardKafkaLog(entry(logLevel.ERROR, "Consumer", "Crash: KafkaJSProtocolError: The group coordinator is not available"), logger);
    forwardKafkaLog(entry(logLevel.WARN, "Runner", "The group is rebalancing, re-joining"), logger);
    expect(logger.entries.map((forwarded) => forwarded.level)).toEqual(["info", "info", "info"]);
    expect(logger.entries[0]).toMatchObject({ message: "kafka: Connection error: connect ECONNREFUSED 127.0.0.1:1", attributes: { namespace: "Connection", level: "error" } });
  });

  it("warns when a consumer's offset is no longer in the log: records were removed before they were exported", () => {
    const logger = recorded();
    forwardKafkaLog(entry(logLevel.ERROR, "ConsumerGroup", "Offset out of range, resetting to default offset", { topic: "orders", partition: 2, groupId: "g" }), logger);
    forwardKafkaLog(entry(logLevel.INFO, "ConsumerGroup", "Offset out of range while fetching from follower, retrying with leader", { topic: "orders", partition: 2 }), logger);
    expect(logger.entries.map((forwarded) => forwarded.level)).toEqual(["warn", "info"]);
    expect(logger.entries[0]?.message).toMatch(/no longer in the partition's log/);
    expect(logger.entries[0]?.attributes).toEqual({ topic: "orders", partition: 2 });
  });
});

describe("kafkaErrorOf", () => {
  it("makes a connection failure a retryable KAFKA_UNAVAILABLE naming what was tried and the brokers", () => {
    const error = kafkaErrorOf("join consumer group g", ["b1:9092", "b2:9092"], new Error("Connection error: connect ECONNREFUSED"));
    expect(error).toMatchObject({ code: "KAFKA_UNAVAILABLE", retryable: true, message: "could not join consumer group g on brokers b1:9092,b2:9092: Connection error: connect ECONNREFUSED" });
  });

  it("keeps our own errors as they are", () => {
    const ours = new ExportError("NOT_FOUND", "topic(s) not on the Kafka cluster: x");
    expect(kafkaErrorOf("consume", ["b:9092"], ours)).toBe(ours);
  });
});
