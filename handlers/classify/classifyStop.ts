// Classifying a stop after the fact through the event store port — the one path the CLI
// (`factory downtime classify`), the dashboard's form and the cloud's classify function share. It
// reads the machine's head and stream, decides on them (domain/downtime/classification.ts), and
// commits the decision at the position read, with the checkpoint unchanged: a conflict means another
// writer committed first (the process function, a replay, another operator), so it reads and decides
// again, as runMachineBatch does. Rows are never edited: the decision is appended.
import * as E from 'fp-ts/lib/Either.js';
import {
  decideClassification,
  type ClassifyProblem,
  type ClassifyRequest,
} from '../../domain/downtime/classification.ts';
import { stopsOf } from '../../domain/downtime/stops.ts';
import type { DowntimeClassified, MachineEvent } from '../../domain/machine/events.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { conflictRetry, type RetryOptions } from '../machines/conflictRetry.ts';
import type { ConcurrencyConflict, EventStore } from '../ports/eventStore.ts';

export type ClassifyFailure =
  | { readonly kind: 'unknownMachine'; readonly message: string }
  | ({ readonly kind: 'refused' } & ClassifyProblem)
  | { readonly kind: 'RetriesExhausted'; readonly attempts: number; readonly last: ConcurrencyConflict };

export type Classified = {
  readonly decision: DowntimeClassified;
  readonly position: number;
  readonly attempts: number;
};

/** `request.machine` is the stream id, `factory/line/machine`. */
export const classifyStop = async (
  store: EventStore<MachineEvent>,
  site: SiteConfig,
  request: ClassifyRequest,
  retry: RetryOptions = {},
): Promise<E.Either<ClassifyFailure, Classified>> => {
  const { maxAttempts, pauseAfter } = conflictRetry(retry);
  const streamId = request.machine;
  let last: ConcurrencyConflict | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const head = await store.readCheckpoint(streamId);
    if (head === undefined)
      return E.left({
        kind: 'unknownMachine',
        message: `${streamId} has no stream in the store; give factory/line/machine of a machine the store has data of`,
      });
    const stream = await store.readStream(streamId);
    const decided = decideClassification(
      site.reasons,
      stopsOf(stream.events.map((e) => e.event)),
      site.microStopS * 1000,
      request,
    );
    if (E.isLeft(decided)) return E.left({ kind: 'refused', ...decided.left });
    // The checkpoint is written back as read: the processing core does not fold classifications.
    const committed = await store.commit(streamId, head.position, {
      events: [decided.right],
      checkpoint: head.state ?? null,
      effects: [],
    });
    if (E.isRight(committed))
      return E.right({ decision: decided.right, position: committed.right.position, attempts: attempt });
    last = committed.left;
    await pauseAfter(attempt);
  }
  return E.left({ kind: 'RetriesExhausted', attempts: maxAttempts, last: last! });
};
