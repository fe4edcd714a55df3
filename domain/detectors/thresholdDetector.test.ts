import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import type { DetectorInput } from './detector.ts';
import type { ThresholdSpec } from './detectorSpec.ts';
import { foldDetector } from './runDetectors.ts';
import { thresholdDetector } from './thresholdDetector.ts';

const T0 = Date.UTC(2026, 10, 25, 6, 0, 0);
const at = (s: number): number => T0 + s * 1000;
const sample = (s: number, value: number, metric = 'spindle_temp'): DetectorInput => ({
  kind: 'sample',
  ts: at(s),
  messageId: `m${s}`,
  metrics: { [metric]: value },
});
const DESIGN_SPEC: ThresholdSpec = { kind: 'threshold', metric: 'spindle_temp', above: 90, clearBelow: 85, forS: 30 };

test('worked example: a short breach resets, a 30 s breach raises at its 30th second, the band holds it, past 85 clears', (t) => {
  const inputs = [
    sample(0, 80),
    sample(10, 91),
    sample(20, 92), // pending since 10 s …
    sample(30, 89), //                 … back inside after 20 s: reset, nothing raised
    sample(40, 92.4),
    sample(50, 93),
    sample(60, 94),
    sample(70, 92.4), //               70 − 40 = 30 s ≥ forS: raised here
    sample(80, 87),
    sample(90, 95),
    sample(100, 86), // inside the band or beyond again: still one alert
    sample(110, 84.1), //              past clearBelow: cleared
    sample(120, 88),
  ];
  const { events, state } = foldDetector(thresholdDetector(DESIGN_SPEC), inputs);
  t.deepEqual(events, [
    {
      type: 'DetectorRaised',
      detector: 'threshold:spindle_temp',
      ts: at(70),
      cause: 'spindle_temp 92.4 above 90 for 30 s',
      trigger: { messageId: 'm70', ts: at(70), value: 92.4 },
    },
    {
      type: 'DetectorCleared',
      detector: 'threshold:spindle_temp',
      ts: at(110),
      cause: 'spindle_temp 84.1 below clear bound 85',
    },
  ]);
  t.deepEqual(state, { phase: 'normal', lastTs: at(120) });
});

test('a breach of exactly forS raises; one millisecond less does not', (t) => {
  const detector = thresholdDetector({ kind: 'threshold', metric: 'p', above: 10, forS: 5 });
  const s = (ms: number, value: number): DetectorInput => ({
    kind: 'sample',
    ts: T0 + ms,
    messageId: `m${ms}`,
    metrics: { p: value },
  });
  t.deepEqual(foldDetector(detector, [s(0, 11), s(4999, 11)]).events, []);
  t.deepEqual(
    foldDetector(detector, [s(0, 11), s(5000, 11)]).events.map((e) => [e.type, e.ts]),
    [['DetectorRaised', T0 + 5000]],
  );
});

test('without forS the first breaching sample raises, and the cause names no duration', (t) => {
  const { events } = foldDetector(thresholdDetector({ kind: 'threshold', metric: 'spindle_temp', above: 90 }), [
    sample(0, 89),
    sample(5, 90),
    sample(10, 90.5),
    sample(15, 90),
    sample(20, 89.9),
  ]);
  // 90 is not beyond 90; without clearBelow the clear bound is the raise bound, so 90 holds and 89.9 clears.
  t.deepEqual(
    events.map((e) => [e.type, e.ts, e.cause]),
    [
      ['DetectorRaised', at(10), 'spindle_temp 90.5 above 90'],
      ['DetectorCleared', at(20), 'spindle_temp 89.9 below clear bound 90'],
    ],
  );
});

test('a lower limit raises below `below` and clears above `clearAbove`', (t) => {
  const spec: ThresholdSpec = { kind: 'threshold', metric: 'oil_pressure', below: 200, clearAbove: 220, forS: 10 };
  const p = (s: number, v: number) => sample(s, v, 'oil_pressure');
  const { events } = foldDetector(thresholdDetector(spec), [
    p(0, 250),
    p(10, 190),
    p(20, 180),
    p(30, 210),
    p(40, 199),
    p(50, 225),
  ]);
  t.deepEqual(
    events.map((e) => [e.type, e.ts, e.cause]),
    [
      ['DetectorRaised', at(20), 'oil_pressure 180 below 200 for 10 s'],
      ['DetectorCleared', at(50), 'oil_pressure 225 above clear bound 220'],
    ],
  );
});

