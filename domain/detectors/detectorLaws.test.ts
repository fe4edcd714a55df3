// Laws every detector keeps on any input sequence, checked through the combined decider so that the
// wiring (ids, spec order, state map) is under test too.
import { testProp, fc } from '@fast-check/ava';
import type { AlertEvent, DetectorInput } from './detector.ts';
import type { DetectorSpec } from './detectorSpec.ts';
import { foldDetector, runDetectors } from './runDetectors.ts';

const T0 = Date.UTC(2026, 10, 25, 6, 0, 0);
const metric = fc.constantFrom('x', 'y');
// A few repeated levels make flatlines and steep steps likely, small integers make values near the
// bounds likely, doubles cover the rest.
const level = fc.oneof(
  fc.constantFrom(0, 50, 95),
  fc.integer({ min: -20, max: 120 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
);
// Short gaps give steep rates and runs within forS; long ones give heartbeat silences.
const gapMs = fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 90_000 }));
const bound = fc.option(fc.integer({ min: -20, max: 120 }), { nil: undefined });
const seconds = (max: number) => fc.option(fc.integer({ min: 0, max }), { nil: undefined });
const dropUndefined = <T extends object>(o: T): T => JSON.parse(JSON.stringify(o));

const spec: fc.Arbitrary<DetectorSpec> = fc.oneof(
  fc
    .record({
      kind: fc.constant('threshold' as const),
      metric,
      above: bound,
      clearBelow: bound,
      below: bound,
      clearAbove: bound,
      forS: seconds(60),
    })
    .map(dropUndefined),
  fc.record({ kind: fc.constant('heartbeat' as const), timeoutS: fc.integer({ min: 0, max: 120 }) }),
  fc
    .record({
      kind: fc.constant('rateOfChange' as const),
      metric,
      maxPerS: fc.integer({ min: 0, max: 10 }),
      forS: seconds(60),
    })
    .map(dropUndefined),
  fc
    .record({
      kind: fc.constant('flatline' as const),
      metric,
      forS: fc.integer({ min: 0, max: 60 }),
      tolerance: seconds(3),
    })
    .map(dropUndefined),
);
const specs = fc.array(spec, { minLength: 1, maxLength: 6 });

type Shape = { kind: 'sample' | 'heard' | 'tick'; metrics: { x?: number; y?: number } };
const shape: fc.Arbitrary<Shape> = fc.record({
  kind: fc.constantFrom('sample' as const, 'sample' as const, 'heard' as const, 'tick' as const),
  metrics: fc.record({ x: level, y: level }, { requiredKeys: [] }),
});
const toInput = (s: Shape, ts: number, i: number): DetectorInput =>
  s.kind === 'tick'
    ? { kind: 'tick', ts }
    : s.kind === 'heard'
      ? { kind: 'heard', ts, messageId: `h${i}` }
      : { kind: 'sample', ts, messageId: `m${i}`, metrics: s.metrics };

/** Inputs in non-decreasing ts order, as the machine fold delivers them (gaps of 0 included). */
const orderedInputs = fc.array(fc.tuple(shape, gapMs), { maxLength: 80, size: 'medium' }).map((steps) => {
  let ts = T0;
  return steps.map(([s, gap], i) => toInput(s, (ts += gap), i));
});
/** Inputs in any order: late ones included. */
const anyOrderInputs = fc
  .array(fc.tuple(shape, fc.integer({ min: T0, max: T0 + 600_000 })), { maxLength: 80, size: 'medium' })
  .map((steps) => steps.map(([s, ts], i) => toInput(s, ts, i)));

const byDetector = (events: readonly AlertEvent[]): Map<string, AlertEvent[]> => {
  const groups = new Map<string, AlertEvent[]>();
  for (const e of events) groups.set(e.detector, [...(groups.get(e.detector) ?? []), e]);
  return groups;
};
const alternating = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'DetectorRaised' : 'DetectorCleared'));

testProp(
  'for every detector, raised and cleared alternate, starting with raised, and its events never go back in time (300 runs)',
  [specs, orderedInputs],
  (t, detectorSpecs, inputs) => {
    const groups = [...byDetector(foldDetector(runDetectors(detectorSpecs), inputs).events)];
    t.deepEqual(
      groups.map(([id, events]) => [id, events.map((e) => e.type)]),
      groups.map(([id, events]) => [id, alternating(events.length)]),
    );
    t.deepEqual(
      groups.filter(([, events]) => events.some((e, i) => i > 0 && e.ts < (events[i - 1]?.ts ?? -Infinity))),
      [],
    );
  },
  { numRuns: 300 },
);

testProp(
  'with late inputs among them, raised and cleared still alternate and no alert clears before it was raised (300 runs)',
  [specs, anyOrderInputs],
  (t, detectorSpecs, inputs) => {
    const groups = [...byDetector(foldDetector(runDetectors(detectorSpecs), inputs).events)];
    t.deepEqual(
      groups.map(([id, events]) => [id, events.map((e) => e.type)]),
      groups.map(([id, events]) => [id, alternating(events.length)]),
    );
    t.deepEqual(
      groups.filter(([, events]) =>
        events.some((e, i) => e.type === 'DetectorCleared' && e.ts < (events[i - 1]?.ts ?? Infinity)),
      ),
      [],
    );
  },
  { numRuns: 300 },
);

testProp(
  'the same inputs give the same events and state (determinism) (300 runs)',
  [specs, orderedInputs],
  (t, detectorSpecs, inputs) => {
    const first = foldDetector(runDetectors(detectorSpecs), inputs);
    const again = foldDetector(runDetectors(structuredClone(detectorSpecs)), structuredClone(inputs));
    t.deepEqual(again, first);
  },
  { numRuns: 300 },
);

testProp(
  'inputs fed in two batches with a JSON snapshot of the state between give the same events as one batch (300 runs)',
  [specs, orderedInputs, fc.nat()],
  (t, detectorSpecs, inputs, cut) => {
    const detectors = runDetectors(detectorSpecs);
    const at = inputs.length === 0 ? 0 : cut % (inputs.length + 1);
    const whole = foldDetector(detectors, inputs);
    const head = foldDetector(detectors, inputs.slice(0, at));
    const tail = foldDetector(detectors, inputs.slice(at), JSON.parse(JSON.stringify(head.state)));
    t.deepEqual([...head.events, ...tail.events], whole.events);
    t.deepEqual(tail.state, whole.state);
  },
  { numRuns: 300 },
);
