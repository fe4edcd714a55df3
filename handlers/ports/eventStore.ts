// The event store port (emmett's shape): every machine is a stream of versioned events; appends name
// the version they were decided on, so two writers can never both extend the same version.
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

export type Snapshot<S> = { readonly version: number; readonly state: S };

export interface EventStore<Ev> {
  /** Events with version ≥ fromVersion (default 1), oldest first. */
  readStream(streamId: string, options?: { readonly fromVersion?: number }): Promise<ReadStreamResult<Ev>>;
  /** Appends all events or none; nextVersion is the stream's version after the append. */
  appendToStream(streamId: string, expectedVersion: ExpectedVersion, events: readonly Ev[]): Promise<Either<AppendError, AppendResult>>;
  /** Keeps the snapshot with the highest version; an older one never replaces a newer one. */
  writeSnapshot<S>(streamId: string, version: number, state: S): Promise<void>;
  readSnapshot<S>(streamId: string): Promise<Snapshot<S> | undefined>;
}

export const concurrencyConflict = (streamId: string, expected: ExpectedVersion, actual: number): ConcurrencyConflict =>
  ({ kind: 'ConcurrencyConflict', streamId, expected, actual });

/** Whether a stream at `actual` satisfies `expected`: the one rule every adapter applies. */
export const matchesExpectedVersion = (expected: ExpectedVersion, actual: number): boolean =>
  expected === 'any' || expected === actual;

export const describeAppendError = (error: AppendError): string =>
  error.kind === 'ConcurrencyConflict'
    ? `stream ${JSON.stringify(error.streamId)}: expected version ${String(error.expected)} but the stream is at ${error.actual}; re-read the stream and decide again`
    : `stream ${JSON.stringify(error.streamId)}: ${error.count} events in one append, at most ${error.limit} can be appended atomically; split the decision into smaller appends`;
