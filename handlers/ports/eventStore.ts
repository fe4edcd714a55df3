// The event store port (emmett's shape): every machine is a stream of versioned events; appends name
// the version they were decided on, so two writers can never both extend the same version. A stream
// also has a checkpoint: what its writer must remember, written in the same transaction as each
// batch's decisions (`commit`) together with the side effects to send from them (the outbox). A
// stream's position counts its commits, so a batch that decided nothing still moves the checkpoint
// under the same concurrency check.
import type { Either } from 'fp-ts/lib/Either.js';

/** A number is the version the writer read (0 = the stream must not exist yet); 'any' skips the check. */
export type ExpectedVersion = number | 'any';

export type StoredEvent<Ev> = { readonly version: number; readonly event: Ev };

export type ReadStreamResult<Ev> = {
  readonly events: readonly StoredEvent<Ev>[];
  /** Version of the last event in the stream (0 for a stream with no events). */
  readonly currentVersion: number;
};

export type ConcurrencyConflict = {
  readonly kind: 'ConcurrencyConflict';
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  readonly actual: number;
};

/** An append the store cannot make all-or-nothing (DynamoDB: more items than one transaction holds). */
export type AppendTooLarge = {
  readonly kind: 'AppendTooLarge';
  readonly streamId: string;
  readonly count: number;
  readonly limit: number;
};

export type AppendError = ConcurrencyConflict | AppendTooLarge;

export type AppendResult = { readonly nextVersion: number };

/** The stream's head: how many commits (position) and events (version) it has, and the checkpoint's state. */
export type Checkpoint<S> = { readonly position: number; readonly version: number; readonly state: S };

/** One batch's writes, all or nothing. */
export type Commit<Ev> = {
  readonly events: readonly Ev[];
  /** The writer's state after these events (JSON). */
  readonly checkpoint: unknown;
  /** What is to be sent out because of these events (JSON): dispatched from the stored commit, never before it. */
  readonly effects: readonly unknown[];
};

export type CommitResult = { readonly position: number; readonly nextVersion: number };

export interface EventStore<Ev> {
  /** Events with version ≥ fromVersion (default 1), oldest first. */
  readStream(streamId: string, options?: { readonly fromVersion?: number }): Promise<ReadStreamResult<Ev>>;
  /** Appends all events or none; nextVersion is the stream's version after the append. */
  appendToStream(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly Ev[],
  ): Promise<Either<AppendError, AppendResult>>;
  /** Appends the events, replaces the checkpoint and stores the effects, if the stream is still at `expectedPosition`. */
  commit(
    streamId: string,
    expectedPosition: number,
    commit: Commit<Ev>,
  ): Promise<Either<ConcurrencyConflict, CommitResult>>;
  /** The stream's head; undefined for a stream never written. `state` is undefined until a commit gave one. */
  readCheckpoint<S>(streamId: string): Promise<Checkpoint<S | undefined> | undefined>;
}

export const concurrencyConflict = (
  streamId: string,
  expected: ExpectedVersion,
  actual: number,
): ConcurrencyConflict => ({ kind: 'ConcurrencyConflict', streamId, expected, actual });

/** Whether a stream at `actual` satisfies `expected`: the one rule every adapter applies. */
export const matchesExpectedVersion = (expected: ExpectedVersion, actual: number): boolean =>
  expected === 'any' || expected === actual;

export const describeAppendError = (error: AppendError): string =>
  error.kind === 'ConcurrencyConflict'
    ? `stream ${JSON.stringify(error.streamId)}: expected version ${String(error.expected)} but the stream is at ${error.actual}; re-read the stream and decide again`
    : `stream ${JSON.stringify(error.streamId)}: ${error.count} events in one append, at most ${error.limit} can be appended atomically; split the decision into smaller appends`;
