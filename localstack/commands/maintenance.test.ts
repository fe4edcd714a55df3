import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { decodeMaintenanceModel } from '../../domain/maintenance/modelDocument.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('../maintenance/fixtures/ai4i2020-sample.csv', import.meta.url));

const factory = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, ['bin/factory.js', ...args], { cwd: root, timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });

const METRICS = ['recall', 'precision', 'f1', 'prAuc'];
const isMetric = (value: unknown): boolean => value === null || (typeof value === 'number' && value >= 0 && value <= 1);

test('eval --json prints only the report: failure and each mode with recall, precision, F1 and PR-AUC', async (t) => {
  const { code, stdout, stderr } = await factory('maintenance', 'eval', '--data', fixture, '--json');
  t.is(code, 0, stderr);
  t.is(stderr, '');
  const report = JSON.parse(stdout);
  t.deepEqual(Object.keys(report), ['failure', 'modes']);
  t.deepEqual(Object.keys(report.modes), ['TWF', 'HDF', 'PWF', 'OSF', 'RNF']);
  for (const metrics of [report.failure, ...Object.values(report.modes)]) {
    t.deepEqual(Object.keys(metrics as object), METRICS);
    t.true(METRICS.every((m) => isMetric((metrics as Record<string, unknown>)[m])));
  }
  // the fixture holds 48 failures, most by rule (HDF, PWF, OSF): the failure model must find them
  t.true(report.failure.f1 > 0.6, `failure F1 ${report.failure.f1}`);
});

test('eval without --json prints a table with a row per target and a column per metric', async (t) => {
  const { code, stdout } = await factory('maintenance', 'eval', '--data', fixture);
  t.is(code, 0);
  const lines = stdout.trimEnd().split('\n');
  t.deepEqual(lines[0]!.trim().split(/\s+/), ['recall', 'precision', 'F1', 'PR-AUC']);
  t.deepEqual(
    lines.slice(1).map((line) => line.split(/\s+/)[0]),
    ['failure', 'TWF', 'HDF', 'PWF', 'OSF', 'RNF'],
  );
});

test('train writes a model.json that decodes and scores; --json summarises it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'maintenance-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, 'model.json');
  const { code, stdout, stderr } = await factory('maintenance', 'train', '--data', fixture, '--out', out, '--json');
  t.is(code, 0, stderr);
  const summary = JSON.parse(stdout);
  t.is(summary.trainingRows, 289);
  t.is(summary.targets.failure.trainingPositives, 48);
  const model = decodeMaintenanceModel(JSON.parse(await readFile(out, 'utf8')));
  t.true(E.isRight(model), E.isLeft(model) ? model.left.join('\n') : '');
});

test('bad file content exits 2 naming the line; a --data path that does not exist exits 2, as in every command; a missing --data exits 2', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'maintenance-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const bad = join(dir, 'bad.csv');
  const text = await readFile(fixture, 'utf8');
  await writeFile(bad, text.replace(/\r\n(\d+),(\w+),M,/, '\r\n$1,$2,Q,'));
  const [badContent, absent, missing] = await Promise.all([
    factory('maintenance', 'eval', '--data', bad, '--json'),
    factory('maintenance', 'eval', '--data', join(dir, 'absent.csv')),
    factory('maintenance', 'eval'),
  ]);
  t.is(badContent.code, 2);
  t.regex(badContent.stderr, /bad\.csv line \d+, column "Type": expected L, M or H, got "Q"/);
  t.is(badContent.stdout, '');
  t.is(absent.code, 2);
  t.regex(absent.stderr, /^factory maintenance: --data .*absent\.csv does not exist; check the path/);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /--data/);
});
