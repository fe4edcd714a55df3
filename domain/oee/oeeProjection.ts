// The OEE projection: a fold of a machine's settled events into per-window totals — the whole range,
// each factory-local hour and each shift instance. Settled events arrive in time order, so the
// projection only ever moves forward: the time since `segmentStart` belongs to the current segment
// and is booked when the segment ends.
import type { MachineEvent } from '../machine/events.ts';
import type { MachineState } from '../wire/messages.ts';
import { nextHourStart, plannedIntervalsOf, type ProductionCalendar } from './calendar.ts';
import { spreadCounts, type GapInterval } from './countsSpread.ts';
import {
  jobAt,
  jobChangesIn,
  jobPieces,
  orderWindow,
  productWindow,
  spansFrom,
  type JobSpan,
  type OrderInfo,
} from './jobSpans.ts';
import { addCounts, addGapCounts, addTime, emptyTotals, type TimeCategory, type WindowTotals } from './windowTotals.ts';

export type OeeConfig = {
  readonly calendar: ProductionCalendar;
  readonly microStopMs: number;
};

type Segment =
  /** No trustworthy data: before the first state, or after a heartbeat timeout. */
  { readonly kind: 'gap' } | { readonly kind: 'state'; readonly state: MachineState; readonly reason: string | null };

export type OeeProjectionState = {
  readonly segmentStart: number | null;
  readonly segment: Segment;
  /** The last state reported, which resumes when data comes back after a gap. */
  readonly lastKnown: Extract<Segment, { kind: 'state' }> | null;
  readonly closed: boolean;
  /** Where the machine's window starts (its opening or first event) and ends (its closing), for reports. */
  readonly windowStartMs: number | null;
  readonly windowEndMs: number | null;
  /** The previous counts reading: the next counter delta is spread over the time since. */
  readonly lastCountsTs: number | null;
  /** The data gaps since the previous counts reading: the share of the next delta they hold is not booked to A·P·Q. */
  readonly gapsSinceCounts: readonly GapInterval[];
  /**
   * Window key → totals (`all`, `hour:YYYY-MM-DDTHH:00±HH:MM`, `shift:YYYY-MM-DD/<name>`), in two parts, each key
   * in one of them: the windows being booked (the whole range, the current hour and shift), copied at
   * every booking, and the windows booking has moved past, copied only when one more closes. A machine
   * gains a window per hour and per shift: copying them all at every booking made a message's cost
   * grow with the length of the stream. Read them with `oeeWindow` and `oeeWindows`.
   */
  readonly openWindows: Readonly<Record<string, WindowTotals>>;
  readonly closedWindows: Readonly<Record<string, WindowTotals>>;
  /**
   * The jobs (`job` messages) a booking can still reach, the current one last; absent before the first.
   * Time and parts of a job are booked also to `product:<id>` and `order:<id>` windows.
   */
  readonly jobs?: readonly JobSpan[];
  /** Every order the machine started: its product, target and span (absent before the first job). */
  readonly orders?: Readonly<Record<string, OrderInfo>>;
};

export const initialOeeState: OeeProjectionState = {
  segmentStart: null,
  segment: { kind: 'gap' },
  lastKnown: null,
  closed: false,
  windowStartMs: null,
  windowEndMs: null,
  lastCountsTs: null,
  gapsSinceCounts: [],
  openWindows: {},
  closedWindows: {},
};

/** The totals of one window, if anything was booked into it. */
export const oeeWindow = (state: OeeProjectionState, key: string): WindowTotals | undefined =>
  state.openWindows[key] ?? state.closedWindows[key];

/** Every window with its totals. */
export const oeeWindows = (state: OeeProjectionState): Readonly<Record<string, WindowTotals>> => ({
  ...state.closedWindows,
  ...state.openWindows,
});

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
    return durationMs < config.microStopMs
      ? { kind: 'microStop' }
      : { kind: 'down', reason: segment.reason ?? 'unspecified' };
  }
  return { kind: 'run' };
};

