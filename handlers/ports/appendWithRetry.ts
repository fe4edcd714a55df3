// Optimistic concurrency as a loop: read, decide, append at the version read; on a conflict someone
// else got there first, so re-read and decide again on the newer stream.
import * as E from 'fp-ts/lib/Either.js';
import type { AppendError, AppendResult, EventStore, ReadStreamResult } from './eventStore.ts';

export type RetryOptions = {
  /** Attempts in all, the first included (default 10). */
  readonly maxAttempts?: number;
  /** Backoff before attempt n+1 is a random delay in [0, min(capMs, baseMs·2^n)] ("full jitter"). */
  readonly baseMs?: number;
  readonly capMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
};

export type RetriesExhausted = {
  readonly kind: 'RetriesExhausted';
  readonly streamId: string;
  readonly attempts: number;
  readonly last: AppendError;
};

export type AppendWithRetryResult = AppendResult & { readonly attempts: number; readonly appended: number };

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const appendWithRetry = async <Ev>(
  store: EventStore<Ev>,
  streamId: string,
  decide: (stream: ReadStreamResult<Ev>) => readonly Ev[],
  options: RetryOptions = {},
): Promise<E.Either<RetriesExhausted | AppendError, AppendWithRetryResult>> => {
  const { maxAttempts = 10, baseMs = 2, capMs = 100, sleep = defaultSleep, random = Math.random } = options;
  let last: AppendError | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const stream = await store.readStream(streamId);
    const events = decide(stream);
    if (events.length === 0) return E.right({ nextVersion: stream.currentVersion, attempts: attempt, appended: 0 });
    const result = await store.appendToStream(streamId, stream.currentVersion, events);
    if (E.isRight(result)) return E.right({ ...result.right, attempts: attempt, appended: events.length });
    // Only a conflict is worth retrying: a too-large append fails the same way every time.
    if (result.left.kind !== 'ConcurrencyConflict') return result;
    last = result.left;
    if (attempt < maxAttempts) await sleep(random() * Math.min(capMs, baseMs * 2 ** attempt));
  }
  return E.left({ kind: 'RetriesExhausted', streamId, attempts: maxAttempts, last: last! });
};
