// The machine decider (docs/processing.md): `machineDecider(config)` → `{ initialState, decide(command, state) → events,
// evolve(state, event) → state }`, and `decideAndEvolve`, the two in one pass, which the pipeline runs.
// It accepts each message once, refuses what comes later than the allowed lateness, and settles the
// rest in time order once no earlier message can still arrive. Settled events are final and in order,
// so every projection of them (OEE, alerts) is the same however the input was batched or reordered
// within the lateness.
import type { MachineState } from '../wire/messages.ts';
import type { CountsAdvanced, HeartbeatMissed, MachineEvent, SettledEvent } from './events.ts';
import { counterAdvance } from './counterWidth.ts';
import type { Observation } from './observation.ts';
import {
  dropPending,
  insertPending,
  isPending,
  removePending,
  type PendingObservations,
} from './pendingObservations.ts';

export type MachineDeciderConfig = {
  readonly allowedLatenessMs: number;
  readonly heartbeatTimeoutMs: number;
  /** The counters' range when the site gives their width (counterBits): a drop past the maximum is a wrap. */
  readonly counterModulus?: number;
};

export type MachineCommand =
  | { readonly kind: 'Open'; readonly ts: number }
  /** `receivedAt`: when the platform received it (IoT Core's timestamp()), to catch device clocks running ahead. */
  | { readonly kind: 'Observe'; readonly observation: Observation; readonly receivedAt?: number }
  | { readonly kind: 'AdvanceClock'; readonly ts: number }
  | { readonly kind: 'Close'; readonly ts: number };

export type MachineDeciderState = {
  readonly openedAt: number | null;
  readonly closedAt: number | null;
  /** The newest time seen (message or clock): the watermark is this minus the allowed lateness. */
  readonly newestTs: number | null;
  readonly pending: PendingObservations;
  readonly current: { readonly state: MachineState; readonly reason: string | null } | null;
  readonly counters: { readonly total: number; readonly reject: number } | null;
  readonly lastHeardTs: number | null;
  readonly heartbeatMissed: boolean;
};

const initialState: MachineDeciderState = {
  openedAt: null,
  closedAt: null,
  newestTs: null,
  pending: [],
  current: null,
  counters: null,
  lastHeardTs: null,
  heartbeatMissed: false,
};

/** Messages with a time before this can no longer be accepted; pending ones before it are settled. */
const watermark = (config: MachineDeciderConfig, state: MachineDeciderState): number =>
  state.newestTs === null ? -Infinity : state.newestTs - config.allowedLatenessMs;

const iso = (ms: number): string => new Date(ms).toISOString();

const countsEvent = (
  observation: Extract<Observation, { kind: 'counts' }>,
  counters: MachineDeciderState['counters'],
  modulus: number | undefined,
): CountsAdvanced => {
  const { messageId, ts, total, reject } = observation;
  if (counters === null)
    return { type: 'CountsAdvanced', ts, messageId, total, reject, totalDelta: 0, rejectDelta: 0, kind: 'baseline' };
  const totalDelta = counterAdvance(counters.total, total, modulus);
  const rejectDelta = counterAdvance(counters.reject, reject, modulus);
  // A cumulative counter that goes down was reset (power cycle, shift reset): it counted up again from 0.
  // One that wrapped past its width advanced (counterWidth.ts).
  if (totalDelta === undefined || rejectDelta === undefined)
    return {
      type: 'CountsAdvanced',
      ts,
      messageId,
      total,
      reject,
      totalDelta: total,
      rejectDelta: reject,
      kind: 'reset',
    };
  return {
    type: 'CountsAdvanced',
    ts,
    messageId,
    total,
    reject,
    totalDelta,
    rejectDelta,
    kind: 'advance',
  };
};

const settledEventOf = (
  config: MachineDeciderConfig,
  observation: Observation,
  state: Pick<MachineDeciderState, 'current' | 'counters'>,
): SettledEvent => {
  switch (observation.kind) {
    case 'state': {
      const { messageId, ts, state: machineState, reason } = observation;
      const unchanged =
        state.current !== null && state.current.state === machineState && state.current.reason === reason;
      return unchanged
        ? { type: 'StateConfirmed', ts, messageId }
        : { type: 'StateChanged', ts, messageId, state: machineState, reason, previous: state.current?.state ?? null };
    }
    case 'counts':
      return countsEvent(observation, state.counters, config.counterModulus);
    case 'job':
      return {
        type: 'JobStarted',
        ts: observation.ts,
        messageId: observation.messageId,
        order: observation.order,
        product: observation.product,
        targetQuantity: observation.targetQuantity,
      };
    case 'telemetry':
      return {
        type: 'SampleRecorded',
        ts: observation.ts,
        messageId: observation.messageId,
        metrics: observation.metrics,
      };
  }
};

