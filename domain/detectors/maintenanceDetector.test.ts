import { readFileSync } from 'node:fs';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { scoreRisk, type MaintenanceModel } from '../maintenance/maintenanceModel.ts';
import { decodeMaintenanceModel } from '../maintenance/modelDocument.ts';
import type { DetectorInput } from './detector.ts';
import type { MaintenanceSpec } from './detectorSpec.ts';
import { maintenanceDetector } from './maintenanceDetector.ts';
import { unrunnableDetectors, foldDetector, runDetectors } from './runDetectors.ts';

const decoded = decodeMaintenanceModel(
  JSON.parse(readFileSync(new URL('../../localstack/sample/maintenance-model.json', import.meta.url), 'utf8')),
);
if (E.isLeft(decoded)) throw new Error(decoded.left.join('; '));
const model: MaintenanceModel = decoded.right;

const T0 = Date.UTC(2026, 10, 24, 11, 0);
const at = (s: number): number => T0 + s * 1000;
const cnc = (s: number, wear: number, torque: number, speed = 1500): DetectorInput => ({
  kind: 'sample',
  ts: at(s),
  messageId: `m${s}`,
  metrics: { air_temp: 299.5, process_temp: 309.8, spindle_speed: speed, torque, tool_wear: wear },
});
const SPEC: MaintenanceSpec = { kind: 'maintenance', threshold: 0.5, clearBelow: 0.3, windowS: 60 };
const HEALTHY = [30, 38] as const;
const WORN = [235, 54] as const;

test('a worn tool under load raises once, naming the risk and the overstrain that drives it; the trigger is the sample', (t) => {
  const { events } = foldDetector(maintenanceDetector(SPEC, model), [
    cnc(0, ...HEALTHY),
    cnc(5, ...WORN),
    cnc(10, ...WORN),
  ]);
  t.is(events.length, 1);
  const raised = events[0]!;
  t.is(raised.type, 'DetectorRaised');
  if (raised.type !== 'DetectorRaised') return;
  t.is(raised.detector, 'maintenance:failure');
  t.regex(raised.cause, /^failure risk 0\.\d\d \(OSF: tool wear × torque 12,690 min·Nm of 12,000\) at or above 0\.5$/);
  t.deepEqual(raised.trigger, {
    messageId: 'm5',
    ts: at(5),
    value: scoreRisk(model, {
      airTempK: 299.5,
      processTempK: 309.8,
      rotationalSpeedRpm: 1500,
      torqueNm: 54,
      toolWearMin: 235,
      type: 'M',
    }),
  });
});

test('the alert clears only after the risk stayed below clearBelow for windowS, so noise at the limit raises one alert', (t) => {
  const flicker = [
    cnc(0, ...WORN),
    cnc(5, ...HEALTHY),
    cnc(10, ...WORN),
    cnc(15, ...HEALTHY),
    cnc(50, ...HEALTHY),
    cnc(70, ...HEALTHY),
    cnc(80, ...HEALTHY),
  ];
  const { events } = foldDetector(maintenanceDetector(SPEC, model), flicker);
  t.deepEqual(
    events.map((e) => `${e.type}@${(e.ts - T0) / 1000}`),
    ['DetectorRaised@0', 'DetectorCleared@70'],
  );
});

test('a spindle at rest is not scored: a stopped machine neither raises nor clears', (t) => {
  const { events, state } = foldDetector(maintenanceDetector(SPEC, model), [cnc(0, 235, 0, 2), cnc(5, 20, 0, 0)]);
  t.deepEqual(events, []);
  t.is(state.phase, 'normal');
  const raised = foldDetector(maintenanceDetector(SPEC, model), [
    cnc(0, ...WORN),
    cnc(100, 20, 0, 0),
    cnc(200, 20, 0, 0),
  ]);
  t.deepEqual(
    raised.events.map((e) => e.type),
    ['DetectorRaised'],
  );
});

test('temperatures in degC are read as such: the same operating point scores the same risk as in K', (t) => {
  const inK = foldDetector(maintenanceDetector({ ...SPEC, threshold: 0 }, model), [cnc(0, ...WORN)]).events[0];
  const celsius: DetectorInput = {
    kind: 'sample',
    ts: at(0),
    messageId: 'c',
    metrics: {
      air_temp: 299.5 - 273.15,
      process_temp: 309.8 - 273.15,
      spindle_speed: 1500,
      torque: 54,
      tool_wear: 235,
    },
  };
  const inC = foldDetector(
    maintenanceDetector({ ...SPEC, threshold: 0 }, model, undefined, { air_temp: 'degC', process_temp: 'degC' }),
    [celsius],
  ).events[0];
  t.true(inK?.type === 'DetectorRaised' && inC?.type === 'DetectorRaised');
  if (inK?.type === 'DetectorRaised' && inC?.type === 'DetectorRaised')
    t.true(Math.abs(inK.trigger!.value - inC.trigger!.value) < 1e-9);
});

test('a late sample is ignored and samples older than windowS leave the window', (t) => {
  const detector = maintenanceDetector(SPEC, model);
  const { state } = foldDetector(detector, [
    cnc(0, ...HEALTHY),
    cnc(50, ...HEALTHY),
    cnc(100, ...HEALTHY),
    cnc(90, ...WORN),
  ]);
  t.is(state.lastTs, at(100));
  t.deepEqual(
    state.window.map((s) => (s.ts - T0) / 1000),
    [50, 100],
  );
});

test('without a model a maintenance detector is a problem that names how to supply one, and is never silent', (t) => {
  t.deepEqual(unrunnableDetectors([{ kind: 'heartbeat', timeoutS: 60 }, SPEC], {}, 'pass --model'), [
    'detectors[1]: a maintenance detector needs a failure model and none was supplied; pass --model',
  ]);
  t.deepEqual(unrunnableDetectors([SPEC], { maintenanceModel: model }, 'pass --model'), []);
  const { events } = foldDetector(runDetectors([SPEC]), [cnc(0, ...HEALTHY), cnc(5, ...HEALTHY)]);
  t.is(events.length, 1);
  t.regex(events[0]!.type === 'DetectorRaised' ? events[0]!.cause : '', /no failure model/);
});
