// One flag that a stop was requested, and sleeps that end early when it is.

export interface StopSignal {
  readonly requested: boolean;
  request(): void;
  /** Resolves after `ms`, or as soon as a stop is requested. */
  sleep(ms: number): Promise<void>;
}

export function createStopSignal(): StopSignal {
  let requested = false;
  const wakers = new Set<() => void>();
  return {
    get requested() {
      return requested;
    },
    request() {
      requested = true;
      for (const wake of wakers) wake();
      wakers.clear();
    },
    sleep(ms) {
      if (requested) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          wakers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        wakers.add(wake);
      });
    },
  };
}
