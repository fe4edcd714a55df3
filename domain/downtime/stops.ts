// A machine's stops as its stream's decisions show them: each unplanned stop (DOWN, SETUP, IDLE) from
// the state change that began it to the next state change or the window's close, with the spans the
// OEE projection booked to it. A heartbeat gap inside a stop is a data gap, not the stop's time, and
// the stop resumes when the machine is heard again — as the projection (oee/oeeProjection.ts) books it.
import type { MachineEvent } from '../machine/events.ts';
import type { JobSpan } from '../oee/jobSpans.ts';
import type { MachineState } from '../wire/messages.ts';

export type StopSpan = readonly [from: number, to: number];

export type Stop = {
  /** The time of the state change that began it: the stop's key. */
  readonly startTs: number;
  readonly state: MachineState;
  /** The reason its state message gave, null when none. */
  readonly reason: string | null;
  /** The next state change or the window's close; null while it goes on. */
  readonly endTs: number | null;
  /** The spans booked to it, in time order; a span still open at the end of the events is left out. */
  readonly spans: readonly StopSpan[];
  /** The jobs it ran under (`job` messages): the one current at its start, then those started during it. */
  readonly jobs: readonly JobSpan[];
};

const UNPLANNED: ReadonlySet<MachineState> = new Set(['DOWN', 'SETUP', 'IDLE']);
const HEARD: ReadonlySet<MachineEvent['type']> = new Set([
  'StateChanged',
  'StateConfirmed',
  'CountsAdvanced',
  'SampleRecorded',
  'JobStarted',
]);

/**
 * Whether `stopsOf` needs `event`, given the last event kept before it: state changes, missed
 * heartbeats and closes, and the first sign of life after a missed heartbeat. A reader keeps these
 * few instead of every counts reading.
 */
export const shapesStops = (lastKept: MachineEvent | undefined, event: MachineEvent): boolean =>
  event.type === 'StateChanged' ||
  event.type === 'HeartbeatMissed' ||
  event.type === 'WindowClosed' ||
  event.type === 'JobStarted' ||
  (lastKept?.type === 'HeartbeatMissed' && HEARD.has(event.type));

type Open = {
  startTs: number;
  state: MachineState;
  reason: string | null;
  spans: StopSpan[];
  from: number | null;
  jobs: JobSpan[];
};

export const stopsOf = (events: Iterable<MachineEvent>): Stop[] => {
  const stops: Stop[] = [];
  let current: Open | null = null;
  let inGap = false;
  let lastJob: JobSpan | null = null;
  const end = (ts: number): void => {
    if (current === null) return;
    if (current.from !== null) current.spans.push([current.from, ts]);
    const { startTs, state, reason, spans, jobs } = current;
    stops.push({ startTs, state, reason, endTs: ts, spans, jobs });
    current = null;
  };
  for (const event of events) {
    if (event.type === 'StateChanged') {
      end(event.ts);
      inGap = false;
      if (UNPLANNED.has(event.state))
        current = {
          startTs: event.ts,
          state: event.state,
          reason: event.reason,
          spans: [],
          from: event.ts,
          jobs: lastJob === null ? [] : [lastJob],
        };
    } else if (event.type === 'HeartbeatMissed') {
      if (current !== null && current.from !== null) {
        current.spans.push([current.from, event.ts]);
        current.from = null;
      }
      inGap = true;
    } else if (event.type === 'WindowClosed') {
      end(event.ts);
      break;
    } else {
      if (event.type === 'JobStarted') {
        const { order, product, targetQuantity } = event;
        lastJob = { fromMs: event.ts, job: { order, product, targetQuantity } };
        if (current !== null) current.jobs.push(lastJob);
      }
      if (!inGap || !HEARD.has(event.type)) continue;
      inGap = false;
      if (current !== null) current.from = (event as { readonly ts: number }).ts;
    }
  }
  const open = current as Open | null;
  if (open !== null)
    stops.push({
      startTs: open.startTs,
      state: open.state,
      reason: open.reason,
      endTs: null,
      spans: open.spans,
      jobs: open.jobs,
    });
  return stops;
};

/** The stop `at` falls in — from its start (included) to its end (excluded), or on since its start — or the one starting at it. */
export const stopAt = (stops: readonly Stop[], at: number): Stop | undefined =>
  stops.find((s) => s.startTs === at) ?? stops.find((s) => s.startTs <= at && (s.endTs === null || at < s.endTs));