test('a jump from beyond the upper limit to beyond the lower one clears the first breach and begins the second', (t) => {
  const spec: ThresholdSpec = {
    kind: 'threshold',
    metric: 'spindle_temp',
    above: 90,
    clearBelow: 85,
    below: 10,
    clearAbove: 15,
  };
  const { events } = foldDetector(thresholdDetector(spec), [sample(0, 95), sample(10, 5), sample(20, 50)]);
  t.deepEqual(
    events.map((e) => [e.type, e.ts, e.cause]),
    [
      ['DetectorRaised', at(0), 'spindle_temp 95 above 90'],
      ['DetectorCleared', at(10), 'spindle_temp 5 below clear bound 85'],
      ['DetectorRaised', at(10), 'spindle_temp 5 below 10'],
      ['DetectorCleared', at(20), 'spindle_temp 50 above clear bound 15'],
    ],
  );
});

test('a pending breach that crosses to the other limit restarts its clock there', (t) => {
  const spec: ThresholdSpec = { kind: 'threshold', metric: 'spindle_temp', above: 90, below: 10, forS: 20 };
  const { events } = foldDetector(thresholdDetector(spec), [
    sample(0, 95),
    sample(15, 5),
    sample(30, 5),
    sample(35, 5),
  ]);
  t.deepEqual(
    events.map((e) => [e.type, e.ts]),
    [['DetectorRaised', at(35)]],
  );
});

test('inputs without the metric, heard and tick inputs leave the state as it was', (t) => {
  const detector = thresholdDetector(DESIGN_SPEC);
  const [pending] = detector.step(detector.initialState, sample(0, 95));
  for (const input of [
    sample(100, 20, 'other'),
    { kind: 'heard', ts: at(100), messageId: 'h' } as const,
    { kind: 'tick', ts: at(100) } as const,
  ]) {
    t.deepEqual(detector.step(pending, input), [pending, []]);
  }
});

test('a late sample is ignored: it can neither clear an alert before its raise nor reset a pending breach', (t) => {
  const detector = thresholdDetector(DESIGN_SPEC);
  const raised = foldDetector(detector, [sample(0, 95), sample(30, 95)]);
  t.is(raised.state.phase, 'raised');
  t.deepEqual(detector.step(raised.state, sample(10, 0)), [raised.state, []]);
  const pending = foldDetector(detector, [sample(0, 95), sample(20, 95)]);
  t.deepEqual(
    foldDetector(detector, [sample(5, 0), sample(30, 95)], pending.state).events.map((e) => e.ts),
    [at(30)],
  );
});

test('a clear bound on the wrong side of the raise bound does not make the alert flap', (t) => {
  const spec: ThresholdSpec = { kind: 'threshold', metric: 'spindle_temp', above: 90, clearBelow: 95 };
  const { events } = foldDetector(thresholdDetector(spec), [
    sample(0, 92),
    sample(10, 92),
    sample(20, 92),
    sample(30, 89),
  ]);
  t.deepEqual(
    events.map((e) => [e.type, e.ts]),
    [
      ['DetectorRaised', at(0)],
      ['DetectorCleared', at(30)],
    ],
  );
});

// Hysteresis bands and timelines drawn at random: raise bound `above`, clear bound `above − width`.
const band = fc.record({
  above: fc.integer({ min: -1000, max: 1000 }),
  width: fc.integer({ min: 1, max: 50 }),
  forS: fc.integer({ min: 0, max: 120 }),
});
const gapsMs = (max: number) => fc.array(fc.integer({ min: 1, max: 60_000 }), { minLength: 1, maxLength: max });
const timeline = (gaps: readonly number[], values: readonly number[], start: number): DetectorInput[] => {
  let ts = start;
  return values.map((value, i) => {
    ts += gaps[i % gaps.length] ?? 1;
    return { kind: 'sample', ts, messageId: `m${i}`, metrics: { x: value } };
  });
};
const inside = (lo: number, hi: number) =>
  fc.double({ min: lo, max: hi, minExcluded: true, maxExcluded: true, noNaN: true });

