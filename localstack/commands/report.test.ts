// The replay summary's windows and warnings, and `factory report`, on a hand-made plant in Chicago:
// what a supervisor reads, checked through the real command line.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { ReplaySummary } from '../../domain/pipeline/replaySummary.ts';
import { handMadeRecording, writeHandMadePlant } from '../testing/handMadePlant.ts';
import { tempDir } from '../testing/replayFixtures.ts';

const dir = tempDir();
// press-a silent from 06:30 until it resumes at 06:50 with the parts it made meanwhile; press-b's ideal cycle is too slow.
const plant = writeHandMadePlant(dir, handMadeRecording({ minutes: 90, silentAfterMin: 30, resumeAtMin: 50 }));
const db = join(dir, 'plant.db');

const factory = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['bin/factory.js', ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

let summary: ReplaySummary;
let table: string;
test.before(() => {
  const json = factory('replay', plant.recording, '--config', plant.site, '--db', db, '--json');
  if (json.code !== 0) throw new Error(json.stderr);
  summary = JSON.parse(json.stdout) as ReplaySummary;
  table = factory('replay', plant.recording, '--config', plant.site, '--db', db).stdout;
});

test("--json carries each machine's window start and end, warnings, countsInGap, and its shifts and hours", (t) => {
  const [a, b] = summary.machines;
  t.is(a?.windowStart, '2026-11-24T12:00:00.000Z');
  t.is(a?.windowEnd, '2026-11-24T13:30:00.000Z');
  // 20 minutes silent, 15 of them a data gap: 3/4 of the 1,080 parts counted at 06:50 were made in it, and
  // the 2 rejects follow the parts (cumulative rounding: one each side).
  t.deepEqual(a?.countsInGap, { total: 810, good: 809 });
  t.is(a!.total + a!.countsInGap.total, 4860);
  t.true(a!.warnings.some((w) => w.startsWith('810 parts (809 good) were counted during data gaps')));
  t.deepEqual(
    a?.shifts.map((s) => [s.key, s.start, s.end]),
    [['2026-11-24/first', '2026-11-24T12:00:00.000Z', '2026-11-24T20:00:00.000Z']],
  );
  t.deepEqual(
    a?.hours.map((h) => [h.key, h.start, h.end]),
    [
      ['2026-11-24T06:00-06:00', '2026-11-24T12:00:00.000Z', '2026-11-24T13:00:00.000Z'],
      ['2026-11-24T07:00-06:00', '2026-11-24T13:00:00.000Z', '2026-11-24T14:00:00.000Z'],
    ],
  );
  const shift = a!.shifts[0]!;
  for (const k of [
    'plannedS',
    'runS',
    'downS',
    'dataGapS',
    'total',
    'good',
    'availability',
    'performance',
    'quality',
    'oee',
    'downtimeByReason',
    'countsInGap',
    'warnings',
  ] as const) {
    t.true(k in shift, k);
  }
  t.is(
    a!.hours.reduce((n, h) => n + h.total + h.countsInGap.total, 0),
    4860,
  );
  t.regex(b?.warnings[0] ?? '', /^performance 2\.000 is above 1/);
  t.true(b!.hours.every((h) => h.warnings.length === 1));
});

test('the table lists the warnings under the machines, and alert times say they are UTC', (t) => {
  t.regex(
    table,
    /\nwarnings: 2\n {2}f1\/l1\/press-a: 810 parts \(809 good\) were counted during data gaps[^\n]*\n {2}f1\/l1\/press-b: performance 2\.000 is above 1/,
  );
  t.regex(table, /raised \(UTC\) +cleared \(UTC\)/);
});

test('factory report --by hour prints the --json hours; csv and json say the same', (t) => {
  const hours = factory('report', '--db', db, '--by', 'hour', '--format', 'json');
  t.is(hours.code, 0, hours.stderr);
  const report = JSON.parse(hours.stdout) as {
    by: string;
    windows: { machineId: string; key: string; oee: number | null }[];
  };
  t.is(report.by, 'hour');
  t.deepEqual(
    report.windows.map((w) => [w.key, w.machineId, w.oee]),
    summary.machines
      .flatMap((m) => m.hours.map((h) => [h.key, m.machineId, h.oee]))
      .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
  );
  const csv = factory('report', '--db', db, '--by', 'hour', '--format', 'csv').stdout.trimEnd().split('\r\n');
  t.is(
    csv[0],
    'factoryId,lineId,machineId,window,start,end,plannedS,runS,downS,dataGapS,total,good,availability,performance,quality,oee,countsInGapTotal,countsInGapGood,downtimeByReason,warnings',
  );
  t.is(csv.length, 1 + report.windows.length);
  t.true(csv[1]!.startsWith('f1,l1,press-a,2026-11-24T06:00-06:00,2026-11-24T12:00:00.000Z,2026-11-24T13:00:00.000Z,'));
  const text = factory('report', '--db', db, '--by', 'shift').stdout;
  t.regex(text, /^shift +start \(UTC\) +factory/);
  t.regex(text, /2026-11-24\/first +2026-11-24 12:00 +f1 +l1 +press-a/);
});

test("factory report --by day adds a local day's hours: the whole replay here", (t) => {
  const day = JSON.parse(factory('report', '--db', db, '--by', 'day', '--format', 'json').stdout) as {
    windows: {
      key: string;
      start: string;
      end: string;
      total: number;
      plannedS: number;
      countsInGap: { total: number };
    }[];
  };
  const a = summary.machines[0]!;
  t.deepEqual(day.windows[0] && [day.windows[0].key, day.windows[0].start, day.windows[0].end], [
    '2026-11-24',
    '2026-11-24T06:00:00.000Z',
    '2026-11-25T06:00:00.000Z',
  ]);
  t.deepEqual(
    [day.windows[0]!.total, day.windows[0]!.plannedS, day.windows[0]!.countsInGap.total],
    [a.total, a.plannedS, a.countsInGap.total],
  );
});

test('factory report refuses a store that does not exist (2) and a file that is not a store (1), naming the path', (t) => {
  const missing = factory('report', '--db', join(dir, 'nope.db'), '--by', 'day');
  t.is(missing.code, 2);
  t.regex(
    missing.stderr,
    /^factory report: --db \S+nope\.db does not exist; check the path \(the store file a replay wrote; run `factory replay <recording> --db \S+` first\)\n$/,
  );
  const notStore = factory('report', '--db', plant.site, '--by', 'day');
  t.is(notStore.code, 1);
  t.regex(
    notStore.stderr,
    /^factory report: --db \S+site\.json is not a factory store \(file is not a database\); run `factory replay/,
  );
  t.is(factory('report', '--db', db, '--by', 'week').code, 2);
});
