// One model, three places that score it: the evaluator (`factory maintenance eval` scores held-out rows
// with predictProbability over featureVector; live code calls scoreRisk), the handler's embedded
// adapter, and the edge gateway's maintenance detector. They must agree to the last bit.
import { testProp, fc } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import { predictProbability } from '../../domain/maintenance/boostedTrees.ts';
import { featureVector, type Observation } from '../../domain/maintenance/features.ts';
import { scoreRisk } from '../../domain/maintenance/maintenanceModel.ts';
import { edgeDetectors } from '../../edge/edgeDetectors.ts';
import type { GatewayMachineConfig } from '../../edge/gatewayConfig.ts';
import { embeddedRiskScorer, readMaintenanceModelFile } from '../../handlers/adapters/embeddedRiskScorer.ts';
import { BUNDLED_MODEL_PATH } from './modelFile.ts';

const loaded = readMaintenanceModelFile(BUNDLED_MODEL_PATH);
if (E.isLeft(loaded)) throw new Error(loaded.left);
const model = loaded.right;
const handler = embeddedRiskScorer(model);

const K = { unit: 'K' };
const machine = {
  lineId: 'machining',
  machineId: 'cnc-02',
  source: { kind: 'mqtt', topic: 'dt/leipzig/machining/cnc-02/#' },
  metrics: {
    air_temp: K,
    process_temp: K,
    spindle_speed: { unit: 'rpm' },
    torque: { unit: 'Nm' },
    tool_wear: { unit: 'min' },
  },
} as unknown as GatewayMachineConfig;

/** The risk the gateway's detector computes for one telemetry sample: threshold 0 raises on it, carrying the risk. */
const edgeRisk = (o: Observation): number => {
  const built = edgeDetectors(
    { machines: [machine], detectors: { 'cnc-02': [{ kind: 'maintenance', threshold: 0, productType: o.type }] } },
    model,
  );
  if (E.isLeft(built)) throw new Error(built.left.join('; '));
  const detector = built.right.get('cnc-02')!;
  const [, events] = detector.step(detector.initialState, {
    kind: 'sample',
    ts: 0,
    messageId: 'm',
    metrics: {
      air_temp: o.airTempK,
      process_temp: o.processTempK,
      spindle_speed: o.rotationalSpeedRpm,
      torque: o.torqueNm,
      tool_wear: o.toolWearMin,
    },
  });
  const raised = events[0];
  if (raised?.type !== 'DetectorRaised' || raised.trigger === null)
    throw new Error(`the edge detector did not score ${JSON.stringify(o)}`);
  return raised.trigger.value;
};

// Wider than AI4I's ranges on every side, so trees are exercised on and beyond every split; the spindle
// turns under load (a machine at rest is not scored anywhere).
const observation: fc.Arbitrary<Observation> = fc.record({
  airTempK: fc.double({ min: 250, max: 350, noNaN: true }),
  processTempK: fc.double({ min: 250, max: 400, noNaN: true }),
  rotationalSpeedRpm: fc.double({ min: 1, max: 4000, noNaN: true }),
  torqueNm: fc.double({ min: 0.1, max: 120, noNaN: true }),
  toolWearMin: fc.double({ min: 0, max: 400, noNaN: true }),
  type: fc.constantFrom('L' as const, 'M' as const, 'H' as const),
});

testProp(
  'the evaluator, the embedded handler scorer and the edge detector give the same risk, bit for bit',
  [observation],
  async (t, o) => {
    const evaluator = predictProbability(model.targets.failure.ensemble, featureVector(o));
    t.true(Object.is(scoreRisk(model, o), evaluator));
    t.true(Object.is(await handler.score(o), evaluator));
    t.true(Object.is(edgeRisk(o), evaluator));
  },
  { numRuns: 300 },
);
