// Jobs (docs/wire-contract.md#job) on every replay path: directly, through the local IoT Core (the topic
// policy lets a machine publish `job`) and through the Lambda functions, the same summary, with each
// product's and order's numbers; an unknown product is refused, counted as rejected, and kept.
import test from 'ava';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { decodeSiteConfig } from '../../domain/site/siteConfig.ts';
import type { ReplaySummary } from '../../domain/pipeline/replaySummary.ts';
import { runReplay } from './runReplay.ts';
import { tempDir, writeRecording } from '../testing/replayFixtures.ts';

const decoded = decodeSiteConfig({
  version: 1,
  factories: [
    {
      id: 'f1',
      timezone: 'UTC',
      lines: [{ id: 'l1', machines: [{ id: 'press-01', type: 'press', idealCycleTimeS: 2 }] }],
    },
  ],
  heartbeatTimeoutS: 300,
  allowedLatenessS: 60,
  products: [
    { id: 'bracket-a', idealCycleTimeS: { byType: { press: 1 } } },
    { id: 'bracket-b', idealCycleTimeS: { byType: { press: 1.5 } } },
  ],
});
if (E.isLeft(decoded)) throw new Error(decoded.left.join('; '));
const site = decoded.right;
const T0 = Date.UTC(2026, 10, 24, 6, 0);
const dir = tempDir();

const topic = (type: string) => `dt/f1/l1/press-01/${type}`;
const line = (minute: number, type: string, payload: Record<string, unknown>) => ({
  t: T0 + minute * 60_000,
  topic: topic(type),
  payload: { v: 1, ts: T0 + minute * 60_000, ...payload },
});
// An hour: order O-1 of bracket-a for 30 minutes, then O-2 of bracket-b; counts and a state every 2 minutes.
const lines = [
  line(0, 'state', { id: 's0', state: 'RUNNING' }),
  line(0, 'job', { id: 'j1', order: 'O-1', product: 'bracket-a', targetQuantity: 1000 }),
  ...Array.from({ length: 31 }, (_, i) => line(i * 2, 'counts', { id: `c${i}`, total: i * 100, reject: i })),
  line(30, 'job', { id: 'j2', order: 'O-2', product: 'bracket-b' }),
  line(31, 'job', { id: 'j3', order: 'O-3', product: 'no-such-product' }),
  line(30, 'job', { id: 'j2', order: 'O-2', product: 'bracket-b' }), // a redelivery
  ...Array.from({ length: 31 }, (_, i) => line(60 + i, 'state', { id: `h${i}`, state: 'RUNNING' })),
].sort((a, b) => a.t - b.t); // received in time order (a stable sort keeps the redelivery after its first)

test('a recording with jobs gives one summary on every path, with products and orders; an unknown product is a rejection', async (t) => {
  const path = writeRecording(dir, 'jobs.jsonl', `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const summaries: string[] = [];
  for (const via of ['direct', 'broker', 'lambda'] as const) {
    const summary = await runReplay({
      recording: path,
      site,
      via,
      speed: 'max',
      db: join(dir, `${via}.db`),
      progress: false,
    });
    summaries.push(JSON.stringify(summary));
  }
  t.is(summaries[1], summaries[0], 'broker');
  t.is(summaries[2], summaries[0], 'lambda');
  const summary = JSON.parse(summaries[0]!) as ReplaySummary;
  t.deepEqual(summary.messages, { received: lines.length, accepted: lines.length - 2, rejected: 1, duplicates: 1 });
  t.regex(
    summary.rejections[0]!.reason,
    /^product: "no-such-product" has no ideal cycle time for machine f1\/l1\/press-01/,
  );
  const machine = summary.machines[0]!;
  t.deepEqual(
    machine.products?.map((p) => [p.key, p.total]),
    [
      ['bracket-a', 1500],
      ['bracket-b', 1500],
    ],
  );
  t.deepEqual(
    machine.orders?.map((o) => [o.key, o.product, o.targetQuantity]),
    [
      ['O-1', 'bracket-a', 1000],
      ['O-2', 'bracket-b', null],
    ],
  );
  // 1,500 parts at 1 s and 1,500 at 1.5 s in 90 minutes of run time: performance (1,500 + 2,250) / 5,400.
  t.is(machine.performance?.toFixed(3), '0.694');
});
