import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import type { DetectorInput } from './detector.ts';
import { heartbeatDetector } from './heartbeatDetector.ts';
import { foldDetector } from './runDetectors.ts';

const T0 = Date.UTC(2026, 10, 25, 6, 0, 0);
const at = (s: number): number => T0 + s * 1000;
const heard = (s: number): DetectorInput => ({ kind: 'heard', ts: at(s), messageId: `h${s}` });
const sample = (s: number): DetectorInput => ({
  kind: 'sample',
  ts: at(s),
  messageId: `m${s}`,
  metrics: { spindle_temp: 70 },
});
const tick = (s: number): DetectorInput => ({ kind: 'tick', ts: at(s) });
const detector = heartbeatDetector({ kind: 'heartbeat', timeoutS: 300 });

test('worked example: silence past 300 s raises at lastHeard + 300 s, whenever the tick comes; the next message clears', (t) => {
  const inputs = [
    heard(0),
    sample(100), //  last heard at 100 s: due at 400 s
    tick(350), //              350 < 400: nothing yet
    tick(450), //              raised, stamped 400 s, not 450 s
    tick(600), //              already raised: nothing more
    heard(700), //             cleared at 700 s
  ];
  const { events, state } = foldDetector(detector, inputs);
  t.deepEqual(events, [
    {
      type: 'DetectorRaised',
      detector: 'heartbeat',
      ts: at(400),
      cause: 'nothing heard for 300 s since 2026-11-25T06:01:40.000Z',
      trigger: null,
    },
    { type: 'DetectorCleared', detector: 'heartbeat', ts: at(700), cause: 'heard again after 600 s of silence' },
  ]);
  t.deepEqual(state, { phase: 'alive', lastHeard: at(700), lastTs: at(700) });
});

test('a message arriving after the timeout with no tick in between raises at the due time and clears at its own', (t) => {
  t.deepEqual(
    foldDetector(detector, [heard(0), sample(500)]).events.map((e) => [e.type, e.ts]),
    [
      ['DetectorRaised', at(300)],
      ['DetectorCleared', at(500)],
    ],
  );
});

test('a tick at exactly lastHeard + timeoutS raises; one a millisecond earlier does not', (t) => {
  t.deepEqual(foldDetector(detector, [heard(0), { kind: 'tick', ts: at(300) - 1 }]).events, []);
  t.deepEqual(
    foldDetector(detector, [heard(0), tick(300)]).events.map((e) => e.ts),
    [at(300)],
  );
});

test('before the first sign of life, no silence is measured', (t) => {
  const { events, state } = foldDetector(detector, [tick(0), tick(1000), tick(100_000)]);
  t.deepEqual(events, []);
  t.deepEqual(state, { phase: 'awaitingFirst' });
});

test('a late input is ignored: it neither resets the silence nor clears an alert before its raise', (t) => {
  const silent = foldDetector(detector, [heard(0), tick(450)]);
  t.is(silent.state.phase, 'silent');
  t.deepEqual(detector.step(silent.state, heard(350)), [silent.state, []]);
  const alive = foldDetector(detector, [heard(100), tick(200)]);
  t.deepEqual(detector.step(alive.state, heard(50)), [alive.state, []]);
});

// One last sign of life, then ticks at arbitrary times, at least one of them at or past the due time.
const silence = fc.record({
  lastHeardMs: fc.integer({ min: T0, max: T0 + 86_400_000 }),
  timeoutS: fc.integer({ min: 1, max: 3600 }),
  early: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: 5 }),
  late: fc.array(fc.integer({ min: 0, max: 86_400_000 }), { minLength: 1, maxLength: 5 }),
});

testProp(
  'heartbeat raisedAt = lastHeard + timeoutS regardless of tick times (300 runs)',
  [silence],
  (t, { lastHeardMs, timeoutS, early, late }) => {
    const due = lastHeardMs + timeoutS * 1000;
    const ticks = [
      ...early.map((f) => lastHeardMs + Math.floor(f * timeoutS * 1000)),
      ...late.map((d) => due + d),
    ].sort((a, b) => a - b);
    const inputs: DetectorInput[] = [
      { kind: 'heard', ts: lastHeardMs, messageId: 'last' },
      ...ticks.map((ts) => ({ kind: 'tick' as const, ts })),
    ];
    const { events } = foldDetector(heartbeatDetector({ kind: 'heartbeat', timeoutS }), inputs);
    t.deepEqual(
      events.map((e) => [e.type, e.ts]),
      [['DetectorRaised', due]],
    );
  },
  { numRuns: 300 },
);
