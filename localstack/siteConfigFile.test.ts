import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { loadSiteConfigFile } from './siteConfigFile.ts';
import { siteRegistry } from '../domain/site/siteRegistry.ts';
import { plannedIntervals } from '../domain/site/shiftCalendar.ts';

const samplePath = fileURLToPath(new URL('./sample/site.json', import.meta.url));

const withDir = async (run: (dir: string) => Promise<void>): Promise<void> => {
  const dir = await mkdtemp(join(tmpdir(), 'site-config-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

test('the sample site decodes: 3 factories in 3 time zones, 2+ lines each, 10+ machines, 2 shifts with breaks', async (t) => {
  const result = await loadSiteConfigFile(samplePath);
  if (E.isLeft(result)) return t.fail(result.left.join('\n'));
  const site = result.right;
  t.deepEqual(
    site.factories.map((f) => f.timezone),
    ['Europe/Berlin', 'Europe/London', 'Europe/Istanbul'],
  );
  t.true(site.factories.every((f) => f.lines.length >= 2));
  const machines = siteRegistry(site).machines();
  t.true(machines.length >= 10);
  t.deepEqual([...new Set(machines.map((m) => m.type))].sort(), ['cnc', 'press', 'robot']);
  t.true(
    machines.every((m) => m.detectors.length > 0),
    'every machine type has detectors',
  );
  t.is(site.shifts?.length, 2);
  t.true((site.shifts ?? []).every((s) => (s.breaks ?? []).length === 1));
  t.like(Object.fromEntries(Object.entries(site.metrics).map(([name, m]) => [name, m.unit])), {
    spindle_temp: 'degC',
    vibration: 'mm/s',
    pressure: 'kPa',
    spindle_speed: 'rpm',
    power: 'kW',
    torque: 'Nm',
    tool_wear: 'min',
    air_temp: 'K',
    process_temp: 'K',
  });
  const kinds = new Set<string>(
    Object.values(site.detectors)
      .flat()
      .map((d) => d.kind),
  );
  for (const kind of ['flatline', 'heartbeat', 'rateOfChange', 'threshold'])
    t.true(kinds.has(kind), `a ${kind} detector`);
  t.true(
    Object.values(site.detectors)
      .flat()
      .some(
        (d) =>
          d.kind === 'threshold' &&
          d.forS !== undefined &&
          d.clearBelow !== undefined &&
          d.above !== undefined &&
          d.clearBelow < d.above,
      ),
    'a threshold with hysteresis and forS',
  );
  // Planned per local day: (8 h − 30 min) × 2 in each factory.
  const day =
    plannedIntervals(site, 'izmir', Date.parse('2026-06-01T00:00+03:00'), Date.parse('2026-06-02T00:00+03:00')) ?? [];
  t.is(
    day.reduce((sum, i) => sum + i.endMs - i.startMs, 0),
    15 * 3_600_000,
  );
});

test('YAML is read too, with unquoted HH:MM kept as text', (t) =>
  withDir(async (dir) => {
    const path = join(dir, 'site.yaml');
    await writeFile(
      path,
      [
        'version: 1',
        'factories:',
        '  - { id: f1, timezone: Europe/Berlin, lines: [{ id: l1, machines: [{ id: press-01, type: press, idealCycleTimeS: 1.0 }] }] }',
        'shifts:',
        '  - name: early',
        '    start: 06:00',
        '    end: 14:00',
        '    breaks: [{ start: 09:00, end: 09:15 }]',
        'metrics:',
        '  spindle_temp: { unit: degC, min: -40, max: 400 }',
      ].join('\n'),
    );
    const result = await loadSiteConfigFile(path);
    if (E.isLeft(result)) return t.fail(result.left.join('\n'));
    t.is(result.right.shifts?.[0]?.start, '06:00');
    t.is(result.right.heartbeatTimeoutS, 300);
  }));

test('problems are prefixed with the file name', (t) =>
  withDir(async (dir) => {
    const path = join(dir, 'bad.json');
    await writeFile(
      path,
      JSON.stringify({
        version: 1,
        factories: [
          {
            id: 'f1',
            timezone: 'Europe/Berlin',
            lines: [{ id: 'l1', machines: [{ id: 'm', type: 'press', idealCycleTimeS: 0 }] }],
          },
        ],
      }),
    );
    t.deepEqual(
      await loadSiteConfigFile(path),
      E.left([`${path}: factories[0].lines[0].machines[0].idealCycleTimeS: expected a number > 0, got 0`]),
    );
  }));

test('a missing file, bad JSON and bad YAML each say so', (t) =>
  withDir(async (dir) => {
    const missing = join(dir, 'nope.json');
    t.deepEqual(
      await loadSiteConfigFile(missing),
      E.left([
        `${missing}: no such file; pass the path of a site configuration (JSON or YAML), e.g. localstack/sample/site.json`,
      ]),
    );
    const json = join(dir, 'broken.json');
    await writeFile(json, '{ "version": 1, ');
    const badJson = await loadSiteConfigFile(json);
    t.true(E.isLeft(badJson) && badJson.left.length === 1 && badJson.left[0]!.startsWith(`${json}: not valid JSON (`));
    const yaml = join(dir, 'broken.yml');
    await writeFile(yaml, 'version: 1\nversion: 2\n');
    const badYaml = await loadSiteConfigFile(yaml);
    t.true(E.isLeft(badYaml) && badYaml.left[0]!.startsWith(`${yaml}: not valid YAML (`), 'duplicate keys are refused');
    t.true(E.isLeft(await loadSiteConfigFile(dir)));
  }));
