// Risks scored beforehand (a SageMaker endpoint in the process function) reach the maintenance
// detector through its RiskStrategy. A shell first folds with a placeholder to learn which observations
// the fold scores, scores them, then folds again with the scores supplied. These laws make that sound.
import { readFileSync } from 'node:fs';
import { fc, testProp } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import { featureVector, type Observation } from '../maintenance/features.ts';
import { scoreRisk, type MaintenanceModel, type Target } from '../maintenance/maintenanceModel.ts';
import { decodeMaintenanceModel } from '../maintenance/modelDocument.ts';
import type { DetectorInput } from './detector.ts';
import type { DetectorSpec } from './detectorSpec.ts';
import type { RiskStrategy } from './maintenanceDetector.ts';
import { foldDetector, runDetectors } from './runDetectors.ts';

const decoded = decodeMaintenanceModel(
  JSON.parse(readFileSync(new URL('../../localstack/sample/maintenance-model.json', import.meta.url), 'utf8')),
);
if (E.isLeft(decoded)) throw new Error(decoded.left.join('; '));
const model: MaintenanceModel = decoded.right;

const SPECS: readonly DetectorSpec[] = [
  { kind: 'maintenance', threshold: 0.5, clearBelow: 0.3, windowS: 60 },
  { kind: 'maintenance', threshold: 0.4, target: 'OSF', productType: 'L', windowS: 20 },
  { kind: 'heartbeat', timeoutS: 30 },
];
const T0 = Date.UTC(2026, 10, 24, 11, 0);

// Operating points around the sample model's boundaries: worn and healthy tools, at rest and under load,
// some samples missing metrics, some arriving late (a step back in time), and ticks between them.
const input = (ts: number): fc.Arbitrary<DetectorInput> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .record({
          air: fc.double({ min: 297, max: 303, noNaN: true }),
          rise: fc.double({ min: 7, max: 13, noNaN: true }),
          speed: fc.oneof(fc.constant(0), fc.integer({ min: 1200, max: 2800 })),
          torque: fc.double({ min: 0, max: 70, noNaN: true }),
          wear: fc.integer({ min: 0, max: 260 }),
          drop: fc.subarray(['air_temp', 'tool_wear', 'torque']),
        })
        .map(({ air, rise, speed, torque, wear, drop }): DetectorInput => {
          const metrics: Record<string, number> = {
            air_temp: air,
            process_temp: air + rise,
            spindle_speed: speed,
            torque,
            tool_wear: wear,
          };
          for (const name of drop) delete metrics[name];
          return { kind: 'sample', ts, messageId: `m${ts}`, metrics };
        }),
    },
    { weight: 1, arbitrary: fc.constant<DetectorInput>({ kind: 'tick', ts }) },
  );
const inputs = fc.array(fc.integer({ min: -8, max: 20 }), { maxLength: 40 }).chain((steps) => {
  let ts = T0;
  return fc.tuple(...steps.map((step) => input((ts += step * 1000))));
});

const keyOf = (o: Observation, target: Target): string => `${target}:${featureVector(o).join(',')}`;

/** A fold with a placeholder risk: the observations it asked to score, in order. */
const requested = (batch: readonly DetectorInput[], placeholder: number): string[] => {
  const asked: string[] = [];
  const recording: RiskStrategy = (o, target) => {
    asked.push(keyOf(o, target));
    return placeholder;
  };
  foldDetector(runDetectors(SPECS, { maintenanceModel: model, scoreWith: recording }), batch);
  return asked;
};

testProp(
  'which observations a fold scores does not depend on the risks it is given',
  [inputs],
  (t, batch) => {
    t.deepEqual(requested(batch, 0), requested(batch, 1));
  },
  { numRuns: 100 },
);

testProp(
  'risks scored beforehand by the model give byte for byte the events and state of the synchronous fold',
  [inputs],
  (t, batch) => {
    const synchronous = foldDetector(runDetectors(SPECS, { maintenanceModel: model }), batch);
    const scored = new Map<string, number>();
    const recording: RiskStrategy = (o, target) => {
      scored.set(keyOf(o, target), scoreRisk(model, o, target));
      return 0;
    };
    foldDetector(runDetectors(SPECS, { maintenanceModel: model, scoreWith: recording }), batch);
    const supplied: RiskStrategy = (o, target) => scored.get(keyOf(o, target)) ?? Number.NaN;
    const beforehand = foldDetector(runDetectors(SPECS, { maintenanceModel: model, scoreWith: supplied }), batch);
    t.is(JSON.stringify(beforehand), JSON.stringify(synchronous));
  },
  { numRuns: 100 },
);

testProp(
  'a supplied risk, not the model, decides the alert',
  [inputs],
  (t, batch) => {
    const always = (risk: number) =>
      foldDetector(runDetectors([SPECS[0]!], { maintenanceModel: model, scoreWith: () => risk }), batch).events;
    t.true(always(0).length === 0);
    const scoredSamples = requested(batch, 0).filter((k) => k.startsWith('failure:')).length;
    t.is(always(1).filter((e) => e.type === 'DetectorRaised').length, scoredSamples > 0 ? 1 : 0);
  },
  { numRuns: 50 },
);