export type Windows = Pick<OeeProjectionState, 'openWindows' | 'closedWindows'>;

/** The windows as one booking changes them: a copy of the open ones, and of the closed ones once one closes. */
type Ledger = { open: Record<string, WindowTotals>; closed: Record<string, WindowTotals>; closedCopied: boolean };

const ledgerOf = (windows: Windows): Ledger => ({
  open: { ...windows.openWindows },
  closed: windows.closedWindows as Record<string, WindowTotals>,
  closedCopied: false,
});

const closedForWrite = (ledger: Ledger): Record<string, WindowTotals> => {
  if (!ledger.closedCopied) {
    ledger.closed = { ...ledger.closed };
    ledger.closedCopied = true;
  }
  return ledger.closed;
};

/** `all`, `hour:` or `shift:`: one window of each kind is open at a time. */
const kindOf = (key: string): string => key.slice(0, key.indexOf(':') + 1) || key;

/**
 * Opens `key` for booking and returns its totals so far. Booking moves forward in time, so a new
 * window of a kind closes the open one of that kind; a closed window booked again (a stream opened
 * earlier than its first message) is reopened, so every key stays in exactly one of the two records.
 */
const openWindow = (ledger: Ledger, key: string): WindowTotals => {
  const kind = kindOf(key);
  // Rebuilt rather than `delete`d from: the open record is copied at every booking, and V8 copies an
  // object that had a property deleted much more slowly.
  const open: Record<string, WindowTotals> = {};
  for (const other of Object.keys(ledger.open)) {
    if (kindOf(other) === kind) closedForWrite(ledger)[other] = ledger.open[other]!;
    else open[other] = ledger.open[other]!;
  }
  ledger.open = open;
  const reopened = ledger.closed[key];
  if (reopened === undefined) return emptyTotals;
  delete closedForWrite(ledger)[key];
  return reopened;
};

// `openWindow` replaces `ledger.open`, so the totals are read (and the window opened) before the write.
const bumpTime = (ledger: Ledger, key: string, category: TimeCategory, ms: number): void => {
  const totals = addTime(ledger.open[key] ?? openWindow(ledger, key), category, ms);
  ledger.open[key] = totals;
};

const bumpCounts = (ledger: Ledger, key: string, total: number, reject: number, product?: string): void => {
  const totals = addCounts(ledger.open[key] ?? openWindow(ledger, key), total, reject, product);
  ledger.open[key] = totals;
};

const windowsOf = (ledger: Ledger): Windows => ({ openWindows: ledger.open, closedWindows: ledger.closed });

/**
 * Books [from, to) of one category into every window it overlaps, counting only planned (shift) time;
 * the time of a job also into its product's and order's windows.
 */
export const bookTime = (
  config: OeeConfig,
  windows: Windows,
  category: TimeCategory,
  from: number,
  to: number,
  jobs: readonly JobSpan[] | undefined,
): Windows => {
  if (to <= from) return windows;
  const ledger = ledgerOf(windows);
  for (const interval of plannedIntervalsOf(config.calendar, from, to)) {
    for (let start = interval.startMs; start < interval.endMs;) {
      const end = Math.min(interval.endMs, nextHourStart(config.calendar, start));
      bumpTime(ledger, WHOLE_RANGE, category, end - start);
      bumpTime(ledger, hourWindow(config.calendar.hourKey(start)), category, end - start);
      if (interval.shiftKey !== null) bumpTime(ledger, shiftWindow(interval.shiftKey), category, end - start);
      start = end;
    }
    if (jobs !== undefined)
      for (const piece of jobPieces(jobs, interval.startMs, interval.endMs)) {
        if (piece.job === null) continue;
        bumpTime(ledger, productWindow(piece.job.product), category, piece.toMs - piece.fromMs);
        bumpTime(ledger, orderWindow(piece.job.order), category, piece.toMs - piece.fromMs);
      }
  }
  return windowsOf(ledger);
};

