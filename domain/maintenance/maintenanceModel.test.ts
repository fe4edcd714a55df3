import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import { DEFAULT_BOOSTING } from './boostedTrees.ts';
import { powerW, STRAIN_LIMIT_MIN_NM, type Observation, type ProductVariant } from './features.ts';
import {
  assessRisk,
  groupFolds,
  DEFAULT_TRAINING,
  scoreRisk,
  TARGETS,
  trainMaintenanceModel,
  type LabeledObservation,
  type MaintenanceModel,
} from './maintenanceModel.ts';
import { decodeMaintenanceModel } from './modelDocument.ts';
import { seededRandom } from './seededRandom.ts';

// A small history drawn like AI4I 2020: operating points around its means, failures by its rules
// (heat dissipation, power, overstrain), so the test knows the truth the models should find.
const history = (n: number, seed: number): LabeledObservation[] => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const type: ProductVariant = random() < 0.6 ? 'L' : random() < 0.75 ? 'M' : 'H';
    const airTempK = 296 + random() * 8;
    const observation: Observation = {
      airTempK,
      processTempK: airTempK + 7.5 + random() * 4,
      rotationalSpeedRpm: 1200 + random() * 1600,
      torqueNm: 10 + random() * 65,
      toolWearMin: random() * 250,
      type,
    };
    const hdf = observation.processTempK - observation.airTempK < 8.6 && observation.rotationalSpeedRpm < 1380;
    const power = powerW(observation.torqueNm, observation.rotationalSpeedRpm);
    const pwf = power < 3500 || power > 9000;
    const osf = observation.toolWearMin * observation.torqueNm > STRAIN_LIMIT_MIN_NM[type];
    const labels = { failure: hdf || pwf || osf, TWF: false, HDF: hdf, PWF: pwf, OSF: osf, RNF: false };
    return { observation, labels };
  });
};

const rows = history(600, 7);
const fast = { params: { ...DEFAULT_BOOSTING, rounds: 40 }, thresholdFolds: 3 };
const trained = trainMaintenanceModel(rows, fast);
const model = (): MaintenanceModel => {
  if (E.isLeft(trained)) throw new Error(trained.left);
  return trained.right;
};

const observation = fc.record({
  airTempK: fc.double({ min: 200, max: 400, noNaN: true }),
  processTempK: fc.double({ min: 200, max: 450, noNaN: true }),
  rotationalSpeedRpm: fc.double({ min: 0, max: 5000, noNaN: true }),
  torqueNm: fc.double({ min: 0, max: 150, noNaN: true }),
  toolWearMin: fc.double({ min: 0, max: 400, noNaN: true }),
  type: fc.constantFrom('L' as const, 'M' as const, 'H' as const),
});

testProp(
  'the risk is in [0, 1] for every target and any observation',
  [observation, fc.constantFrom(...TARGETS)],
  (t, o, target) => {
    const risk = scoreRisk(model(), o, target);
    t.true(risk >= 0 && risk <= 1);
  },
  { numRuns: 300 },
);

let reloadedOnce: MaintenanceModel | undefined;
const reloaded = (): MaintenanceModel => {
  if (reloadedOnce !== undefined) return reloadedOnce;
  const decoded = decodeMaintenanceModel(JSON.parse(JSON.stringify(model())));
  if (E.isLeft(decoded)) throw new Error(decoded.left.join('\n'));
  reloadedOnce = decoded.right;
  return reloadedOnce;
};

testProp(
  'scoring is deterministic: the same observation (or a copy) scores the same, by the same or a JSON-reloaded model',
  [observation],
  (t, o) => {
    const copy = reloaded();
    for (const target of TARGETS) {
      t.is(scoreRisk(model(), o, target), scoreRisk(model(), o, target));
      t.is(scoreRisk(copy, structuredClone(o), target), scoreRisk(model(), o, target));
    }
  },
  { numRuns: 100 },
);

test('training twice on the same history gives the same model, byte for byte', (t) => {
  t.is(JSON.stringify(trainMaintenanceModel(rows, fast)), JSON.stringify(trained));
});

