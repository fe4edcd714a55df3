// The plant's own history, end to end through the command line: a short simulated history is replayed
// into a store, exported as a failure-window table, evaluated and trained, and the model it gives is
// loaded by the live maintenance detector.
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { decodeMaintenanceModel } from '../../domain/maintenance/modelDocument.ts';
import { maintenanceDetector, type MaintenanceState } from '../../domain/detectors/maintenanceDetector.ts';
import { readFailureTable } from '../maintenance/failureTableCsv.ts';
import { featureVector } from '../../domain/maintenance/features.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ai4i = fileURLToPath(new URL('../maintenance/fixtures/ai4i2020-sample.csv', import.meta.url));

const factory = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/factory.js', ...args],
      { cwd: root, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
      },
    );
  });

const history = (async () => {
  const dir = await mkdtemp(join(tmpdir(), 'maintenance-history-'));
  const recording = join(dir, 'h.jsonl.gz');
  const simulated = await factory('simulate', '--days', '3', '--machines', '4', '--seed', '5', '--out', recording);
  const replayed = await factory('replay', recording, '--config', join(dir, 'h.site.json'), '--db', join(dir, 'h.db'));
  const table = join(dir, 'h.csv');
  const exported = await factory(
    'maintenance',
    'export',
    '--db',
    join(dir, 'h.db'),
    '--horizon',
    '2h',
    '--every',
    '10m',
    '--out',
    table,
  );
  return { dir, recording, table, simulated, replayed, exported };
})();

test('simulate --days/--machines is deterministic and writes the site its replay needs beside the recording', async (t) => {
  const { dir, recording, simulated } = await history;
  t.is(simulated.code, 0, simulated.stderr);
  t.regex(simulated.stderr, /3 day\(s\) of 4 machine\(s\) \(synthetic\); its site: .*h\.site\.json/);
  const again = join(dir, 'again.jsonl.gz');
  t.is((await factory('simulate', '--days', '3', '--machines', '4', '--seed', '5', '--out', again)).code, 0);
  t.deepEqual(await readFile(again), await readFile(recording));
  const refused = await factory('simulate', '--days', '3', '--broker', 'mqtt://127.0.0.1:1', '--out', again);
  t.is(refused.code, 2);
  t.regex(refused.stderr, /--broker does not apply to a history/);
});

test('export writes one row per machine and sample time with context, features and the failure-window label', async (t) => {
  const { table, replayed, exported } = await history;
  t.is(replayed.code, 0, replayed.stderr);
  t.is(exported.code, 0, exported.stderr);
  const rows = readFailureTable(await readFile(table, 'utf8'), table);
  if (E.isLeft(rows)) return t.fail(rows.left);
  t.deepEqual([...new Set(rows.right.map((r) => r.machine))].sort(), ['cnc-01', 'cnc-02', 'cnc-03', 'cnc-04']);
  t.true(rows.right.every((r) => r.factory === 'sim' && r.machineType === 'cnc' && r.ts % 600_000 === 0));
  const positives = rows.right.filter((r) => r.failsWithinHorizon);
  t.true(positives.length > 0, 'a few simulated days hold failures');
  t.true(
    positives.every(
      (r) => r.nextFailure !== null && r.nextFailure.ts > r.ts && r.nextFailure.ts <= r.ts + 2 * 3_600_000,
    ),
  );
});

test('export --format sagemaker writes the same samples as the SageMaker pipeline reads them: label, then the features', async (t) => {
  const { dir, table } = await history;
  const out = join(dir, 'h.sagemaker.csv');
  const exported = await factory(
    'maintenance',
    'export',
    '--db',
    join(dir, 'h.db'),
    '--horizon',
    '2h',
    '--every',
    '10m',
    '--out',
    out,
    '--format',
    'sagemaker',
  );
  t.is(exported.code, 0, exported.stderr);
  const rows = readFailureTable(await readFile(table, 'utf8'), table);
  if (E.isLeft(rows)) return t.fail(rows.left);
  const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
  t.is(lines.length, rows.right.length);
  t.deepEqual(lines[0]!.split(',').map(Number), [
    rows.right[0]!.failsWithinHorizon ? 1 : 0,
    ...featureVector(rows.right[0]!.observation),
  ]);
});

test('eval --split time reports model and baseline; train --split time writes a model the live detector loads and scores', async (t) => {
  const { dir, table } = await history;
  const evaluated = await factory('maintenance', 'eval', '--data', table, '--split', 'time', '--json');
  t.is(evaluated.code, 0, evaluated.stderr);
  const report = JSON.parse(evaluated.stdout);
  for (const side of [report.model, report.baseline])
    t.deepEqual(
      ['recall', 'precision', 'f1', 'failures', 'caught', 'leadTimeMin', 'falseAlarmsPerMachineWeek'].filter(
        (k) => !(k in side),
      ),
      [],
    );
  t.deepEqual(report.testMachines, ['sim/line-01/cnc-04']);
  const model = join(dir, 'model.json');
  const trained = await factory('maintenance', 'train', '--data', table, '--split', 'time', '--out', model);
  t.is(trained.code, 0, trained.stderr);
  const decoded = decodeMaintenanceModel(JSON.parse(await readFile(model, 'utf8')));
  if (E.isLeft(decoded)) return t.fail(decoded.left.join('\n'));
  const detector = maintenanceDetector({ kind: 'maintenance', threshold: 0.5 }, decoded.right);
  let state: MaintenanceState = detector.initialState;
  for (let i = 0; i < 5; i++) {
    [state] = detector.step(state, {
      kind: 'sample',
      messageId: `m${i}`,
      ts: i * 60_000,
      metrics: { air_temp: 298, process_temp: 308, spindle_speed: 1500, torque: 40, tool_wear: 50 + i },
    });
  }
  t.is(state.lastTs, 4 * 60_000);
  // and the replay's --model takes it, as the edge and the Lambda read the same document
  const replayed = await factory(
    'replay',
    join(dir, 'h.jsonl.gz'),
    '--config',
    join(dir, 'h.site.json'),
    '--model',
    model,
    '--json',
  );
  t.is(replayed.code, 0, replayed.stderr);
});

test('refusals name the argument and what to do: --split time on the AI4I layout, a bad --horizon, a site without failure reasons', async (t) => {
  const { dir } = await history;
  const split = await factory('maintenance', 'eval', '--data', ai4i, '--split', 'time');
  t.is(split.code, 2);
  t.regex(split.stderr, /--split time: .* AI4I 2020 layout/);
  const horizon = await factory(
    'maintenance',
    'export',
    '--db',
    join(dir, 'h.db'),
    '--horizon',
    'two hours',
    '--every',
    '5m',
    '--out',
    join(dir, 'x.csv'),
  );
  t.is(horizon.code, 2);
  t.regex(horizon.stderr, /--horizon.*expected a duration such as 2h/);
  const site = JSON.parse(await readFile(join(dir, 'h.site.json'), 'utf8'));
  delete site.maintenance;
  await writeFile(join(dir, 'plain.site.json'), JSON.stringify(site));
  const reasons = await factory(
    'maintenance',
    'export',
    '--db',
    join(dir, 'h.db'),
    '--config',
    join(dir, 'plain.site.json'),
    '--horizon',
    '2h',
    '--every',
    '5m',
    '--out',
    join(dir, 'x.csv'),
  );
  t.is(reasons.code, 2);
  t.regex(reasons.stderr, /names no failure reasons.*add maintenance\.failureReasons/);
});