// Parts made in a data gap stay out of A·P·Q, so they weigh no product's ideal cycle time.
const bumpGapCounts = (ledger: Ledger, key: string, total: number, reject: number): void => {
  const totals = addGapCounts(ledger.open[key] ?? openWindow(ledger, key), total, reject);
  ledger.open[key] = totals;
};

/** Books a counter delta reported at `ts`, spread over the time since the previous reading (countsSpread.ts). */
const bookCounts = (
  config: OeeConfig,
  state: OeeProjectionState,
  ts: number,
  total: number,
  reject: number,
): Windows => {
  if (total === 0 && reject === 0) return state;
  const ledger = ledgerOf(state);
  const { jobs } = state;
  const cuts = state.lastCountsTs === null ? [] : jobChangesIn(jobs, state.lastCountsTs, ts);
  for (const piece of spreadCounts(
    config.calendar,
    state.gapsSinceCounts,
    state.lastCountsTs,
    ts,
    total,
    reject,
    cuts,
  )) {
    const bump = piece.inGap ? bumpGapCounts : bumpCounts;
    // Parts reported at `ts` were made before it: a job starting at `ts` owns none of them.
    const job = jobAt(jobs, piece.atMs < ts ? piece.atMs : ts - 1);
    const product = job?.product;
    bump(ledger, WHOLE_RANGE, piece.total, piece.reject, product);
    bump(ledger, hourWindow(config.calendar.hourKey(piece.atMs)), piece.total, piece.reject, product);
    // Counts belong to the shift of the time they were made in, a break included.
    const shift = config.calendar.shiftKeyAt(piece.atMs);
    if (shift !== null) bump(ledger, shiftWindow(shift), piece.total, piece.reject, product);
    if (job !== null) {
      bump(ledger, productWindow(job.product), piece.total, piece.reject, job.product);
      bump(ledger, orderWindow(job.order), piece.total, piece.reject, job.product);
    }
  }
  return windowsOf(ledger);
};

// The states below are built field by field rather than spread (`{ ...state, … }`): spreading a state
// at every event was a visible share of the fold's profile.

/** `state` with some fields changed, every field by name (see above); `jobs` and `orders` only once a job ran. */
const stateWith = (state: OeeProjectionState, change: Partial<OeeProjectionState>): OeeProjectionState => {
  const jobs = change.jobs ?? state.jobs;
  const orders = change.orders ?? state.orders;
  const out: OeeProjectionState = {
    segmentStart: change.segmentStart !== undefined ? change.segmentStart : state.segmentStart,
    segment: change.segment ?? state.segment,
    lastKnown: change.lastKnown !== undefined ? change.lastKnown : state.lastKnown,
    closed: change.closed ?? state.closed,
    windowStartMs: change.windowStartMs !== undefined ? change.windowStartMs : state.windowStartMs,
    windowEndMs: change.windowEndMs !== undefined ? change.windowEndMs : state.windowEndMs,
    lastCountsTs: change.lastCountsTs !== undefined ? change.lastCountsTs : state.lastCountsTs,
    gapsSinceCounts: change.gapsSinceCounts ?? state.gapsSinceCounts,
    openWindows: change.openWindows ?? state.openWindows,
    closedWindows: change.closedWindows ?? state.closedWindows,
  };
  return jobs === undefined ? out : { ...out, jobs, ...(orders === undefined ? {} : { orders }) };
};

/** Ends the current segment at `ts` and starts `segment` there. A gap that ends is remembered until the next counts reading. */
const switchSegment = (
  config: OeeConfig,
  state: OeeProjectionState,
  ts: number,
  segment: Segment,
  lastKnown = state.lastKnown,
): OeeProjectionState => {
  const start = state.segmentStart ?? ts;
  const from = Math.min(start, ts);
  const booked = bookTime(config, state, categoryOf(config, state.segment, ts - from), from, ts, state.jobs);
  const endsGap = state.segment.kind === 'gap' && state.lastCountsTs !== null && from < ts;
  return stateWith(state, {
    segmentStart: ts,
    segment,
    lastKnown,
    openWindows: booked.openWindows,
    closedWindows: booked.closedWindows,
    ...(endsGap ? { gapsSinceCounts: [...state.gapsSinceCounts, [from, ts] as const] } : {}),
  });
};

