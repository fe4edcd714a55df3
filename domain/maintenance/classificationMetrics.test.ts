import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import { averagePrecision, bestF1Threshold, classificationMetrics, confusionScores } from './classificationMetrics.ts';

test('recall, precision and F1 on a hand-counted confusion: TP 2, FP 1, FN 2', (t) => {
  const labels = [true, true, true, true, false, false];
  const predicted = [true, true, false, false, true, false];
  const m = confusionScores(labels, predicted);
  t.is(m.recall, 0.5);
  t.is(m.precision, 2 / 3);
  t.is(m.f1, 4 / 7); // 2·2 / (2·2 + 1 + 2)
});

test('a ratio with a zero denominator is null, never NaN', (t) => {
  t.deepEqual(confusionScores([false, false], [false, false]), { recall: null, precision: null, f1: null });
  t.deepEqual(confusionScores([true], [false]), { recall: 0, precision: null, f1: 0 });
  t.is(averagePrecision([0.3, 0.1], [false, false]), null);
});

test("average precision on scikit-learn's documented example is 0.8333", (t) => {
  // sklearn.metrics.average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8333…
  t.true(Math.abs((averagePrecision([0.1, 0.4, 0.35, 0.8], [false, false, true, true]) as number) - 5 / 6) < 1e-12);
});

test('tied scores form one step: all-equal scores give the positive rate', (t) => {
  t.is(averagePrecision([0.5, 0.5, 0.5, 0.5], [true, false, false, false]), 0.25);
});

testProp(
  'PR-AUC of a perfect ranking is 1',
  [fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }).filter((ls) => ls.some(Boolean))],
  (t, labels) => {
    const scores = labels.map((l, i) => (l ? 2 + i : -i));
    t.is(averagePrecision(scores, labels), 1);
  },
  { numRuns: 200 },
);

testProp(
  'PR-AUC lies in (0, 1] whenever there is at least one failure',
  [
    fc
      .array(fc.tuple(fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 60 })
      .filter((rows) => rows.some(([l]) => l)),
  ],
  (t, rows) => {
    const ap = averagePrecision(
      rows.map(([, s]) => s),
      rows.map(([l]) => l),
    ) as number;
    t.true(ap > 0 && ap <= 1 + 1e-12);
  },
  { numRuns: 200 },
);

test('the F1-best threshold sits halfway between the lowest flagged score and the next one down', (t) => {
  // flagging 0.9 and 0.8 catches both failures with no false alarm: F1 = 1
  const scores = [0.9, 0.8, 0.3, 0.2, 0.1];
  const labels = [true, true, false, false, false];
  t.is(bestF1Threshold(scores, labels), 0.55);
  t.is(classificationMetrics(scores, labels, 0.55).f1, 1);
  t.is(bestF1Threshold([0.4, 0.2], [false, false]), 1);
});

testProp(
  'no threshold gives a higher F1 than the F1-best threshold',
  [
    fc
      .array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 40 })
      .filter((rows) => rows.some(([l]) => l)),
  ],
  (t, rows) => {
    const scores = rows.map(([, s]) => s / 20);
    const labels = rows.map(([l]) => l);
    const best = classificationMetrics(scores, labels, bestF1Threshold(scores, labels)).f1 as number;
    for (const threshold of scores) t.true((classificationMetrics(scores, labels, threshold).f1 ?? 0) <= best + 1e-12);
  },
  { numRuns: 200 },
);
