// The one retry helper: exponential backoff with full jitter (each wait is uniform in
// [0, min(maxDelay, baseDelay * 2^attempt)]), so that many invocations failing together
// do not retry in lockstep.
import { isRetryable } from "./errors.js";

export interface RetryOptions {
  /** Attempts in total, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Which failures are worth another attempt; by default those flagged `retryable`. */
  shouldRetry?: (error: unknown) => boolean;
  /** Called before each wait; for logs and metrics. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultRetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  shouldRetry: isRetryable,
  onRetry: () => undefined,
  random: Math.random,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
} satisfies Required<RetryOptions>;

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const settings = { ...defaultRetryOptions, ...options };
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= settings.maxAttempts || !settings.shouldRetry(error)) throw error;
      const delayMs = backoffDelay(attempt, settings);
      settings.onRetry(error, attempt, delayMs);
      await settings.sleep(delayMs);
    }
  }
}

export function backoffDelay(attempt: number, options: { baseDelayMs: number; maxDelayMs: number; random: () => number }): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(options.random() * ceiling);
}
