import { describe, expect, it } from "vitest";
import { runCommitRounds } from "../../../lib/commit/commit-rounds.js";

function fakeClock(start: number) {
  let time = start;
  return {
    now: () => time,
    sleep: (ms: number) => {
      time += ms;
      return Promise.resolve();
    },
    advance: (ms: number) => (time += ms),
  };
}

describe("runCommitRounds", () => {
  it("runs one round when the frequency is a minute or more", async () => {
    const clock = fakeClock(0);
    let rounds = 0;
    const result = await runCommitRounds(
      () => {
        rounds++;
        return Promise.resolve();
      },
      { frequencyMs: 60_000, deadlineMs: 70_000, ...clock },
    );
    expect([result, rounds]).toEqual([1, 1]);
  });

  it("runs a round every frequencyMs until the next one would not fit before the deadline", async () => {
    const clock = fakeClock(1_000);
    const starts: number[] = [];
    const result = await runCommitRounds(
      () => {
        starts.push(clock.now());
        clock.advance(2_000);
        return Promise.resolve();
      },
      { frequencyMs: 15_000, deadlineMs: 1_000 + 70_000, roundBudgetMs: 10_000, ...clock },
    );
    expect(starts).toEqual([1_000, 16_000, 31_000, 46_000, 61_000]);
    expect(result).toBe(5);
  });

  it("starts the next round at once when a round overran the frequency", async () => {
    const clock = fakeClock(0);
    const starts: number[] = [];
    await runCommitRounds(
      () => {
        starts.push(clock.now());
        clock.advance(7_000);
        return Promise.resolve();
      },
      { frequencyMs: 5_000, deadlineMs: 30_000, roundBudgetMs: 5_000, ...clock },
    );
    expect(starts).toEqual([0, 7_000, 14_000, 21_000]);
  });
});
