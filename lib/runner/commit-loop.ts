// The runner's commit timer: a round every `frequencyMs`, measured from the start of the
// previous round; never two rounds at once (a round that overruns is followed at once, not
// by a burst of catch-up rounds). The round reports its own failures; the next tick retries.

export interface CommitLoop {
  /** No more ticks; resolves once the round in flight, if any, has finished. */
  stop(): Promise<void>;
}

export interface CommitLoopOptions {
  frequencyMs: number;
  /** Must not reject: it logs and counts its own failures. */
  round: () => Promise<void>;
  now?: () => number;
}

export function startCommitLoop(options: CommitLoopOptions): CommitLoop {
  const now = options.now ?? Date.now;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;

  function schedule(delayMs: number): void {
    if (delayMs <= 0) tick();
    else timer = setTimeout(tick, delayMs);
  }

  function tick(): void {
    timer = undefined;
    if (stopped) return;
    const startedAt = now();
    inFlight = options.round().finally(() => {
      inFlight = undefined;
      if (!stopped) schedule(startedAt + options.frequencyMs - now());
    });
  }

  schedule(options.frequencyMs);
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
