import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { alwaysPlannedUtc } from '../../domain/oee/calendar.ts';
import { foldOee, oeeWindow, WHOLE_RANGE } from '../../domain/oee/oeeProjection.ts';
import { MACHINE_STATES, type MachineState } from '../../domain/wire/messages.ts';
import { foldTimeline, timelineSegments, type TimelineSegment } from './machineTimeline.ts';

const T0 = Date.UTC(2026, 10, 24, 6);

type Step = {
  readonly dt: number;
  readonly kind: 'state' | 'sample' | 'heartbeat';
  readonly state: MachineState;
  readonly reason: string | null;
};
const step = fc.record({
  dt: fc.integer({ min: 0, max: 3_600_000 }),
  kind: fc.constantFrom('state' as const, 'sample' as const, 'heartbeat' as const),
  state: fc.constantFrom(...MACHINE_STATES),
  reason: fc.constantFrom(null, 'jam', 'changeover'),
});

/** A machine's settled stream: opened, then states, samples and heartbeat timeouts in time order, then closed. */
const streamOf = (steps: readonly Step[], closeAfter: number): MachineEvent[] => {
  let ts = T0;
  const events: MachineEvent[] = [{ type: 'WindowOpened', ts }];
  steps.forEach((s, i) => {
    ts += s.dt;
    if (s.kind === 'state')
      events.push({ type: 'StateChanged', ts, messageId: `s${i}`, state: s.state, reason: s.reason, previous: null });
    else if (s.kind === 'sample') events.push({ type: 'SampleRecorded', ts, messageId: `t${i}`, metrics: { x: 1 } });
    else events.push({ type: 'HeartbeatMissed', ts, lastHeardTs: ts - 300_000 });
  });
  events.push({ type: 'WindowClosed', ts: ts + closeAfter });
  return events;
};

const sumOf = (segments: readonly TimelineSegment[], states: readonly string[]): number =>
  segments.filter((s) => states.includes(s.state)).reduce((sum, s) => sum + (s.to - s.from), 0);

testProp(
  'the timeline tiles the window from its opening to its close, without gaps or overlaps',
  [fc.array(step, { maxLength: 40 }), fc.integer({ min: 1, max: 3_600_000 })],
  (t, steps, closeAfter) => {
    const events = streamOf(steps, closeAfter);
    const segments = foldTimeline(events).segments;
    const closeTs = (events[events.length - 1] as { readonly ts: number }).ts;
    t.is(segments[0]?.from, T0);
    t.is(segments[segments.length - 1]?.to, closeTs);
    for (const [i, s] of segments.entries()) {
      t.true(s.to > s.from);
      if (i > 0) t.is(s.from, segments[i - 1]!.to);
    }
  },
  { numRuns: 200 },
);

testProp(
  "with every hour planned and no micro-stop threshold, time per state equals the OEE projection's run, down, planned-stop and data-gap time",
  [fc.array(step, { maxLength: 40 }), fc.integer({ min: 1, max: 3_600_000 })],
  (t, steps, closeAfter) => {
    const events = streamOf(steps, closeAfter);
    const segments = foldTimeline(events).segments;
    const totals = oeeWindow(foldOee({ calendar: alwaysPlannedUtc, microStopMs: 0 }, events), WHOLE_RANGE);
    t.is(sumOf(segments, ['RUNNING']), totals?.runMs ?? 0);
    t.is(sumOf(segments, ['DOWN', 'SETUP', 'IDLE']), totals?.downMs ?? 0);
    t.is(sumOf(segments, ['PLANNED_STOP', 'OFF']), totals?.plannedStopMs ?? 0);
    t.is(sumOf(segments, ['GAP']), totals?.dataGapMs ?? 0);
  },
  { numRuns: 200 },
);

testProp(
  'folding a stream in two parts gives the timeline of folding it at once',
  [fc.array(step, { maxLength: 30 }), fc.integer({ min: 1, max: 100_000 }), fc.nat()],
  (t, steps, closeAfter, cut) => {
    const events = streamOf(steps, closeAfter);
    const at = cut % (events.length + 1);
    t.deepEqual(foldTimeline(events.slice(at), foldTimeline(events.slice(0, at))), foldTimeline(events));
  },
  { numRuns: 100 },
);

test('a heartbeat timeout is a gap until the next message resumes the last known state', (t) => {
  const min = 60_000;
  const timeline = foldTimeline([
    { type: 'WindowOpened', ts: T0 },
    { type: 'SampleRecorded', ts: T0 + min, messageId: 't0', metrics: {} },
    { type: 'StateChanged', ts: T0 + 2 * min, messageId: 's0', state: 'DOWN', reason: 'jam', previous: null },
    { type: 'HeartbeatMissed', ts: T0 + 10 * min, lastHeardTs: T0 + 5 * min },
    { type: 'SampleRecorded', ts: T0 + 20 * min, messageId: 't1', metrics: {} },
    { type: 'StateChanged', ts: T0 + 25 * min, messageId: 's1', state: 'RUNNING', reason: null, previous: 'DOWN' },
  ]);
  t.deepEqual(timelineSegments(timeline, T0 + 30 * min), [
    { from: T0, to: T0 + 2 * min, state: 'GAP', reason: null },
    { from: T0 + 2 * min, to: T0 + 10 * min, state: 'DOWN', reason: 'jam' },
    { from: T0 + 10 * min, to: T0 + 20 * min, state: 'GAP', reason: null },
    { from: T0 + 20 * min, to: T0 + 25 * min, state: 'DOWN', reason: 'jam' },
    { from: T0 + 25 * min, to: T0 + 30 * min, state: 'RUNNING', reason: null },
  ]);
});
