// How a writer waits before it reads and decides again after losing an optimistic-concurrency race:
// a random pause that grows with each attempt ("full jitter"), so racing writers spread out.

export type RetryOptions = {
  /** Attempts in all, the first included (default 10). */
  readonly maxAttempts?: number;
  /** Backoff before attempt n+1 is a random delay in [0, min(capMs, baseMs·2^n)] ("full jitter"). */
  readonly baseMs?: number;
  readonly capMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
};

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The attempts allowed and the pause after a lost attempt, with the defaults filled in. */
export const conflictRetry = (options: RetryOptions = {}) => {
  const { maxAttempts = 10, baseMs = 2, capMs = 100, sleep = defaultSleep, random = Math.random } = options;
  return {
    maxAttempts,
    /** Waits after `attempt` lost, unless it was the last one. */
    pauseAfter: async (attempt: number): Promise<void> => {
      if (attempt < maxAttempts) await sleep(random() * Math.min(capMs, baseMs * 2 ** attempt));
    },
  };
};
