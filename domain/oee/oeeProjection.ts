// The OEE projection: a fold of a machine's settled events into per-window totals — the whole range,
// each factory-local hour and each shift instance. Settled events arrive in time order, so the
// projection only ever moves forward: the time since `segmentStart` belongs to the current segment
// and is booked when the segment ends.
import type { MachineEvent } from '../machine/events.ts';
import type { MachineState } from '../wire/messages.ts';
import { nextHourStart, plannedIntervalsOf, type ProductionCalendar } from './calendar.ts';
import { addCounts, addTime, emptyTotals, type TimeCategory, type WindowTotals } from './windowTotals.ts';

export type OeeConfig = {
  readonly calendar: ProductionCalendar;
  readonly microStopMs: number;
};

type Segment =
  /** No trustworthy data: before the first state, or after a heartbeat timeout. */
  | { readonly kind: 'gap' }
  | { readonly kind: 'state'; readonly state: MachineState; readonly reason: string | null };

export type OeeProjectionState = {
  readonly segmentStart: number | null;
  readonly segment: Segment;
  /** The last state reported, which resumes when data comes back after a gap. */
  readonly lastKnown: Extract<Segment, { kind: 'state' }> | null;
  readonly closed: boolean;
  /** Window key → totals: `all`, `hour:YYYY-MM-DDTHH`, `shift:YYYY-MM-DD/<name>`. */
  readonly windows: Readonly<Record<string, WindowTotals>>;
};

export const initialOeeState: OeeProjectionState = { segmentStart: null, segment: { kind: 'gap' }, lastKnown: null, closed: false, windows: {} };

export const WHOLE_RANGE = 'all';
export const hourWindow = (hourKey: string): string => `hour:${hourKey}`;
export const shiftWindow = (shiftKey: string): string => `shift:${shiftKey}`;

const UNPLANNED: ReadonlySet<MachineState> = new Set(['DOWN', 'SETUP', 'IDLE']);
const PLANNED_STOPS: ReadonlySet<MachineState> = new Set(['PLANNED_STOP', 'OFF']);

/** How the time of a finished segment counts: a stop shorter than the micro-stop threshold is run time. */
const categoryOf = (config: OeeConfig, segment: Segment, durationMs: number): TimeCategory => {
  if (segment.kind === 'gap') return { kind: 'dataGap' };
  if (PLANNED_STOPS.has(segment.state)) return { kind: 'plannedStop' };
  if (UNPLANNED.has(segment.state)) {
    return durationMs < config.microStopMs ? { kind: 'microStop' } : { kind: 'down', reason: segment.reason ?? 'unspecified' };
  }
  return { kind: 'run' };
};

const bump = (windows: Record<string, WindowTotals>, key: string, update: (totals: WindowTotals) => WindowTotals): void => {
  windows[key] = update(windows[key] ?? emptyTotals);
};

/** Books [from, to) of one category into every window it overlaps, counting only planned (shift) time. */
const bookTime = (config: OeeConfig, windows: Readonly<Record<string, WindowTotals>>, category: TimeCategory, from: number, to: number): Readonly<Record<string, WindowTotals>> => {
  if (to <= from) return windows;
  const next = { ...windows };
  for (const interval of plannedIntervalsOf(config.calendar, from, to)) {
    for (let start = interval.startMs; start < interval.endMs;) {
      const end = Math.min(interval.endMs, nextHourStart(config.calendar, start));
      const add = (totals: WindowTotals): WindowTotals => addTime(totals, category, end - start);
      bump(next, WHOLE_RANGE, add);
      bump(next, hourWindow(config.calendar.hourKey(start)), add);
      if (interval.shiftKey !== null) bump(next, shiftWindow(interval.shiftKey), add);
      start = end;
    }
  }
  return next;
};

const bookCounts = (config: OeeConfig, windows: Readonly<Record<string, WindowTotals>>, ts: number, total: number, reject: number): Readonly<Record<string, WindowTotals>> => {
  if (total === 0 && reject === 0) return windows;
  const next = { ...windows };
  const add = (totals: WindowTotals): WindowTotals => addCounts(totals, total, reject);
  bump(next, WHOLE_RANGE, add);
  bump(next, hourWindow(config.calendar.hourKey(ts)), add);
  // Counts belong to the shift of the time they report, a break included.
  const shift = config.calendar.shiftKeyAt(ts);
  if (shift !== null) bump(next, shiftWindow(shift), add);
  return next;
};

/** Ends the current segment at `ts` and starts `segment` there. */
const switchSegment = (config: OeeConfig, state: OeeProjectionState, ts: number, segment: Segment): OeeProjectionState => {
  const start = state.segmentStart ?? ts;
  const from = Math.min(start, ts);
  return {
    ...state,
    windows: bookTime(config, state.windows, categoryOf(config, state.segment, ts - from), from, ts),
    segmentStart: ts,
    segment,
  };
};

/** Any message is a sign of life: after a heartbeat gap, the last known state resumes. */
const heardAt = (config: OeeConfig, state: OeeProjectionState, ts: number): OeeProjectionState => {
  const opened = state.segmentStart === null ? { ...state, segmentStart: ts } : state;
  return opened.segment.kind === 'gap' && opened.lastKnown !== null ? switchSegment(config, opened, ts, opened.lastKnown) : opened;
};

export const evolveOee = (config: OeeConfig) => (state: OeeProjectionState, event: MachineEvent): OeeProjectionState => {
  if (state.closed) return state;
  switch (event.type) {
    case 'WindowOpened':
      return state.segmentStart === null || event.ts < state.segmentStart ? { ...state, segmentStart: event.ts } : state;
    case 'StateChanged': {
      const segment: Segment = { kind: 'state', state: event.state, reason: event.reason };
      const opened = state.segmentStart === null ? { ...state, segmentStart: event.ts } : state;
      return { ...switchSegment(config, opened, event.ts, segment), lastKnown: segment };
    }
    case 'StateConfirmed':
    case 'SampleRecorded':
      return heardAt(config, state, event.ts);
    case 'CountsAdvanced': {
      const resumed = heardAt(config, state, event.ts);
      return { ...resumed, windows: bookCounts(config, resumed.windows, event.ts, event.totalDelta, event.rejectDelta) };
    }
    case 'HeartbeatMissed':
      return state.segmentStart === null ? state : switchSegment(config, state, event.ts, { kind: 'gap' });
    case 'WindowClosed':
      return state.segmentStart === null ? { ...state, closed: true } : { ...switchSegment(config, state, event.ts, { kind: 'gap' }), closed: true };
    default:
      return state;
  }
};

export const foldOee = (config: OeeConfig, events: Iterable<MachineEvent>, from: OeeProjectionState = initialOeeState): OeeProjectionState => {
  const step = evolveOee(config);
  let state = from;
  for (const event of events) state = step(state, event);
  return state;
};
