import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import type { DetectorInput } from './detector.ts';
import type { RateOfChangeSpec } from './detectorSpec.ts';
import { rateOfChangeDetector } from './rateOfChangeDetector.ts';
import { foldDetector } from './runDetectors.ts';

const T0 = Date.UTC(2026, 10, 25, 6, 0, 0);
const at = (s: number): number => T0 + s * 1000;
const sample = (s: number, value: number, metric = 'vibration'): DetectorInput => ({
  kind: 'sample',
  ts: at(s),
  messageId: `m${s}`,
  metrics: { [metric]: value },
});
const SPEC: RateOfChangeSpec = { kind: 'rateOfChange', metric: 'vibration', maxPerS: 2, forS: 10 };

test('worked example: a change faster than 2/s that lasts 10 s raises; back at 1/s clears', (t) => {
  const inputs = [
    sample(0, 100),
    sample(5, 105), //  1/s
    sample(10, 120), // 3/s: the fast change began at 5 s
    sample(15, 135), // 3/s for 15 − 5 = 10 s: raised
    sample(20, 150), // 3/s: still raised
    sample(25, 155), // 1/s: cleared
  ];
  const { events } = foldDetector(rateOfChangeDetector(SPEC), inputs);
  t.deepEqual(events, [
    {
      type: 'DetectorRaised',
      detector: 'rateOfChange:vibration',
      ts: at(15),
      cause: 'vibration changing 3/s, above 2/s for 10 s',
      trigger: { messageId: 'm15', ts: at(15), value: 135 },
    },
    {
      type: 'DetectorCleared',
      detector: 'rateOfChange:vibration',
      ts: at(25),
      cause: 'vibration changing 1/s, at or below 2/s',
    },
  ]);
});

test('a fast change shorter than forS raises nothing, and a slow interval resets it', (t) => {
  // Fast 0–5 s, slow 5–10 s, fast 10–15 s: two 5 s stretches, neither lasting 10 s.
  t.deepEqual(
    foldDetector(rateOfChangeDetector(SPEC), [sample(0, 0), sample(5, 50), sample(10, 55), sample(15, 100)]).events,
    [],
  );
});

test('a falling value counts like a rising one, and a rate exactly at the limit is not above it', (t) => {
  const detector = rateOfChangeDetector({ kind: 'rateOfChange', metric: 'vibration', maxPerS: 2 });
  t.deepEqual(
    foldDetector(detector, [sample(0, 100), sample(10, 80), sample(20, 59)]).events.map((e) => [e.type, e.ts, e.cause]),
    [['DetectorRaised', at(20), 'vibration changing 2.1/s, above 2/s for 10 s']],
  );
});

test('without forS the first fast interval raises', (t) => {
  const detector = rateOfChangeDetector({ kind: 'rateOfChange', metric: 'vibration', maxPerS: 2 });
  t.deepEqual(
    foldDetector(detector, [sample(0, 0), sample(1, 3), sample(2, 4)]).events.map((e) => [e.type, e.ts]),
    [
      ['DetectorRaised', at(1)],
      ['DetectorCleared', at(2)],
    ],
  );
});

test('a sample at the same instant or earlier than the last is ignored: the next rate is taken against the last one used', (t) => {
  const detector = rateOfChangeDetector({ kind: 'rateOfChange', metric: 'vibration', maxPerS: 2 });
  const start = foldDetector(detector, [sample(0, 0), sample(10, 10)]);
  t.deepEqual(detector.step(start.state, sample(10, 1000)), [start.state, []]);
  t.deepEqual(detector.step(start.state, sample(5, -1000)), [start.state, []]);
  // 10 → 25 over 10 s is 1.5/s; had either ignored sample been taken, this would be far above the limit.
  t.deepEqual(foldDetector(detector, [sample(10, 1000), sample(5, -1000), sample(20, 25)], start.state).events, []);
});

test('samples of other metrics and heard and tick inputs do not take part in the rate', (t) => {
  const detector = rateOfChangeDetector({ kind: 'rateOfChange', metric: 'vibration', maxPerS: 2 });
  const inputs: DetectorInput[] = [
    sample(0, 0),
    sample(1, 500, 'other'),
    { kind: 'heard', ts: at(2), messageId: 'h' },
    { kind: 'tick', ts: at(3) },
    sample(10, 10),
  ];
  t.deepEqual(foldDetector(detector, inputs).events, []);
});

// Samples at strictly increasing times with steep and gentle steps, and a limit and forS to match.
const rateScenario = fc.record({
  maxPerS: fc.integer({ min: 0, max: 5 }),
  forS: fc.integer({ min: 0, max: 30 }),
  steps: fc.array(fc.record({ gapMs: fc.integer({ min: 1, max: 10_000 }), delta: fc.integer({ min: -60, max: 60 }) }), {
    maxLength: 60,
    size: 'medium',
  }),
});

testProp(
  'no alert is raised by a fast change shorter than forS: every raise ends an unbroken over-limit stretch of at least forS (300 runs)',
  [rateScenario],
  (t, { maxPerS, forS, steps }) => {
    let ts = T0;
    let value = 0;
    const points = [
      { ts, value },
      ...steps.map(({ gapMs, delta }) => ({ ts: (ts += gapMs), value: (value += delta) })),
    ];
    const inputs = points.map((p, i): DetectorInput => ({
      kind: 'sample',
      ts: p.ts,
      messageId: `m${i}`,
      metrics: { v: p.value },
    }));
    const fast = (i: number): boolean => {
      const [a, b] = [points[i - 1], points[i]];
      return a !== undefined && b !== undefined && Math.abs(b.value - a.value) / ((b.ts - a.ts) / 1000) > maxPerS;
    };
    const stretchMs = (i: number): number => {
      let first = i;
      while (fast(first - 1)) first -= 1;
      return (points[i]?.ts ?? 0) - (points[first - 1]?.ts ?? 0);
    };
    const raisedAt = foldDetector(rateOfChangeDetector({ kind: 'rateOfChange', metric: 'v', maxPerS, forS }), inputs)
      .events.filter((e) => e.type === 'DetectorRaised')
      .map((e) => points.findIndex((p) => p.ts === e.ts));
    t.deepEqual(
      raisedAt.filter((i) => !fast(i) || stretchMs(i) < forS * 1000),
      [],
    );
  },
  { numRuns: 300 },
);
