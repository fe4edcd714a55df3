import test from 'ava';
import { alertLifecycles } from './alertProjection.ts';

test("a detector raised at the edge and again by the machine's own detector is one alert, marked as raised at the edge, cleared by either", (t) => {
  const records = alertLifecycles([
    {
      type: 'DetectorRaised',
      detector: 'threshold:temp',
      ts: 1_000,
      cause: 'hot at the edge',
      trigger: null,
      origin: 'edge',
    },
    { type: 'DetectorRaised', detector: 'threshold:temp', ts: 1_500, cause: 'hot', trigger: null },
    { type: 'DetectorCleared', detector: 'threshold:temp', ts: 9_000, cause: 'cool' },
    { type: 'DetectorCleared', detector: 'threshold:temp', ts: 9_100, cause: 'cool at the edge', origin: 'edge' },
    { type: 'DetectorRaised', detector: 'threshold:temp', ts: 20_000, cause: 'hot again', trigger: null },
  ]);
  t.deepEqual(
    records.map((r) => [r.raisedAt, r.clearedAt, r.origin ?? 'machine']),
    [
      [1_000, 9_000, 'edge'],
      [20_000, null, 'machine'],
    ],
  );
});