test('the models find the rules they were trained on: fresh rows are flagged as the rules say, for failure and modes', (t) => {
  const fresh = history(400, 99);
  const agree = (target: 'failure' | 'HDF' | 'PWF' | 'OSF'): number =>
    fresh.filter(
      (r) => scoreRisk(model(), r.observation, target) >= model().targets[target].threshold === r.labels[target],
    ).length / fresh.length;
  for (const target of ['failure', 'PWF', 'OSF'] as const) t.true(agree(target) > 0.93, `${target}: ${agree(target)}`);
  // HDF is a corner (low temperature difference and low speed): rare here, so only require the flags to mostly agree
  t.true(agree('HDF') > 0.9, `HDF: ${agree('HDF')}`);
});

test('an overstrained tool at its limit is assessed at risk, with the overstrain mode named', (t) => {
  const worn: Observation = {
    airTempK: 300,
    processTempK: 310,
    rotationalSpeedRpm: 1400,
    torqueNm: 60,
    toolWearMin: 240,
    type: 'L',
  };
  const fresh: Observation = { ...worn, torqueNm: 40, toolWearMin: 10 };
  const risky = assessRisk(model(), worn);
  t.true(risky.atRisk);
  t.true(risky.modes.OSF.atRisk);
  t.false(assessRisk(model(), fresh).atRisk);
});

test('every threshold lies in [0, 1] and the model carries its version and feature schema', (t) => {
  for (const target of TARGETS)
    t.true(model().targets[target].threshold >= 0 && model().targets[target].threshold <= 1);
  t.is(model().version, 1);
  t.is(model().features.length, 10);
  t.is(model().trainingRows, 600);
});

test('a history without failures, or too short to cross-validate, is refused with the reason', (t) => {
  const calm = rows.filter((r) => !r.labels.failure);
  const calmResult = trainMaintenanceModel(calm, fast);
  t.true(E.isLeft(calmResult) && calmResult.left.includes('no row has "Machine failure" = 1'));
  const short = trainMaintenanceModel(rows.slice(0, 3), DEFAULT_TRAINING);
  t.true(E.isLeft(short) && short.left.includes('3 rows'));
});

test('a model.json from another feature schema, or with a broken tree, is refused with the field named', (t) => {
  const document = JSON.parse(JSON.stringify(model()));
  const otherSchema = { ...document, features: ['torqueNm'] };
  const schemaErrors = decodeMaintenanceModel(otherSchema);
  t.true(E.isLeft(schemaErrors) && schemaErrors.left[0]!.startsWith('features:'));
  const broken = structuredClone(document);
  const tree = broken.targets.HDF.ensemble.trees[0];
  tree.left[0] = 0;
  const treeErrors = decodeMaintenanceModel(broken);
  t.true(E.isLeft(treeErrors) && treeErrors.left[0]!.startsWith('targets.HDF.ensemble.trees.0: node 0 has child 0'));
  const wrongVersion = decodeMaintenanceModel({ ...document, version: 2 });
  t.true(E.isLeft(wrongVersion) && wrongVersion.left.some((line) => line.startsWith('version')));
});

testProp(
  'folds by group (exported tables: a machine): every row of a group is in one fold, and with as many groups as folds every fold holds one',
  [
    fc.array(fc.constantFrom('f/l/m1', 'f/l/m2', 'f/l/m3', 'f/l/m4', 'f/l/m5'), { minLength: 1, maxLength: 60 }),
    fc.integer({ min: 2, max: 5 }),
  ],
  (t, groups, folds) => {
    const fold = groupFolds(groups, folds);
    t.is(fold.length, groups.length);
    const foldOf = new Map<string, number>();
    for (const [i, group] of groups.entries()) {
      t.true(fold[i]! >= 0 && fold[i]! < folds);
      t.is(foldOf.get(group) ?? fold[i], fold[i], `${group} is split across folds`);
      foldOf.set(group, fold[i]!);
    }
    if (foldOf.size >= folds) t.is(new Set(fold).size, folds);
  },
);
