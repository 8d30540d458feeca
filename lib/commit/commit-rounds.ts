// The scheduler fires the commit function once a minute (EventBridge's finest rate). For a
// commit frequency under a minute, one invocation runs a round every `frequencyMs` until
// the next round could not finish before the invocation's deadline (SPEC.md §1).

export interface CommitRoundsOptions {
  frequencyMs: number;
  /** Epoch ms by which the invocation must have returned. */
  deadlineMs: number;
  /** How long a round may take, kept free before the deadline. */
  roundBudgetMs?: number;
  scheduleIntervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export async function runCommitRounds(round: () => Promise<void>, options: CommitRoundsOptions): Promise<number> {
  const {
    frequencyMs,
    deadlineMs,
    roundBudgetMs = 10_000,
    scheduleIntervalMs = 60_000,
    now = Date.now,
    sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  } = options;
  let rounds = 0;
  let nextStart = now();
  for (;;) {
    await round();
    rounds++;
    if (frequencyMs >= scheduleIntervalMs) return rounds;
    // A round that overran the frequency is followed at once, not by a burst of catch-up rounds.
    nextStart = Math.max(nextStart + frequencyMs, now());
    if (nextStart + roundBudgetMs > deadlineMs) return rounds;
    const wait = nextStart - now();
    if (wait > 0) await sleep(wait);
  }
}
