// Test support: optimistic concurrency as a loop over appendToStream: read, decide, append at the
// version read; on a conflict someone else got there first, so re-read and decide again on the newer
// stream. The event-store contract races two writers with it; the functions commit through
// handlers/machines/runMachineBatch.ts, which waits between attempts the same way (conflictRetry.ts).
import * as E from 'fp-ts/lib/Either.js';
import { conflictRetry, type RetryOptions } from '../machines/conflictRetry.ts';
import type { AppendError, AppendResult, EventStore, ReadStreamResult } from '../ports/eventStore.ts';

export type RetriesExhausted = {
  readonly kind: 'RetriesExhausted';
  readonly streamId: string;
  readonly attempts: number;
  readonly last: AppendError;
};

export type AppendWithRetryResult = AppendResult & { readonly attempts: number; readonly appended: number };

export const appendWithRetry = async <Ev>(
  store: EventStore<Ev>,
  streamId: string,
  decide: (stream: ReadStreamResult<Ev>) => readonly Ev[],
  options: RetryOptions = {},
): Promise<E.Either<RetriesExhausted | AppendError, AppendWithRetryResult>> => {
  const { maxAttempts, pauseAfter } = conflictRetry(options);
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
    await pauseAfter(attempt);
  }
  return E.left({ kind: 'RetriesExhausted', streamId, attempts: maxAttempts, last: last! });
};
