// A machine's state timeline: which state it was in when, read from its settled events with the same
// rules the OEE projection books time by (domain/oee/oeeProjection.ts) — before the first state and
// after a heartbeat timeout is a data gap; any message after a gap resumes the last known state. So
// the bars a plant manager sees add up to the hours in the OEE numbers beside them.
import type { MachineEvent } from '../../domain/machine/events.ts';
import type { MachineState } from '../../domain/wire/messages.ts';

export type TimelineState = MachineState | 'GAP';

export type TimelineSegment = {
  readonly from: number;
  readonly to: number;
  readonly state: TimelineState;
  readonly reason: string | null;
};

type OpenSegment = { readonly from: number; readonly state: TimelineState; readonly reason: string | null };

export type MachineTimeline = {
  readonly segments: readonly TimelineSegment[];
  readonly open: OpenSegment | null;
  readonly lastKnown: { readonly state: MachineState; readonly reason: string | null } | null;
  readonly closed: boolean;
};

export const initialTimeline: MachineTimeline = { segments: [], open: null, lastKnown: null, closed: false };

/** Appends a finished segment, merging it into the previous one when nothing visible changed. */
const append = (segments: readonly TimelineSegment[], segment: TimelineSegment): readonly TimelineSegment[] => {
  if (segment.to <= segment.from) return segments;
  const last = segments[segments.length - 1];
  if (
    last !== undefined &&
    last.to === segment.from &&
    last.state === segment.state &&
    last.reason === segment.reason
  ) {
    return [...segments.slice(0, -1), { ...last, to: segment.to }];
  }
  return [...segments, segment];
};

const switchTo = (
  timeline: MachineTimeline,
  ts: number,
  state: TimelineState,
  reason: string | null,
): MachineTimeline => {
  const open = timeline.open;
  if (open === null) return { ...timeline, open: { from: ts, state, reason } };
  const at = Math.max(open.from, ts);
  return {
    ...timeline,
    segments: append(timeline.segments, { from: open.from, to: at, state: open.state, reason: open.reason }),
    open: { from: at, state, reason },
  };
};

const heard = (timeline: MachineTimeline, ts: number): MachineTimeline => {
  const opened =
    timeline.open === null ? { ...timeline, open: { from: ts, state: 'GAP' as const, reason: null } } : timeline;
  return opened.open?.state === 'GAP' && opened.lastKnown !== null
    ? switchTo(opened, ts, opened.lastKnown.state, opened.lastKnown.reason)
    : opened;
};

export const evolveTimeline = (timeline: MachineTimeline, event: MachineEvent): MachineTimeline => {
  if (timeline.closed) return timeline;
  switch (event.type) {
    case 'WindowOpened':
      if (timeline.open === null) return { ...timeline, open: { from: event.ts, state: 'GAP', reason: null } };
      return timeline.segments.length === 0 && event.ts < timeline.open.from
        ? { ...timeline, open: { ...timeline.open, from: event.ts } }
        : timeline;
    case 'StateChanged':
      return {
        ...switchTo(timeline, event.ts, event.state, event.reason),
        lastKnown: { state: event.state, reason: event.reason },
      };
    case 'StateConfirmed':
    case 'SampleRecorded':
    case 'CountsAdvanced':
      return heard(timeline, event.ts);
    case 'HeartbeatMissed':
      return timeline.open === null ? timeline : switchTo(timeline, event.ts, 'GAP', null);
    case 'WindowClosed':
      return timeline.open === null
        ? { ...timeline, closed: true }
        : { ...switchTo(timeline, event.ts, 'GAP', null), open: null, closed: true };
    default:
      return timeline;
  }
};

export const foldTimeline = (
  events: Iterable<MachineEvent>,
  from: MachineTimeline = initialTimeline,
): MachineTimeline => {
  let timeline = from;
  for (const event of events) timeline = evolveTimeline(timeline, event);
  return timeline;
};

/** The finished segments, with a still-open one drawn up to `endTs` (a live machine's "now"). */
export const timelineSegments = (timeline: MachineTimeline, endTs: number): readonly TimelineSegment[] =>
  timeline.open === null
    ? timeline.segments
    : append(timeline.segments, { ...timeline.open, to: Math.max(endTs, timeline.open.from) });
