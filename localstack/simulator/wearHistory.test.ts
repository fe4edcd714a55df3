import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { decodeSiteConfig } from '../../domain/site/siteConfig.ts';
import { HISTORY_FAILURE_REASONS, historySite, wearHistoryLines } from './wearHistory.ts';

const lines = [...wearHistoryLines({ startMs: Date.UTC(2026, 9, 5), days: 3, machines: 10, seed: 3 })].map(
  (line) => JSON.parse(line) as { t: string; topic: string; payload: Record<string, unknown> },
);

test('the history is in receive order, with about one telemetry message per machine and minute', (t) => {
  const times = lines.map((l) => Date.parse(l.t));
  t.true(times.every((ts, i) => i === 0 || ts >= times[i - 1]!));
  const telemetry = lines.filter((l) => l.topic.endsWith('/telemetry')).length;
  const machineMinutes = 3 * 24 * 60 * 10;
  // a machine now and then goes silent for up to an hour
  t.true(telemetry <= machineMinutes && telemetry > machineMinutes * 0.97, `${telemetry} of ${machineMinutes}`);
});

test('machines fail for every configured reason, and stop for reasons that are not failures', (t) => {
  const reasons = new Set(
    lines.filter((l) => l.topic.endsWith('/state') && l.payload['state'] === 'DOWN').map((l) => l.payload['reason']),
  );
  for (const reason of [...HISTORY_FAILURE_REASONS, 'jam']) t.true(reasons.has(reason), reason);
});

test('the site it writes decodes, names the failure reasons and has every machine of the recording', (t) => {
  const site = decodeSiteConfig(historySite(10));
  if (E.isLeft(site)) return t.fail(site.left.join('\n'));
  t.deepEqual(site.right.maintenance?.failureReasons, { cnc: [...HISTORY_FAILURE_REASONS] });
  const machines = site.right.factories.flatMap((f) =>
    f.lines.flatMap((l) => l.machines.map((m) => `sim/${l.id}/${m.id}`)),
  );
  const topics = new Set(lines.map((l) => l.topic.split('/').slice(1, 4).join('/')));
  t.deepEqual([...topics].sort(), machines.sort());
});
