import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import { binFeatures, binOf, cutPoints } from './featureBins.ts';
import { DEFAULT_BOOSTING, predictProbability, trainBoostedTrees } from './boostedTrees.ts';

// two features; the outcome is "x0 > 0.7 and x1 < 0.3", a rule of the shape the AI4I failures follow
const grid = Array.from({ length: 400 }, (_, i) => [(i % 20) / 19, Math.floor(i / 20) / 19]);
const rule = (x: number[]): boolean => (x[0] as number) > 0.7 && (x[1] as number) < 0.3;
const columns = [Float64Array.from(grid, (x) => x[0] as number), Float64Array.from(grid, (x) => x[1] as number)];
const labels = Uint8Array.from(grid, (x) => (rule(x) ? 1 : 0));
const params = { ...DEFAULT_BOOSTING, rounds: 40 };

test('boosted trees learn an axis-aligned failure rule: every grid point lands on the right side of 0.5', (t) => {
  const model = trainBoostedTrees(binFeatures(columns), labels, params);
  const wrong = grid.filter((x) => predictProbability(model, x) >= 0.5 !== rule(x));
  t.deepEqual(wrong, []);
});

test('training is deterministic: the same data and seed give the same ensemble, even with row subsampling', (t) => {
  const subsampled = { ...params, subsample: 0.5 };
  t.deepEqual(
    trainBoostedTrees(binFeatures(columns), labels, subsampled),
    trainBoostedTrees(binFeatures(columns), labels, subsampled),
  );
});

test('a training set without positives gives a finite model that scores near zero', (t) => {
  const model = trainBoostedTrees(binFeatures(columns), new Uint8Array(grid.length), params);
  t.true(Number.isFinite(model.baseScore));
  t.true(predictProbability(model, [0.9, 0.1]) < 0.01);
});

const trained = trainBoostedTrees(binFeatures(columns), labels, params);

testProp(
  'the probability is in [0, 1] for any input, extreme or not',
  [fc.tuple(fc.double(), fc.double())],
  (t, x) => {
    const p = predictProbability(trained, x);
    t.true(p >= 0 && p <= 1);
  },
  { numRuns: 100 },
);

test('cut points separate every distinct value when there are few, and each value falls in its own bin', (t) => {
  const cuts = cutPoints([3, 1, 2, 2, 1]);
  t.deepEqual([...cuts], [1.5, 2.5]);
  t.deepEqual(
    [1, 2, 3, 0, 9].map((v) => binOf(cuts, v)),
    [0, 1, 2, 0, 2],
  );
});

testProp(
  'with many distinct values the cuts stay within the bin budget, strictly increasing, and keep the tails exact',
  [fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 50, maxLength: 400 })],
  (t, values) => {
    const cuts = cutPoints(values, 16);
    t.true(cuts.length <= 15);
    for (let i = 1; i < cuts.length; i++) t.true((cuts[i] as number) > (cuts[i - 1] as number));
    const distinct = [...new Set(values)].sort((a, b) => a - b);
    if (distinct.length > 16) {
      // the 4 largest distinct values each get a bin of their own
      const top = distinct.slice(-4).map((v) => binOf(cuts, v));
      t.is(new Set(top).size, 4);
    }
  },
  { numRuns: 200 },
);
