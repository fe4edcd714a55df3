import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import { trendBuckets, type TrendSample } from './trendBuckets.ts';

const sortedSamples = fc
  .array(
    fc.record({ ts: fc.integer({ min: 0, max: 10_000_000 }), value: fc.double({ min: -1e6, max: 1e6, noNaN: true }) }),
    { maxLength: 300 },
  )
  .map((samples) => [...samples].sort((a, b) => a.ts - b.ts) as readonly TrendSample[]);
const bucketCount = fc.integer({ min: 1, max: 64 });

testProp(
  'no more points than buckets, and every sample is counted once',
  [sortedSamples, bucketCount],
  (t, samples, buckets) => {
    const series = trendBuckets(samples, buckets);
    t.true(series.ts.length <= buckets);
    t.is(
      series.count.reduce((a, b) => a + b, 0),
      samples.length,
    );
    for (const key of ['min', 'max', 'mean', 'count'] as const) t.is(series[key].length, series.ts.length);
  },
  { numRuns: 300 },
);

testProp(
  'the global minimum and maximum survive bucketing, so no spike is lost',
  [sortedSamples.filter((s) => s.length > 0), bucketCount],
  (t, samples, buckets) => {
    const series = trendBuckets(samples, buckets);
    t.is(Math.min(...series.min), Math.min(...samples.map((s) => s.value)));
    t.is(Math.max(...series.max), Math.max(...samples.map((s) => s.value)));
  },
  { numRuns: 300 },
);

testProp(
  "each bucket's mean lies between its min and max, and bucket times ascend",
  [sortedSamples, bucketCount],
  (t, samples, buckets) => {
    const series = trendBuckets(samples, buckets);
    t.is(series.ts.length === 0, samples.length === 0);
    series.ts.forEach((ts, i) => {
      t.true(series.min[i]! <= series.mean[i]! + 1e-6 && series.mean[i]! <= series.max[i]! + 1e-6);
      if (i > 0) t.true(ts > series.ts[i - 1]!);
    });
  },
  { numRuns: 300 },
);

test('samples in one bucket keep their extremes and mean', (t) => {
  const series = trendBuckets(
    [
      { ts: 0, value: 1 },
      { ts: 1, value: 5 },
      { ts: 2, value: 3 },
      { ts: 10, value: 7 },
    ],
    2,
  );
  t.deepEqual(series, { ts: [0, 10], min: [1, 7], max: [5, 7], mean: [3, 7], count: [3, 1] });
});
