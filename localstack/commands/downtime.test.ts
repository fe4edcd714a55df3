// `factory downtime classify` through the real command line, on a store a replay filled: the stop
// moves from "unspecified" to its reason in the summary, every window and `factory report`, and stays
// there when the recording is replayed into the same store again; bad input is one line and exit 2.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { MachineSummary, ReplaySummary } from '../../domain/pipeline/replaySummary.ts';
import { tempDir } from '../testing/replayFixtures.ts';
import { writeStoppedPlant } from '../testing/stoppedPlant.ts';

const factory = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['bin/factory.js', ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

const dir = tempDir();
const plant = writeStoppedPlant(dir);
const db = join(dir, 'plant.db');
const replay = (): ReplaySummary => {
  const run = factory('replay', plant.recording, '--config', plant.site, '--db', db, '--json');
  if (run.code !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as ReplaySummary;
};
const pressA = (summary: ReplaySummary): MachineSummary => summary.machines.find((m) => m.machineId === 'press-a')!;
const hoursOf = (m: MachineSummary) => m.hours.map((h) => [h.key, h.downtimeByReason]);
const withoutReasons = ({
  downtimeByReason: _r,
  downtimeByCategory: _c,
  classifiedStops: _s,
  shifts,
  hours,
  ...rest
}: MachineSummary) => ({
  ...rest,
  shifts: shifts.map(({ downtimeByReason: _w, ...w }) => w),
  hours: hours.map(({ downtimeByReason: _w, ...w }) => w),
});

let before: ReplaySummary;
test.before(() => {
  before = replay();
});

test.serial(
  'a classified stop moves from "unspecified" to its reason in the summary, every hour and shift, and the report; replaying again keeps it',
  (t) => {
    t.deepEqual(pressA(before).downtimeByReason, { unspecified: 1800 });
    t.deepEqual(pressA(before).downtimeByCategory, { unspecified: 1800 });
    t.deepEqual(hoursOf(pressA(before)).slice(0, 2), [
      ['2026-11-24T06:00-06:00', { unspecified: 1200 }],
      ['2026-11-24T07:00-06:00', { unspecified: 600 }],
    ]);

    const classified = factory(
      'downtime',
      'classify',
      '--db',
      db,
      '--machine',
      'f1/l1/press-a',
      '--at',
      '2026-11-24T06:55-06:00',
      '--reason',
      'tool_failure',
      '--by',
      'anna',
    );
    t.is(classified.code, 0, classified.stderr);
    t.is(
      classified.stdout,
      'f1/l1/press-a: the stop of 2026-11-24T12:40:00.000Z counts as tool_failure (equipmentFailure), classified by anna\n',
    );

    // The recording again, into the same store: nothing new to replay, the classification holds.
    const after = replay();
    const a = pressA(after);
    t.deepEqual(a.downtimeByReason, { tool_failure: 1800 });
    t.deepEqual(a.downtimeByCategory, { equipmentFailure: 1800 });
    t.deepEqual(hoursOf(a).slice(0, 2), [
      ['2026-11-24T06:00-06:00', { tool_failure: 1200 }],
      ['2026-11-24T07:00-06:00', { tool_failure: 600 }],
    ]);
    t.deepEqual(a.shifts[0]?.downtimeByReason, { tool_failure: 1800 });
    t.is(a.classifiedStops?.length, 1);
    t.like(a.classifiedStops?.[0], { stopStart: '2026-11-24T12:40:00.000Z', reason: 'tool_failure', by: 'anna' });
    // Only the Pareto moved: planned, run and down time, availability and OEE are as they were.
    t.deepEqual(withoutReasons(a), withoutReasons(pressA(before)));
    t.deepEqual(
      after.machines.find((m) => m.machineId === 'press-b'),
      before.machines.find((m) => m.machineId === 'press-b'),
    );

    const report = factory('report', '--db', db, '--by', 'day', '--format', 'json');
    t.is(report.code, 0, report.stderr);
    t.regex(report.stdout, /"downtimeByReason":{"tool_failure":1800}/);
    t.notRegex(report.stdout, /"unspecified"/);

    // Classified again: the last classification wins.
    t.is(
      factory(
        'downtime',
        'classify',
        '--db',
        db,
        '--machine',
        'f1/l1/press-a',
        '--at',
        '2026-11-24T12:40:00Z',
        '--reason',
        'changeover',
      ).code,
      0,
    );
    t.deepEqual(pressA(replay()).downtimeByReason, { changeover: 1800 });
  },
);

test('a code not in the catalog, a machine not in the store, a time outside every stop: one line each, exit 2', (t) => {
  const refused = (...args: string[]) => factory('downtime', 'classify', '--db', db, ...args);
  const unknownCode = refused('--machine', 'f1/l1/press-a', '--at', '2026-11-24T12:50:00Z', '--reason', 'gremlins');
  t.is(unknownCode.code, 2);
  t.is(
    unknownCode.stderr,
    'factory downtime classify: --reason gremlins: "gremlins" is not in the site\'s reason catalog; use one of tool_failure, jam, changeover, slow_feed\n',
  );
  const unknownMachine = refused('--machine', 'f1/l1/press-z', '--at', '2026-11-24T12:50:00Z', '--reason', 'jam');
  t.is(unknownMachine.code, 2);
  t.is(
    unknownMachine.stderr,
    'factory downtime classify: --machine f1/l1/press-z has no stream in the store; give factory/line/machine of a machine the store has data of\n',
  );
  const running = refused('--machine', 'f1/l1/press-a', '--at', '2026-11-24T12:30:00Z', '--reason', 'jam');
  t.is(running.code, 2);
  t.regex(
    running.stderr,
    /^factory downtime classify: --at 2026-11-24T12:30:00.000Z: f1\/l1\/press-a was not stopped \(DOWN, SETUP or IDLE\) at 2026-11-24T12:30:00.000Z; the nearest stops: DOWN 2026-11-24T12:40:00.000Z–2026-11-24T13:10:00.000Z\n$/,
  );
  const badTime = refused('--machine', 'f1/l1/press-a', '--at', 'yesterday', '--reason', 'jam');
  t.is(badTime.code, 2);
  t.regex(badTime.stderr, /--at <time>.*expected an ISO-8601 time/);
});
