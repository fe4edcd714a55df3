// `factory simulate --config <site>` simulates that site: its machines publish the site's own metrics
// (in its units, or with a unit the pipeline converts), so replaying what it wrote rejects nothing.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { receiveWireMessage } from '../../domain/pipeline/receiveMessage.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import { handMadeSite, handMadeSiteJson } from '../testing/handMadePlant.ts';
import { tempDir } from '../testing/replayFixtures.ts';

const dir = tempDir();
const siteJson = {
  ...handMadeSiteJson,
  metrics: { temp: { unit: 'degF', min: 0, max: 400 }, pressure: { unit: 'psi', min: 0, max: 10_000 } },
  detectors: {
    press: [
      { kind: 'threshold', metric: 'temp', above: 200, clearBelow: 190, forS: 30 },
      { kind: 'heartbeat', timeoutS: 300 },
    ],
  },
};
const site = join(dir, 'site.json');
writeFileSync(site, JSON.stringify(siteJson));

const factory = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['bin/factory.js', ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

test("simulate --config publishes the site's own machines and metrics, and their replay rejects nothing", (t) => {
  const out = join(dir, 'sim.jsonl');
  const simulate = factory(
    'simulate',
    '--config',
    site,
    '--out',
    out,
    '--duration',
    '600',
    '--start',
    '2026-11-24T12:00:00Z',
  );
  t.is(simulate.code, 0, simulate.stderr);
  const lines = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { topic: string; payload: { metrics?: Record<string, unknown> } });
  const telemetry = lines.filter((l) => l.topic.endsWith('/telemetry') && l.payload.metrics !== undefined);
  t.true(telemetry.length > 0);
  t.deepEqual([...new Set(telemetry.map((l) => l.topic.split('/')[3]))].sort(), ['press-a', 'press-b']);
  // `temp` (which the threshold detector reads) is synthesized; `pressure` is the model's, sent in kPa for the pipeline to convert.
  t.true(
    telemetry.every((l) => Object.keys(l.payload.metrics!).sort().join(',') === 'pressure,temp'),
    JSON.stringify(telemetry[0]),
  );
  t.true(
    telemetry.every(
      (l) => typeof l.payload.metrics!['temp'] === 'number' && (l.payload.metrics!['temp'] as number) < 190,
    ),
  );
  const replay = factory('replay', out, '--config', site, '--json');
  t.is(replay.code, 0, replay.stderr);
  const summary = JSON.parse(replay.stdout) as {
    messages: { received: number; rejected: number };
    rejections: unknown[];
  };
  // Ten plant minutes: before the first of the sample's deliberately malformed messages (minute 31).
  t.deepEqual([summary.messages.received, summary.messages.rejected, summary.rejections], [lines.length, 0, []]);
});

test("a message with several unknown metrics says the site's list of metrics once", (t) => {
  const own = handMadeSite();
  const result = receiveWireMessage(own, siteRegistry(own), 'dt/f1/l1/press-a/telemetry', {
    kind: 'json',
    payload: {
      v: 1,
      id: 'x',
      ts: '2026-11-24T12:00:00Z',
      metrics: { pressure: 25_000, vibration: 3, power: 9, spindle_temp: 70 },
    },
  });
  t.deepEqual(
    result,
    E.left(
      "metrics.vibration, metrics.power, metrics.spindle_temp: unknown metrics; the site configuration's metrics has pressure; add them with their units and ranges to accept them",
    ),
  );
});