/** A heartbeat missed before `ts`: the last message is more than the timeout older than `ts`. */
const heartbeatMissedBefore = (
  config: MachineDeciderConfig,
  state: Pick<MachineDeciderState, 'lastHeardTs' | 'heartbeatMissed'>,
  ts: number,
): HeartbeatMissed | undefined =>
  state.lastHeardTs !== null && !state.heartbeatMissed && ts - state.lastHeardTs > config.heartbeatTimeoutMs
    ? { type: 'HeartbeatMissed', ts: state.lastHeardTs + config.heartbeatTimeoutMs, lastHeardTs: state.lastHeardTs }
    : undefined;

const evolve = (state: MachineDeciderState, event: MachineEvent): MachineDeciderState => {
  switch (event.type) {
    case 'WindowOpened':
      return { ...state, openedAt: state.openedAt === null ? event.ts : Math.min(state.openedAt, event.ts) };
    case 'ObservationAccepted':
      return {
        ...state,
        pending: insertPending(state.pending, event.observation),
        newestTs: state.newestTs === null ? event.observation.ts : Math.max(state.newestTs, event.observation.ts),
      };
    case 'ClockAdvanced':
      return { ...state, newestTs: state.newestTs === null ? event.ts : Math.max(state.newestTs, event.ts) };
    case 'WindowClosed':
      return { ...state, closedAt: event.ts };
    case 'HeartbeatMissed':
      return { ...state, heartbeatMissed: true };
    case 'StateChanged':
      return { ...heard(state, event), current: { state: event.state, reason: event.reason } };
    case 'CountsAdvanced':
      return { ...heard(state, event), counters: { total: event.total, reject: event.reject } };
    case 'StateConfirmed':
    case 'SampleRecorded':
    case 'JobStarted':
      return heard(state, event);
    case 'ObservationDuplicate':
    case 'ObservationTooLate':
    case 'DetectorRaised':
    case 'DetectorCleared':
    case 'OeeWindowsFinal':
    case 'DowntimeClassified':
      return state;
  }
};

const heard = (
  state: MachineDeciderState,
  event: { readonly ts: number; readonly messageId: string },
): MachineDeciderState => ({
  ...state,
  pending: removePending(state.pending, event.messageId, event.ts),
  lastHeardTs: event.ts,
  heartbeatMissed: false,
});

/** What a command decides, and the state those events evolve it to (computed on the way, not twice). */
export type Decision = { readonly state: MachineDeciderState; readonly events: readonly MachineEvent[] };

/** The fields of the state that settled events evolve, and how many pending observations settled. */
type Settling = {
  settled: number;
  current: MachineDeciderState['current'];
  counters: MachineDeciderState['counters'];
  lastHeardTs: number | null;
  heartbeatMissed: boolean;
};

/**
 * Settles, in order, every pending observation before `until`, and a heartbeat missed before it;
 * appends the events to `events` and returns what they change. It runs for every message, so the
 * fields are carried in one small record and `settledState` builds the state once: evolving by each
 * event would copy the state and the pending buffer per event. Each change below is the one `evolve`
 * makes for that event; the laws in decider.test.ts hold the result to the fold of the events.
 */
const settle = (
  config: MachineDeciderConfig,
  state: MachineDeciderState,
  until: number,
  inclusive: boolean,
  events: MachineEvent[],
): Settling => {
  const { pending } = state;
  const s: Settling = {
    settled: 0,
    current: state.current,
    counters: state.counters,
    lastHeardTs: state.lastHeardTs,
    heartbeatMissed: state.heartbeatMissed,
  };
  // The buckets walked in place, oldest first: the settlement order without a flattened copy.
  walk: for (const bucket of pending)
    for (const next of bucket) {
      if (!(next.ts < until || (inclusive && next.ts <= until))) break walk;
      const missed = heartbeatMissedBefore(config, s, next.ts);
      if (missed !== undefined) {
        events.push(missed);
        s.heartbeatMissed = true;
      }
      const settled = settledEventOf(config, next, s);
      events.push(settled);
      if (settled.type === 'StateChanged') s.current = { state: settled.state, reason: settled.reason };
      else if (settled.type === 'CountsAdvanced') s.counters = { total: settled.total, reject: settled.reject };
      // `heard`: the settled observation leaves the buffer (always its first), and the machine was heard.
      s.settled += 1;
      s.lastHeardTs = settled.ts;
      s.heartbeatMissed = false;
    }
  if (Number.isFinite(until)) {
    const missed = heartbeatMissedBefore(config, s, until);
    if (missed !== undefined) {
      events.push(missed);
      s.heartbeatMissed = true;
    }
  }
  return s;
};

// Every field by name rather than `{ ...state, … }`: a spread of this state was a quarter of the fold's profile.
const settledState = (
  state: MachineDeciderState,
  s: Settling,
  pending: PendingObservations,
  newestTs: number | null,
): MachineDeciderState => ({
  openedAt: state.openedAt,
  closedAt: state.closedAt,
  newestTs,
  pending,
  current: s.current,
  counters: s.counters,
  lastHeardTs: s.lastHeardTs,
  heartbeatMissed: s.heartbeatMissed,
});

