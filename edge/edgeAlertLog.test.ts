// The gateway's alert log: each edge alert raised or cleared is on disk once, in order, whatever the
// moment of a crash, and detectors resume after a restart instead of raising a standing alert again.
import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { DetectorsState } from '../domain/detectors/runDetectors.ts';
import { alertLogFile, openEdgeAlertLog, type EdgeAlertInput } from './edgeAlertLog.ts';
import { decodeGatewayConfig } from './gatewayConfig.ts';
import { startGateway } from './gateway.ts';
import { registersFromRaw } from './registerDecoding.ts';
import { eventually, startTestBroker } from './testing/testBroker.ts';
import { startModbusServer } from './testing/testModbusServer.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'alert-log-'));
const logged = (dir: string): Record<string, unknown>[] =>
  existsSync(alertLogFile(dir))
    ? readFileSync(alertLogFile(dir), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l))
    : [];

const machine = { factoryId: 'f1', lineId: 'l1', machineId: 'press-01' };
const raised = (ts: number): EdgeAlertInput => ({
  ...machine,
  type: 'DetectorRaised',
  detector: 'threshold:spindle_temp',
  ts,
  cause: `spindle_temp above 90 at ${ts}`,
  trigger: null,
});
const cleared = (ts: number): EdgeAlertInput => ({
  ...machine,
  type: 'DetectorCleared',
  detector: 'threshold:spindle_temp',
  ts,
  cause: `spindle_temp below 85 at ${ts}`,
});
const stateAt = (ts: number): DetectorsState => ({
  'threshold:spindle_temp': { phase: 'raised', lastTs: ts, breach: 'above', since: ts },
});

test('alerts are numbered 1, 2, 3… in order; a reopened log resumes the detector state and the numbering', (t) => {
  const dir = tempDir();
  const first = openEdgeAlertLog(dir);
  t.is(first.stateOf('press-01'), undefined);
  t.deepEqual(
    first.record('press-01', stateAt(1000), [raised(1000)]).map((a) => a.seq),
    [1],
  );
  t.deepEqual(first.record('press-01', stateAt(2000), []), [], 'a step without alerts writes no line');
  first.close();

  const second = openEdgeAlertLog(dir);
  t.deepEqual(second.stateOf('press-01'), stateAt(2000), 'the state as of the last step, saved at close');
  t.deepEqual(
    second.record('press-01', {}, [cleared(3000)]).map((a) => a.seq),
    [2],
  );
  second.close();
  t.deepEqual(logged(dir), [
    { seq: 1, ...raised(1000) },
    { seq: 2, ...cleared(3000) },
  ]);
});

test('a crash after the snapshot and before the append (even mid-line): reopening appends the missing alerts once', (t) => {
  const dir = tempDir();
  const log = openEdgeAlertLog(dir);
  log.record('press-01', stateAt(1000), [raised(1000)]);
  const before = statSync(alertLogFile(dir)).size;
  log.record('press-01', {}, [cleared(2000), raised(2000)]);
  // As if the process died while appending the last two lines: only part of the first reached the disk.
  truncateSync(alertLogFile(dir), before);
  appendFileSync(alertLogFile(dir), '{"seq":2,"type":"DetectorCle');
  openEdgeAlertLog(dir).close();
  openEdgeAlertLog(dir).close();
  t.deepEqual(
    logged(dir).map((a) => [a.seq, a.type]),
    [
      [1, 'DetectorRaised'],
      [2, 'DetectorCleared'],
      [3, 'DetectorRaised'],
    ],
  );
  const reopened = openEdgeAlertLog(dir);
  t.deepEqual(
    reopened.record('press-01', stateAt(4000), [raised(4000)]).map((a) => a.seq),
    [4],
    'numbering continues after the repair',
  );
  reopened.close();
});

test('a log without a snapshot (deleted, or from an older gateway) keeps its lines and continues the numbering', (t) => {
  const dir = tempDir();
  appendFileSync(
    alertLogFile(dir),
    `${JSON.stringify({ ...raised(1000) })}\n${JSON.stringify({ seq: 7, ...cleared(2000) })}\n`,
  );
  const log = openEdgeAlertLog(dir);
  t.is(log.stateOf('press-01'), undefined, 'no saved state: the detectors start afresh');
  t.deepEqual(
    log.record('press-01', stateAt(3000), [raised(3000)]).map((a) => a.seq),
    [8],
  );
  log.close();
  t.is(logged(dir).length, 3);
});