testProp(
  'after a raise, a signal oscillating strictly inside the hysteresis band (clearBelow < v < above) never raises a second alert nor clears (300 runs)',
  [
    band.chain((b) =>
      fc.tuple(fc.constant(b), fc.array(inside(b.above - b.width, b.above), { maxLength: 60 }), gapsMs(10)),
    ),
  ],
  (t, [b, values, gaps]) => {
    const detector = thresholdDetector({
      kind: 'threshold',
      metric: 'x',
      above: b.above,
      clearBelow: b.above - b.width,
      forS: b.forS,
    });
    const breach: DetectorInput[] = [
      { kind: 'sample', ts: T0, messageId: 'b0', metrics: { x: b.above + 1 } },
      { kind: 'sample', ts: T0 + b.forS * 1000, messageId: 'b1', metrics: { x: b.above + 1 } },
    ];
    const raised = foldDetector(detector, breach);
    t.is(raised.events.filter((e) => e.type === 'DetectorRaised').length, 1);
    t.deepEqual(foldDetector(detector, timeline(gaps, values, T0 + b.forS * 1000), raised.state).events, []);
  },
  { numRuns: 300 },
);

testProp(
  'from normal, a signal oscillating inside the band raises at most one alert, even crossing above, while it never goes past clearBelow (300 runs)',
  [
    band.chain((b) =>
      fc.tuple(fc.constant(b), fc.array(inside(b.above - b.width, b.above + b.width), { maxLength: 60 }), gapsMs(10)),
    ),
  ],
  (t, [b, values, gaps]) => {
    const detector = thresholdDetector({
      kind: 'threshold',
      metric: 'x',
      above: b.above,
      clearBelow: b.above - b.width,
      forS: b.forS,
    });
    const { events } = foldDetector(detector, timeline(gaps, values, T0));
    t.true(events.length <= 1);
    t.true(events.every((e) => e.type === 'DetectorRaised'));
  },
  { numRuns: 300 },
);

testProp(
  'from normal, a signal strictly inside the band raises nothing (300 runs)',
  [
    band.chain((b) =>
      fc.tuple(fc.constant(b), fc.array(inside(b.above - b.width, b.above), { maxLength: 60 }), gapsMs(10)),
    ),
  ],
  (t, [b, values, gaps]) => {
    const detector = thresholdDetector({
      kind: 'threshold',
      metric: 'x',
      above: b.above,
      clearBelow: b.above - b.width,
      forS: b.forS,
    });
    t.deepEqual(foldDetector(detector, timeline(gaps, values, T0)).events, []);
  },
  { numRuns: 300 },
);

// Breaches whose first and last breaching samples lie less than forS apart, each followed by a
// sample back inside the raise bound; values beyond the bound are drawn from both sides of it.
const shortBreaches = fc.integer({ min: 1, max: 300 }).chain((forS) =>
  fc.tuple(
    fc.constant(forS),
    fc.array(
      fc.record({
        offsetsMs: fc.uniqueArray(fc.integer({ min: 0, max: forS * 1000 - 1 }), { minLength: 1, maxLength: 8 }),
        beyond: fc.array(fc.double({ min: 0, max: 1000, minExcluded: true, noNaN: true }), {
          minLength: 8,
          maxLength: 8,
        }),
        back: fc.double({ min: -1000, max: 0, noNaN: true }),
        pauseMs: fc.integer({ min: 1, max: 600_000 }),
      }),
      { maxLength: 10 },
    ),
  ),
);

testProp(
  'no alert is raised by a breach shorter than forS (300 runs)',
  [shortBreaches],
  (t, [forS, breaches]) => {
    const above = 50;
    const inputs: DetectorInput[] = [];
    let start = T0;
    breaches.forEach((breach, b) => {
      [...breach.offsetsMs]
        .sort((x, y) => x - y)
        .forEach((offset, i) => {
          inputs.push({
            kind: 'sample',
            ts: start + offset,
            messageId: `b${b}-${i}`,
            metrics: { x: above + (breach.beyond[i] ?? 1) },
          });
        });
      start += forS * 1000 - 1;
      inputs.push({ kind: 'sample', ts: start, messageId: `b${b}-back`, metrics: { x: above + breach.back } });
      start += breach.pauseMs;
    });
    const { events } = foldDetector(
      thresholdDetector({ kind: 'threshold', metric: 'x', above, clearBelow: 40, forS }),
      inputs,
    );
    t.deepEqual(events, []);
  },
  { numRuns: 300 },
);
