import test from 'ava';
import type { DetectorInput } from './detector.ts';
import type { DetectorSpec } from './detectorSpec.ts';
import { detectorFor, detectorIds, foldDetector, runDetectors } from './runDetectors.ts';

const T0 = Date.UTC(2026, 10, 25, 6, 0, 0);
const at = (s: number): number => T0 + s * 1000;
const sample = (s: number, metrics: Record<string, number>): DetectorInput => ({
  kind: 'sample',
  ts: at(s),
  messageId: `m${s}`,
  metrics,
});

const HEARTBEAT: DetectorSpec = { kind: 'heartbeat', timeoutS: 60 };
const HOT: DetectorSpec = { kind: 'threshold', metric: 't', above: 90, clearBelow: 85 };

test('detectorFor builds the detector each kind of spec names, under the spec id', (t) => {
  const specs: DetectorSpec[] = [
    HOT,
    HEARTBEAT,
    { kind: 'rateOfChange', metric: 't', maxPerS: 1 },
    { kind: 'flatline', metric: 't', forS: 10 },
  ];
  // 50 → 95 in 10 s is too fast and beyond 90, then held for 10 s, then silence: each has reason to raise.
  const inputs = [
    sample(0, { t: 50 }),
    sample(10, { t: 95 }),
    sample(20, { t: 95 }),
    { kind: 'tick', ts: at(100) } as const,
  ];
  const raisedBy = specs.map((spec) =>
    foldDetector(detectorFor(spec), inputs)
      .events.filter((e) => e.type === 'DetectorRaised')
      .map((e) => `${e.detector}@${(e.ts - T0) / 1000}`),
  );
  t.deepEqual(raisedBy, [['threshold:t@10'], ['heartbeat@80'], ['rateOfChange:t@10'], ['flatline:t@20']]);
});

test('one input goes to every detector and the events come back in spec order', (t) => {
  // The sample at 100 s both ends a 100 s silence and breaches the threshold.
  const inputs = [sample(0, { t: 20 }), sample(100, { t: 95 })];
  const kinds = (specs: DetectorSpec[]) =>
    foldDetector(runDetectors(specs), inputs).events.map((e) => `${e.detector} ${e.type}`);
  t.deepEqual(kinds([HEARTBEAT, HOT]), [
    'heartbeat DetectorRaised',
    'heartbeat DetectorCleared',
    'threshold:t DetectorRaised',
  ]);
  t.deepEqual(kinds([HOT, HEARTBEAT]), [
    'threshold:t DetectorRaised',
    'heartbeat DetectorRaised',
    'heartbeat DetectorCleared',
  ]);
});

test('two specs with one id keep separate states and alerts that can be told apart', (t) => {
  const hot: DetectorSpec = { kind: 'threshold', metric: 't', above: 90 };
  const cold: DetectorSpec = { kind: 'threshold', metric: 't', below: 10 };
  t.deepEqual(detectorIds([hot, cold, HEARTBEAT, hot]), ['threshold:t', 'threshold:t#2', 'heartbeat', 'threshold:t#3']);
  const { events, state } = foldDetector(runDetectors([hot, cold]), [sample(0, { t: 95 }), sample(10, { t: 5 })]);
  t.deepEqual(
    events.map((e) => `${e.detector} ${e.type}`),
    ['threshold:t DetectorRaised', 'threshold:t DetectorCleared', 'threshold:t#2 DetectorRaised'],
  );
  t.deepEqual(Object.keys(state), ['threshold:t', 'threshold:t#2']);
});

test('the combined state is keyed by detector id and survives a JSON snapshot', (t) => {
  const detectors = runDetectors([HOT, HEARTBEAT]);
  t.deepEqual(detectors.initialState, {
    'threshold:t': { phase: 'normal', lastTs: null },
    heartbeat: { phase: 'awaitingFirst' },
  });
  const before = foldDetector(detectors, [sample(0, { t: 95 })]);
  const restored = JSON.parse(JSON.stringify(before.state));
  t.deepEqual(
    foldDetector(detectors, [sample(100, { t: 50 })], restored).events.map(
      (e) => `${e.detector} ${e.type} ${(e.ts - T0) / 1000}`,
    ),
    ['threshold:t DetectorCleared 100', 'heartbeat DetectorRaised 60', 'heartbeat DetectorCleared 100'],
  );
});

test('a state without one of the detectors (a snapshot from an older configuration) starts that detector afresh', (t) => {
  const detectors = runDetectors([HOT, HEARTBEAT]);
  const [state, events] = detectors.step({ heartbeat: { phase: 'awaitingFirst' } }, sample(0, { t: 95 }));
  t.deepEqual(
    events.map((e) => e.detector),
    ['threshold:t'],
  );
  t.deepEqual(Object.keys(state), ['threshold:t', 'heartbeat']);
});