// A step raises 0-3 alerts; the crash keeps any prefix (in bytes) of the last append that had any.
const steps = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 });
testProp(
  'whatever part of the last append a crash keeps, a reopened log holds every alert exactly once, in order',
  [steps, fc.double({ min: 0, max: 1, noNaN: true })],
  (t, counts, kept) => {
    const dir = tempDir();
    const log = openEdgeAlertLog(dir);
    const expected: EdgeAlertInput[] = [];
    let sizeBeforeLast = 0;
    counts.forEach((count, step) => {
      const alerts = Array.from({ length: count }, (_, i) =>
        i % 2 === 0 ? raised(step * 10 + i) : cleared(step * 10 + i),
      );
      if (count > 0) sizeBeforeLast = existsSync(alertLogFile(dir)) ? statSync(alertLogFile(dir)).size : 0;
      log.record('press-01', stateAt(step * 10), alerts);
      expected.push(...alerts);
    });
    // no close: the process dies
    if (expected.length > 0) {
      const size = statSync(alertLogFile(dir)).size;
      truncateSync(alertLogFile(dir), sizeBeforeLast + Math.floor(kept * (size - sizeBeforeLast)));
    }
    openEdgeAlertLog(dir).close();
    t.deepEqual(
      logged(dir),
      expected.map((alert, i) => ({ seq: i + 1, ...alert })),
    );
  },
  { numRuns: 40 },
);

test.serial(
  'the gateway: a standing alert is not raised again after a restart, and its clear is logged once',
  async (t) => {
    const broker = await startTestBroker();
    let temperature = 95;
    const modbus = await startModbusServer({
      getHoldingRegister: (address: number) => registersFromRaw(temperature, 'float32', 'BE')[address] ?? 0,
    });
    const decoded = decodeGatewayConfig({
      version: 1,
      gatewayId: 'gw-alerts',
      factoryId: 'f1',
      broker: { url: broker.url() },
      buffer: { dir: tempDir(), synchronous: 'NORMAL' },
      machines: [
        {
          lineId: 'l1',
          machineId: 'press-01',
          source: { kind: 'modbus', host: '127.0.0.1', port: modbus.port, unitId: 1, pollMs: 50 },
          metrics: { spindle_temp: { table: 'holding', address: 0, type: 'float32', unit: 'degC' } },
        },
      ],
      detectors: { 'press-01': [{ kind: 'threshold', metric: 'spindle_temp', above: 90, clearBelow: 85, forS: 0 }] },
    });
    if (E.isLeft(decoded)) return t.fail(decoded.left.join('\n'));
    const config = decoded.right;
    const dir = config.buffer.dir;
    const running: ReturnType<typeof startGateway>[] = [];
    try {
      const first = startGateway(config, { statusEveryMs: 50 });
      running.push(first);
      await eventually(() => logged(dir).length >= 1, 5_000, 'the alert');
      await first.stop();

      const second = startGateway(config, { statusEveryMs: 50 });
      running.push(second);
      await eventually(() => second.status().stored >= 10, 5_000, 'readings after the restart, still above 90');
      t.is(second.status().alerts, 0, 'the standing alert is not raised again');
      temperature = 80;
      await eventually(() => logged(dir).length >= 2, 5_000, 'the clear');
      await eventually(() => second.status().stored >= 20, 5_000, 'more readings below 85');
      await second.stop();
      t.deepEqual(
        logged(dir).map((a) => [a.seq, a.type, a.machineId, a.detector]),
        [
          [1, 'DetectorRaised', 'press-01', 'threshold:spindle_temp'],
          [2, 'DetectorCleared', 'press-01', 'threshold:spindle_temp'],
        ],
      );
    } finally {
      await Promise.all(running.map((gateway) => gateway.stop()));
      await modbus.close();
      await broker.stop();
    }
  },
);
