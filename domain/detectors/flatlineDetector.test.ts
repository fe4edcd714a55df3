import test from 'ava';
import type { DetectorInput } from './detector.ts';
import { flatlineDetector } from './flatlineDetector.ts';
import { foldDetector } from './runDetectors.ts';

const T0 = Date.UTC(2026, 10, 25, 6, 0, 0);
const at = (s: number): number => T0 + s * 1000;
const sample = (s: number, value: number): DetectorInput => ({
  kind: 'sample',
  ts: at(s),
  messageId: `m${s}`,
  metrics: { pressure: value },
});

test('worked example: within ±0.5 of 101.3 for 60 s raises; 102 clears and starts a new run, which raises again 60 s later', (t) => {
  const inputs = [
    sample(0, 101.3), //  the run begins
    sample(20, 101.5),
    sample(40, 101.0),
    sample(60, 101.6), // 0.3 off, 60 s: raised
    sample(80, 101.7), // 0.4 off: still stuck
    sample(100, 102), //  0.7 off: cleared; a new run begins at 102
    sample(130, 102.1),
    sample(160, 102), //  60 s within 0.5 of 102: raised again
  ];
  const { events } = foldDetector(
    flatlineDetector({ kind: 'flatline', metric: 'pressure', forS: 60, tolerance: 0.5 }),
    inputs,
  );
  t.deepEqual(events, [
    {
      type: 'DetectorRaised',
      detector: 'flatline:pressure',
      ts: at(60),
      cause: 'pressure stuck at 101.3 (±0.5) for 60 s',
      trigger: { messageId: 'm60', ts: at(60), value: 101.6 },
    },
    { type: 'DetectorCleared', detector: 'flatline:pressure', ts: at(100), cause: 'pressure moved to 102 from 101.3' },
    {
      type: 'DetectorRaised',
      detector: 'flatline:pressure',
      ts: at(160),
      cause: 'pressure stuck at 102 (±0.5) for 60 s',
      trigger: { messageId: 'm160', ts: at(160), value: 102 },
    },
  ]);
});

test('a slow drift in steps within tolerance is not a flatline: each run is measured from its first value', (t) => {
  const drift = Array.from({ length: 50 }, (_, i) => sample(i * 20, 100 + i * 0.3));
  t.deepEqual(
    foldDetector(flatlineDetector({ kind: 'flatline', metric: 'pressure', forS: 60, tolerance: 0.5 }), drift).events,
    [],
  );
});

test('without tolerance only an identical value continues a run', (t) => {
  const detector = flatlineDetector({ kind: 'flatline', metric: 'pressure', forS: 30 });
  t.deepEqual(foldDetector(detector, [sample(0, 5), sample(20, 5.000001), sample(40, 5.000001)]).events, []);
  t.deepEqual(
    foldDetector(detector, [sample(0, 5), sample(20, 5), sample(30, 5)]).events.map((e) => e.ts),
    [at(30)],
  );
});

test('with forS 0 the first sample of a run never raises; a later equal one does', (t) => {
  const detector = flatlineDetector({ kind: 'flatline', metric: 'pressure', forS: 0 });
  t.deepEqual(foldDetector(detector, [sample(0, 5)]).events, []);
  t.deepEqual(
    foldDetector(detector, [sample(0, 5), { kind: 'sample', ts: at(0), messageId: 'copy', metrics: { pressure: 5 } }])
      .events,
    [],
  );
  t.deepEqual(
    foldDetector(detector, [sample(0, 5), sample(1, 5)]).events.map((e) => e.ts),
    [at(1)],
  );
});

test('a late sample is ignored: it neither ends a stuck run nor starts a run in the past', (t) => {
  const detector = flatlineDetector({ kind: 'flatline', metric: 'pressure', forS: 60 });
  const stuck = foldDetector(detector, [sample(0, 5), sample(60, 5)]);
  t.is(stuck.state.phase, 'raised');
  t.deepEqual(detector.step(stuck.state, sample(30, 9)), [stuck.state, []]);
  const watching = foldDetector(detector, [sample(0, 5), sample(30, 5)]);
  t.deepEqual(detector.step(watching.state, sample(10, 9)), [watching.state, []]);
});
