import test from 'ava';
import { DEFAULT_BOOSTING } from './boostedTrees.ts';
import { crossValidate, foldsOf, type CrossValidationOptions } from './crossValidation.ts';
import { FAILURE_MODES, type LabeledObservation } from './maintenanceModel.ts';
import { seededRandom } from './seededRandom.ts';

// one input decides failure (torque above 60 Nm); HDF copies it, the other modes never fire
const random = seededRandom(3);
const rows: LabeledObservation[] = Array.from({ length: 300 }, () => {
  const torqueNm = 20 + random() * 50;
  const fails = torqueNm > 60;
  return {
    observation: {
      airTempK: 300,
      processTempK: 310,
      rotationalSpeedRpm: 1500,
      torqueNm,
      toolWearMin: random() * 200,
      type: 'L',
    },
    labels: { failure: fails, TWF: false, HDF: fails, PWF: false, OSF: false, RNF: false },
  };
});
const options: CrossValidationOptions = {
  folds: 5,
  seed: 11,
  training: { params: { ...DEFAULT_BOOSTING, rounds: 20 }, thresholdFolds: 3 },
};

test('out-of-fold scores of a one-threshold rule give near-perfect recall, precision, F1 and PR-AUC', (t) => {
  const report = crossValidate(rows, options);
  for (const metric of [report.failure, report.modes.HDF]) {
    for (const value of [metric.recall, metric.precision, metric.f1, metric.prAuc])
      t.true((value as number) > 0.9, JSON.stringify(metric));
  }
  // a mode that never fires has no recall or PR-AUC to report, and a model that never flags has no precision
  t.deepEqual(report.modes.RNF, { recall: null, precision: null, f1: null, prAuc: null });
  t.deepEqual(Object.keys(report.modes), [...FAILURE_MODES]);
});

test('cross-validation is deterministic for a fixed seed and reports progress once per fold', (t) => {
  const seen: number[] = [];
  const first = crossValidate(rows, options, (done) => seen.push(done));
  t.deepEqual(crossValidate(rows, options), first);
  t.deepEqual(seen, [1, 2, 3, 4, 5]);
});

test('folds are stratified on the failure flag: each fold holds 1/5 of the failures, within one', (t) => {
  const fold = foldsOf(rows, options);
  const failures = rows.filter((r) => r.labels.failure).length;
  for (let k = 0; k < 5; k++) {
    const inFold = rows.filter((r, i) => r.labels.failure && fold[i] === k).length;
    t.true(Math.abs(inFold - failures / 5) < 1);
  }
});
