import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startCommitLoop } from "../../../lib/runner/commit-loop.js";
import { createStopSignal } from "../../../lib/runner/stop-signal.js";

describe("startCommitLoop", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs a round every frequency, measured from the previous round's start", async () => {
    const starts: number[] = [];
    const loop = startCommitLoop({
      frequencyMs: 1_000,
      round: async () => {
        starts.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 300));
      },
    });
    const origin = Date.now();
    await vi.advanceTimersByTimeAsync(3_500);
    await loop.stop();
    expect(starts.map((start) => start - origin)).toEqual([1_000, 2_000, 3_000]);
  });

  it("never runs two rounds at once: an overrunning round is followed at once, without catch-up rounds", async () => {
    let running = 0;
    let maxRunning = 0;
    const starts: number[] = [];
    const origin = Date.now();
    const loop = startCommitLoop({
      frequencyMs: 1_000,
      round: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        starts.push(Date.now() - origin);
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        running--;
      },
    });
    await vi.advanceTimersByTimeAsync(7_000);
    const stopping = loop.stop();
    await vi.advanceTimersByTimeAsync(2_000);
    await stopping;
    expect(maxRunning).toBe(1);
    expect(starts).toEqual([1_000, 3_500, 6_000]);
  });

  it("ticks until stopped, and never after", async () => {
    let rounds = 0;
    const loop = startCommitLoop({
      frequencyMs: 100,
      round: () => {
        rounds++;
        return Promise.resolve();
      },
    });
    await vi.advanceTimersByTimeAsync(550);
    expect(rounds).toBe(5);
    await loop.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(rounds).toBe(5);
  });

  it("stop() waits for the round in flight", async () => {
    let finished = false;
    const loop = startCommitLoop({
      frequencyMs: 100,
      round: async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        finished = true;
      },
    });
    await vi.advanceTimersByTimeAsync(150);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(500);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    await stopping;
    expect(finished).toBe(true);
  });
});

describe("createStopSignal", () => {
  it("ends a sleep early when a stop is requested, and sleeps no more afterwards", async () => {
    vi.useFakeTimers();
    try {
      const signal = createStopSignal();
      let woke = false;
      const sleeping = signal.sleep(60_000).then(() => (woke = true));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(woke).toBe(false);
      signal.request();
      await sleeping;
      expect(signal.requested).toBe(true);
      await signal.sleep(60_000);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
