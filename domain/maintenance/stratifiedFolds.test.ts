import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import { stratifiedFolds } from './stratifiedFolds.ts';
import { seededRandom } from './seededRandom.ts';

const strata = fc.array(fc.constantFrom('none', 'failure', 'failure+HDF', 'failure+TWF'), {
  minLength: 1,
  maxLength: 300,
});

testProp(
  'each fold holds within 1 of its proportional share (m/k) of every stratum',
  [strata, fc.integer({ min: 2, max: 10 }), fc.integer()],
  (t, keys, k, seed) => {
    const fold = stratifiedFolds(keys, k, seed);
    for (const key of new Set(keys)) {
      const m = keys.filter((x) => x === key).length;
      for (let f = 0; f < k; f++) {
        const inFold = keys.filter((x, i) => x === key && fold[i] === f).length;
        t.true(Math.abs(inFold - m / k) < 1, `stratum ${key}, fold ${f}: ${inFold} of ${m}`);
      }
    }
  },
  { numRuns: 200 },
);

testProp(
  'fold sizes differ by at most one and every row gets a fold in 0..k−1',
  [strata, fc.integer({ min: 2, max: 10 }), fc.integer()],
  (t, keys, k, seed) => {
    const fold = stratifiedFolds(keys, k, seed);
    t.true(fold.every((f) => Number.isInteger(f) && f >= 0 && f < k));
    const sizes = Array.from({ length: k }, (_, f) => fold.filter((x) => x === f).length);
    t.true(Math.max(...sizes) - Math.min(...sizes) <= 1);
  },
  { numRuns: 200 },
);

testProp(
  'the same seed gives the same folds',
  [strata, fc.integer()],
  (t, keys, seed) => {
    t.deepEqual(stratifiedFolds(keys, 5, seed), stratifiedFolds(keys, 5, seed));
  },
  { numRuns: 100 },
);

test('different seeds shuffle differently', (t) => {
  const keys = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 'failure' : 'none'));
  t.notDeepEqual(stratifiedFolds(keys, 5, 1), stratifiedFolds(keys, 5, 2));
});

testProp(
  'the seeded source stays in [0, 1) and repeats for the same seed',
  [fc.integer()],
  (t, seed) => {
    const a = seededRandom(seed);
    const b = seededRandom(seed);
    for (let i = 0; i < 50; i++) {
      const x = a();
      t.true(x >= 0 && x < 1);
      t.is(x, b());
    }
  },
  { numRuns: 100 },
);