const observe = (
  config: MachineDeciderConfig,
  state: MachineDeciderState,
  observation: Observation,
  receivedAt: number | undefined,
): Decision => {
  const { messageId, ts } = observation;
  if (isPending(state.pending, messageId, ts))
    return { state, events: [{ type: 'ObservationDuplicate', messageId, ts }] };
  // A reading from the future would move the watermark past every honest reading and end every
  // window there: a device clock running ahead is refused, not believed.
  if (receivedAt !== undefined && ts - receivedAt > config.allowedLatenessMs) {
    return {
      state,
      events: [
        {
          type: 'ObservationTooLate',
          messageId,
          ts,
          reason: `from the future: ${iso(ts)} is more than allowedLatenessS ${config.allowedLatenessMs / 1000} ahead of when it was received (${iso(receivedAt)}); check the device's clock`,
        },
      ],
    };
  }
  const limit = watermark(config, state);
  if (state.closedAt !== null || ts < limit) {
    const reason =
      state.closedAt !== null
        ? `too late: ${iso(ts)} arrived after the window closed at ${iso(state.closedAt)}`
        : `too late: ${iso(ts)} is older than the newest message (${iso(state.newestTs ?? ts)}) by more than allowedLatenessS ${config.allowedLatenessMs / 1000}`;
    return { state, events: [{ type: 'ObservationTooLate', messageId, ts, reason }] };
  }
  const events: MachineEvent[] = [{ type: 'ObservationAccepted', observation }];
  // Evolving by the acceptance and then settling, in one step: the accepted observation is at or
  // after the new watermark, so it does not settle now and everything that does sorts before it.
  const newestTs = state.newestTs === null ? ts : Math.max(state.newestTs, ts);
  const settling = settle(config, state, newestTs - config.allowedLatenessMs, false, events);
  return {
    state: settledState(state, settling, insertPending(state.pending, observation, settling.settled), newestTs),
    events,
  };
};

const NOTHING: readonly MachineEvent[] = [];

/** `decide` and `evolve` in one pass: the events of a command and the state after them. */
const decideAndEvolve =
  (config: MachineDeciderConfig) =>
  (command: MachineCommand, state: MachineDeciderState): Decision => {
    switch (command.kind) {
      case 'Open': {
        if (state.openedAt !== null && command.ts >= state.openedAt) return { state, events: NOTHING };
        const opened: MachineEvent = { type: 'WindowOpened', ts: command.ts };
        return { state: evolve(state, opened), events: [opened] };
      }
      case 'Observe':
        return observe(config, state, command.observation, command.receivedAt);
      case 'AdvanceClock': {
        if (state.closedAt !== null || (state.newestTs !== null && command.ts <= state.newestTs))
          return { state, events: NOTHING };
        const advanced: MachineEvent = { type: 'ClockAdvanced', ts: command.ts };
        const events: MachineEvent[] = [];
        const settling = settle(config, state, command.ts - config.allowedLatenessMs, false, events);
        // The tick comes after what it settles: projections see every reading up to the watermark
        // before they hear that time has passed (a detector ignores readings older than a tick).
        // Evolving by a tick touches only newestTs, which settled events never touch, so the state
        // after [...settled, tick] is the state settled from after the tick.
        events.push(advanced);
        return {
          state: settledState(state, settling, dropPending(state.pending, settling.settled), command.ts),
          events,
        };
      }
      case 'Close': {
        if (state.closedAt !== null) return { state, events: NOTHING };
        const end = Math.max(command.ts, state.newestTs ?? command.ts);
        const events: MachineEvent[] = [];
        const settling = settle(config, state, end, true, events);
        const closed: MachineEvent = { type: 'WindowClosed', ts: end };
        events.push(closed);
        return {
          state: evolve(
            settledState(state, settling, dropPending(state.pending, settling.settled), state.newestTs),
            closed,
          ),
          events,
        };
      }
    }
  };

export type MachineDecider = {
  readonly initialState: MachineDeciderState;
  readonly decide: (command: MachineCommand, state: MachineDeciderState) => readonly MachineEvent[];
  readonly evolve: (state: MachineDeciderState, event: MachineEvent) => MachineDeciderState;
  /**
   * `decide` and the state its events `evolve` to, computed on the way rather than by evolving each event
   * again (the pending buffer would be copied per event); the laws in decider.test.ts hold it to the fold.
   */
  readonly decideAndEvolve: (command: MachineCommand, state: MachineDeciderState) => Decision;
};

export const machineDecider = (config: MachineDeciderConfig): MachineDecider => {
  const step = decideAndEvolve(config);
  return {
    initialState,
    decide: (command, state) => step(command, state).events,
    evolve,
    decideAndEvolve: step,
  };
};

/** Folds a stream's events into the decider's state: the state is nothing but this fold. */
export const foldMachineEvents = (
  events: Iterable<MachineEvent>,
  from: MachineDeciderState = initialState,
): MachineDeciderState => {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
};
