// One machine's stream as the handlers keep it in the event store: a snapshot (decider and detector
// state, OEE totals, the message ids recently decided) plus the events after it. Both the process and
// the timer function load a machine here, decide on it, and append at the version they loaded.
import type { MachineEvent } from '../../domain/machine/events.ts';
import { foldOee, initialOeeState, type OeeProjectionState } from '../../domain/oee/oeeProjection.ts';
import type { MachineStream, MachineStreamConfig, MachineStreamState } from '../../domain/pipeline/machineStream.ts';
import type { EventStore } from '../ports/eventStore.ts';

/** How a message id was decided: accepted into the stream, or refused as too late. */
export type Decided = { readonly ts: number; readonly late: boolean };

/**
 * The shape of the state a snapshot holds. Raise it whenever MachineStreamState or
 * OeeProjectionState changes shape: a snapshot of another format is ignored and the stream is folded
 * from its first event instead, so a deployment never reads a state it no longer understands.
 */
export const SNAPSHOT_FORMAT = 3;

export type MachineSnapshot = {
  readonly format: number;
  readonly stream: MachineStreamState;
  readonly oee: OeeProjectionState;
  /** [message id, ts, 1 if it was too late] for ids within the dedup horizon of the newest message. */
  readonly recentIds: readonly (readonly [string, number, 0 | 1])[];
};

export type LoadedMachine = {
  readonly version: number;
  readonly snapshotVersion: number;
  readonly state: MachineStreamState;
  readonly oee: OeeProjectionState;
  /** Message ids this stream has decided: the processed-id marker that makes a redelivery a no-op. */
  readonly decided: ReadonlyMap<string, Decided>;
};

export type MachineRuntime = { readonly streamId: string; readonly config: MachineStreamConfig; readonly stream: MachineStream };

/** The ids an event decides, if any. */
const decidedBy = (event: MachineEvent): [string, Decided] | undefined =>
  event.type === 'ObservationAccepted' ? [event.observation.messageId, { ts: event.observation.ts, late: false }]
    : event.type === 'ObservationTooLate' ? [event.messageId, { ts: event.ts, late: true }]
      : undefined;

export const recordDecided = (decided: Map<string, Decided>, events: readonly MachineEvent[]): void => {
  for (const event of events) {
    const entry = decidedBy(event);
    if (entry !== undefined) decided.set(...entry);
  }
};

/** What the store holds for a stream: its snapshot, if any, and the events after it. */
export type StoredMachine = {
  readonly snapshot: { readonly version: number; readonly state: MachineSnapshot } | undefined;
  readonly events: readonly MachineEvent[];
  readonly currentVersion: number;
};

export const readStoredMachine = async (store: EventStore<MachineEvent>, streamId: string): Promise<StoredMachine> => {
  const stored = await store.readSnapshot<MachineSnapshot>(streamId);
  const snapshot = stored?.state.format === SNAPSHOT_FORMAT ? stored : undefined;
  const read = await store.readStream(streamId, { fromVersion: (snapshot?.version ?? 0) + 1 });
  return { snapshot, events: read.events.map((e) => e.event), currentVersion: read.currentVersion };
};

/**
 * The machine a stored stream folds to: pure and synchronous, apart from the read, so a shell can
 * run it again with failure risks scored in between (scoredRisks.ts).
 */
export const foldStoredMachine = (machine: MachineRuntime, stored: StoredMachine): LoadedMachine => {
  const { snapshot, events } = stored;
  const from = snapshot?.version ?? 0;
  const decided = new Map<string, Decided>((snapshot?.state.recentIds ?? []).map(([id, ts, late]) => [id, { ts, late: late === 1 }]));
  recordDecided(decided, events);
  return {
    version: Math.max(stored.currentVersion, from),
    snapshotVersion: from,
    state: machine.stream.fold(events, snapshot?.state.stream ?? machine.stream.initialState),
    oee: foldOee(machine.config.oee, events, snapshot?.state.oee ?? initialOeeState),
    decided,
  };
};

export const loadMachine = async (store: EventStore<MachineEvent>, machine: MachineRuntime): Promise<LoadedMachine> =>
  foldStoredMachine(machine, await readStoredMachine(store, machine.streamId));

/**
 * The snapshot after a decision. Ids older than `horizonMs` before the newest message are dropped so
 * the item stays far below DynamoDB's 400 KB: a redelivery older than that is refused as too late by
 * the decider instead of being recognised (and dead-lettered a second time).
 */
export const snapshotOf = (state: MachineStreamState, oee: OeeProjectionState, decided: ReadonlyMap<string, Decided>, horizonMs: number): MachineSnapshot => {
  const newest = state.decider.newestTs ?? -Infinity;
  const recentIds: [string, number, 0 | 1][] = [];
  for (const [id, { ts, late }] of decided) if (ts >= newest - horizonMs) recentIds.push([id, ts, late ? 1 : 0]);
  return { format: SNAPSHOT_FORMAT, stream: state, oee, recentIds };
};

/** Snapshot when the append crossed a multiple of `every`, so loads read at most `every` events past one. */
export const crossesSnapshot = (before: number, after: number, every: number): boolean => Math.floor(before / every) < Math.floor(after / every);
