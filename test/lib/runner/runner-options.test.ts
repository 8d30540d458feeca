import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../lib/core/errors.js";
import { resolveRunnerOptions, runnerDefaults, type ExportRunnerOptions } from "../../../lib/runner/runner-options.js";

const required: ExportRunnerOptions = {
  kafka: { brokers: ["127.0.0.1:9092"], clientId: "test", ssl: false, connectionTimeoutMs: 1000, requestTimeoutMs: 1000 },
  groupId: "export",
  topics: ["orders"],
  ingest: () => Promise.reject(new Error("not called")),
  commitRound: () => Promise.reject(new Error("not called")),
};

describe("resolveRunnerOptions", () => {
  it("fills the event source mapping's defaults", () => {
    const resolved = resolveRunnerOptions(required);
    expect(resolved).toMatchObject({ batchSize: 100, batchingWindowMs: 500, maxPayloadBytes: 6_291_456, commitFrequencyMs: 60_000, partitionsConsumedConcurrently: 1 });
    expect(resolved.logger).toBe(runnerDefaults.logger);
    // Short enough that a runner restarted after a SIGKILL resumes within about ten seconds.
    expect(resolved.sessionTimeoutMs).toBe(10_500);
    expect(resolveRunnerOptions({ ...required, batchingWindowMs: 120_000 }).sessionTimeoutMs).toBe(130_000);
    expect(resolveRunnerOptions({ ...required, batchSize: undefined }).batchSize).toBe(100);
  });

  it("accepts the limits' extremes", () => {
    expect(() => resolveRunnerOptions({ ...required, batchSize: 10_000, batchingWindowMs: 300_000, maxPayloadBytes: 6 * 1024 * 1024 })).not.toThrow();
    expect(() => resolveRunnerOptions({ ...required, batchSize: 1, batchingWindowMs: 0, maxPayloadBytes: 1024 })).not.toThrow();
  });

  it.each([
    [{ batchSize: 0 }, "batchSize", "from 1 to 10000; got 0"],
    [{ batchSize: 10_001 }, "batchSize", "got 10001"],
    [{ batchSize: 2.5 }, "batchSize", "got 2.5"],
    [{ batchingWindowMs: -1 }, "batchingWindowMs", "from 0 to 300000"],
    [{ batchingWindowMs: 300_001 }, "batchingWindowMs", "got 300001"],
    [{ maxPayloadBytes: 6 * 1024 * 1024 + 1 }, "maxPayloadBytes", "from 1024 to 6291456"],
    [{ commitFrequencyMs: 0 }, "commitFrequencyMs", "at least 100"],
    [{ sessionTimeoutMs: 5_000 }, "sessionTimeoutMs", "at least 6000"],
    [{ sessionTimeoutMs: 10_000, batchingWindowMs: 8_000 }, "sessionTimeoutMs", "at least 13000; got 10000"],
    [{ partitionsConsumedConcurrently: 0 }, "partitionsConsumedConcurrently", "from 1 to 100"],
    [{ retryBaseDelayMs: 1000, retryMaxDelayMs: 10 }, "retryMaxDelayMs", "at least 1000"],
    [{ groupId: " " }, "groupId", "must not be empty"],
    [{ topics: [] }, "topics", "at least one topic"],
    [{ topics: ["a", "a"] }, "topics", "listed twice"],
    [{ topics: [""] }, "topics", "empty"],
  ] as [Partial<ExportRunnerOptions>, string, string][])("refuses %j naming %s", (override, option, problem) => {
    const resolve = (): unknown => resolveRunnerOptions({ ...required, ...override });
    expect(resolve).toThrow(ConfigurationError);
    expect(resolve).toThrow(`configuration setting ${option}: `);
    expect(resolve).toThrow(problem);
  });

  it("refuses an empty broker list", () => {
    expect(() => resolveRunnerOptions({ ...required, kafka: { ...required.kafka, brokers: [] } })).toThrow("configuration setting kafka.brokers: name at least one broker");
  });
});
