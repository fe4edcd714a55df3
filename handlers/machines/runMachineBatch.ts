// Read → decide → commit, with retry: the one loop around the processing core (domain/pipeline/
// machineBatch.ts) that the process and timer functions and the local replay share. The checkpoint
// is read, the core decides on it, and the decisions, the new checkpoint and the effects are
// committed at the position read; on a conflict someone else committed first, so it reads and
// decides again. A writer that keeps checkpoints in memory (a warm container, the local replay)
// commits on its cached one without reading, and reads only when that turns out to be stale.
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import {
  processMachineBatch,
  type BatchOptions,
  type MachineBatchResult,
  type MachineInput,
} from '../../domain/pipeline/machineBatch.ts';
import {
  checkpointFromJson,
  checkpointToJson,
  initialCheckpoint,
  type MachineCheckpoint,
} from '../../domain/pipeline/machineCheckpoint.ts';
import { conflictRetry, type RetryOptions } from './conflictRetry.ts';
import type { ConcurrencyConflict, EventStore } from '../ports/eventStore.ts';

export type { RetryOptions };
import { withRisks, type MachineRuntime, type ProcessContext } from './machineContext.ts';

/** Checkpoints a writer already holds, by stream: the position they were committed at. */
export type CheckpointCache = Map<string, { readonly position: number; readonly checkpoint: MachineCheckpoint }>;

/** `committed`: false when every input was a redelivery and nothing was written. */
export type BatchCommitted = {
  readonly result: MachineBatchResult;
  readonly position: number;
  readonly attempts: number;
  readonly committed: boolean;
};

export type RunFailure = {
  readonly kind: 'RetriesExhausted';
  readonly attempts: number;
  readonly last: ConcurrencyConflict;
};

export type RunOptions = BatchOptions & { readonly retry?: RetryOptions; readonly cache?: CheckpointCache };

/** A batch whose every message was a redelivery changes nothing: there is nothing to commit. */
const changesNothing = (result: MachineBatchResult): boolean =>
  result.decisions.length === 0 && result.effects.length === 0 && result.outcomes.every((o) => o.kind === 'duplicate');

export const readMachineCheckpoint = async (
  store: EventStore<MachineEvent>,
  runtime: MachineRuntime,
): Promise<{ position: number; checkpoint: MachineCheckpoint }> => {
  const head = await store.readCheckpoint(runtime.streamId);
  // A checkpoint of another format (an older version's snapshot) is not read: the machine starts afresh.
  return {
    position: head?.position ?? 0,
    checkpoint: checkpointFromJson(head?.state) ?? initialCheckpoint(runtime.stream),
  };
};

export const runMachineBatch = async (
  store: EventStore<MachineEvent>,
  context: ProcessContext,
  runtime: MachineRuntime,
  inputs: readonly MachineInput[],
  options: RunOptions = {},
): Promise<E.Either<RunFailure, BatchCommitted>> => {
  const { maxAttempts, pauseAfter } = conflictRetry(options.retry);
  let last: ConcurrencyConflict | undefined;
  let cached = options.cache?.get(runtime.streamId);
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const head = cached ?? (await readMachineCheckpoint(store, runtime));
    cached = undefined;
    const result = await withRisks(context, () => processMachineBatch(runtime, head.checkpoint, inputs, options));
    if (changesNothing(result))
      return E.right({ result, position: head.position, attempts: attempt, committed: false });
    const committed = await store.commit(runtime.streamId, head.position, {
      events: result.decisions,
      checkpoint: checkpointToJson(result.checkpoint),
      effects: result.effects,
    });
    if (E.isRight(committed)) {
      options.cache?.set(runtime.streamId, { position: committed.right.position, checkpoint: result.checkpoint });
      return E.right({ result, position: committed.right.position, attempts: attempt, committed: true });
    }
    options.cache?.delete(runtime.streamId);
    last = committed.left;
    await pauseAfter(attempt);
  }
  return E.left({ kind: 'RetriesExhausted', attempts: maxAttempts, last: last! });
};
