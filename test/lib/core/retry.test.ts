import { describe, expect, it } from "vitest";
import { ConfigurationError, ExportError, UnavailableError } from "../../../lib/core/errors.js";
import { backoffDelay, withRetry } from "../../../lib/core/retry.js";

function noSleep(): Promise<void> {
  return Promise.resolve();
}

describe("withRetry", () => {
  it("retries a retryable failure until it succeeds", async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      () => {
        calls++;
        if (calls < 3) return Promise.reject(new UnavailableError("STORAGE_UNAVAILABLE", "s3 timed out"));
        return Promise.resolve("done");
      },
      { sleep: noSleep, random: () => 1, baseDelayMs: 10, onRetry: (_error, _attempt, delay) => delays.push(delay) },
    );
    expect(result).toBe("done");
    expect(calls).toBe(3);
    expect(delays).toEqual([10, 20]);
  });

  it("does not retry a non-retryable failure", async () => {
    let calls = 0;
    const failure = new ConfigurationError("WAREHOUSE", "missing");
    await expect(
      withRetry(
        () => {
          calls++;
          return Promise.reject(failure);
        },
        { sleep: noSleep },
      ),
    ).rejects.toBe(failure);
    expect(calls).toBe(1);
  });

  it("does not retry plain errors, whatever their message says", async () => {
    let calls = 0;
    await expect(
      withRetry(
        () => {
          calls++;
          return Promise.reject(new Error("ThrottlingException: please retry"));
        },
        { sleep: noSleep },
      ),
    ).rejects.toThrow("ThrottlingException");
    expect(calls).toBe(1);
  });

  it("gives up after maxAttempts and throws the last failure", async () => {
    let calls = 0;
    await expect(
      withRetry(
        () => {
          calls++;
          return Promise.reject(new UnavailableError("REGISTRY_UNAVAILABLE", `attempt ${calls}`));
        },
        { sleep: noSleep, maxAttempts: 4 },
      ),
    ).rejects.toThrow("attempt 4");
    expect(calls).toBe(4);
  });
});

describe("backoffDelay", () => {
  it("is jittered within an exponentially growing, capped ceiling", () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(1, { ...options, random: () => 0.5 })).toBe(50);
    expect(backoffDelay(3, { ...options, random: () => 0.999 })).toBe(399);
    expect(backoffDelay(10, { ...options, random: () => 0.999 })).toBe(999);
    expect(backoffDelay(2, { ...options, random: () => 0 })).toBe(0);
  });
});

describe("ExportError", () => {
  it("carries a code, a retryable flag and the setting it is about", () => {
    const error = new ConfigurationError("COMMIT_FREQUENCY_MS", "must be a positive integer, got 'soon'");
    expect(error).toBeInstanceOf(ExportError);
    expect(error.code).toBe("CONFIGURATION");
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("configuration setting COMMIT_FREQUENCY_MS: must be a positive integer, got 'soon'");
    expect(new UnavailableError("STORAGE_UNAVAILABLE", "x").retryable).toBe(true);
  });
});
