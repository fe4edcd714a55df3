import { fc, testProp } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import { machineStream } from '../pipeline/machineStream.ts';
import { streamConfigs } from '../pipeline/machineStreamConfig.ts';
import { processMachineBatch, type MachineInput } from '../pipeline/machineBatch.ts';
import { initialCheckpoint } from '../pipeline/machineCheckpoint.ts';
import { decodeSiteConfig } from '../site/siteConfig.ts';
import { siteRegistry } from '../site/siteRegistry.ts';
import { runMachine } from '../machine/runMachine.ts';
import { foldOee, oeeWindows } from './oeeProjection.ts';
import type { OeeWindowsFinal } from '../machine/events.ts';

const decoded = decodeSiteConfig({
  version: 1,
  factories: [
    {
      id: 'f1',
      name: 'P',
      timezone: 'Europe/Berlin',
      lines: [{ id: 'l1', machines: [{ id: 'm1', type: 'press', idealCycleTimeS: 2 }] }],
    },
  ],
  shifts: [
    { name: 'early', start: '06:00', end: '14:00' },
    { name: 'late', start: '14:00', end: '22:00' },
  ],
  microStopS: 60,
  heartbeatTimeoutS: 600,
  allowedLatenessS: 300,
  metrics: {},
  detectors: { press: [] },
});
if (E.isLeft(decoded)) throw new Error(decoded.left.join('; '));
const site = decoded.right;
const config = streamConfigs(site)(siteRegistry(site).machines()[0]!);
const machine = { config, stream: machineStream(config) };
const T0 = Date.UTC(2026, 9, 24, 0, 0); // over the night the clocks go back in Berlin

/** Days of a machine: states and counts every few minutes, sometimes silent for longer than the heartbeat. */
const days = fc
  .array(
    fc.tuple(
      fc.integer({ min: 1, max: 40 }),
      fc.constantFrom('RUNNING', 'DOWN', 'IDLE'),
      fc.integer({ min: 0, max: 30 }),
    ),
    { minLength: 50, maxLength: 300 },
  )
  .map((steps): MachineInput[] => {
    let ts = T0;
    let total = 0;
    return steps.flatMap(([minutes, state, made], i): MachineInput[] => {
      ts += minutes * 60_000;
      total += made;
      return [
        {
          kind: 'message',
          receivedAt: ts,
          observation: { kind: 'state', messageId: `s${i}`, ts, state, reason: null },
        },
        { kind: 'message', receivedAt: ts, observation: { kind: 'counts', messageId: `c${i}`, ts, total, reject: 0 } },
      ];
    });
  });

testProp(
  "windows leave the checkpoint only when final: with the stream's final windows it holds every window the events book, and the checkpoint keeps only the last few",
  [days],
  (t, inputs) => {
    const result = processMachineBatch(machine, initialCheckpoint(machine.stream), inputs);
    const final = result.decisions
      .filter((e): e is OeeWindowsFinal => e.type === 'OeeWindowsFinal')
      .reduce((all, e) => ({ ...all, ...e.windows }), {});
    const commands = inputs.map((i) =>
      i.kind === 'message'
        ? { kind: 'Observe' as const, observation: i.observation, receivedAt: i.receivedAt }
        : { kind: 'Open' as const, ts: 0 },
    );
    const unfinalised = foldOee(
      config.oee,
      runMachine(config.machine, [
        { kind: 'Open', ts: Math.min(inputs[0]!.kind === 'message' ? inputs[0]!.observation.ts : T0) },
        ...commands,
      ]).events,
    );
    t.deepEqual({ ...final, ...oeeWindows(result.checkpoint.oee) }, oeeWindows(unfinalised));
    t.true(
      Object.keys(result.checkpoint.oee.closedWindows).length <= 4,
      Object.keys(result.checkpoint.oee.closedWindows).join(' '),
    );
  },
  { numRuns: 50 },
);