/** The window starts at the machine's first event, or earlier when it was opened earlier. */
const started = (state: OeeProjectionState, ts: number): OeeProjectionState =>
  state.segmentStart === null
    ? stateWith(state, { segmentStart: ts, windowStartMs: Math.min(ts, state.windowStartMs ?? ts) })
    : state;

/** Any message is a sign of life: after a heartbeat gap, the last known state resumes. */
const heardAt = (config: OeeConfig, state: OeeProjectionState, ts: number): OeeProjectionState => {
  const opened = started(state, ts);
  return opened.segment.kind === 'gap' && opened.lastKnown !== null
    ? switchSegment(config, opened, ts, opened.lastKnown)
    : opened;
};

/**
 * A job starts: from `ts` on, time and parts book to its product and order. The segment running goes on
 * (a stop is one stop, its length decides whether it is a micro-stop), split by job when it is booked.
 */
const jobStarted = (
  state: OeeProjectionState,
  event: Extract<MachineEvent, { type: 'JobStarted' }>,
): OeeProjectionState => {
  const job = { order: event.order, product: event.product, targetQuantity: event.targetQuantity };
  const current = jobAt(state.jobs, event.ts);
  const orders: Record<string, OrderInfo> = { ...state.orders };
  if (current !== null && current.order !== job.order && orders[current.order] !== undefined)
    orders[current.order] = { ...orders[current.order]!, endMs: event.ts };
  const before = orders[job.order];
  orders[job.order] = {
    product: job.product,
    targetQuantity: job.targetQuantity,
    startMs: before?.startMs ?? event.ts,
    endMs: null,
  };
  const reach = Math.min(state.segmentStart ?? event.ts, state.lastCountsTs ?? event.ts, event.ts);
  return stateWith(state, { jobs: spansFrom([...(state.jobs ?? []), { fromMs: event.ts, job }], reach), orders });
};

export const evolveOee =
  (config: OeeConfig) =>
  (state: OeeProjectionState, event: MachineEvent): OeeProjectionState => {
    if (state.closed) return state;
    switch (event.type) {
      case 'WindowOpened':
        return state.segmentStart === null || event.ts < state.segmentStart
          ? stateWith(state, {
              segmentStart: event.ts,
              windowStartMs: Math.min(event.ts, state.windowStartMs ?? event.ts),
            })
          : state;
      case 'StateChanged': {
        const segment: Segment = { kind: 'state', state: event.state, reason: event.reason };
        return switchSegment(config, started(state, event.ts), event.ts, segment, segment);
      }
      case 'StateConfirmed':
      case 'SampleRecorded':
        return heardAt(config, state, event.ts);
      case 'CountsAdvanced': {
        const resumed = heardAt(config, state, event.ts);
        const booked = bookCounts(config, resumed, event.ts, event.totalDelta, event.rejectDelta);
        return stateWith(resumed, {
          lastCountsTs: event.ts,
          gapsSinceCounts: [],
          openWindows: booked.openWindows,
          closedWindows: booked.closedWindows,
        });
      }
      case 'JobStarted':
        return jobStarted(heardAt(config, state, event.ts), event);
      case 'HeartbeatMissed':
        return state.segmentStart === null ? state : switchSegment(config, state, event.ts, { kind: 'gap' });
      case 'WindowClosed': {
        const ended = state.segmentStart === null ? state : switchSegment(config, state, event.ts, { kind: 'gap' });
        return stateWith(ended, { closed: true, windowEndMs: event.ts });
      }
      default:
        return state;
    }
  };

export const foldOee = (
  config: OeeConfig,
  events: Iterable<MachineEvent>,
  from: OeeProjectionState = initialOeeState,
): OeeProjectionState => {
  const step = evolveOee(config);
  let state = from;
  for (const event of events) state = step(state, event);
  return state;
};
