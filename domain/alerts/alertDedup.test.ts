import { fc, testProp } from '@fast-check/ava';
import type { AlertEvent } from '../detectors/detector.ts';
import { alertLifecycles } from './alertProjection.ts';

const event = fc
  .record({ raised: fc.boolean(), edge: fc.boolean(), ts: fc.integer({ min: 0, max: 1000 }) })
  .map(({ raised, edge, ts }): AlertEvent =>
    raised
      ? {
          type: 'DetectorRaised',
          detector: 'd',
          ts,
          cause: 'x',
          trigger: null,
          ...(edge ? { origin: 'edge' as const } : {}),
        }
      : { type: 'DetectorCleared', detector: 'd', ts, cause: 'y', ...(edge ? { origin: 'edge' as const } : {}) },
  );

testProp(
  'whoever decides it, a detector has at most one open alert: every alert but the last is cleared',
  [fc.array(event, { maxLength: 30 })],
  (t, events) => {
    const records = alertLifecycles(events);
    t.true(records.slice(0, -1).every((r) => r.clearedAt !== null));
  },
);

testProp(
  'without the gateway, alternating raises and clearings are paired one alert each, as the detector decided them',
  [fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 20 })],
  (t, times) => {
    const events = times.map((ts, i): AlertEvent =>
      i % 2 === 0
        ? { type: 'DetectorRaised', detector: 'd', ts, cause: 'x', trigger: null }
        : { type: 'DetectorCleared', detector: 'd', ts, cause: 'y' },
    );
    t.deepEqual(
      alertLifecycles(events).map((r) => [r.raisedAt, r.clearedAt]),
      times.flatMap((ts, i) => (i % 2 === 0 ? [[ts, times[i + 1] ?? null]] : [])),
    );
  },
);
