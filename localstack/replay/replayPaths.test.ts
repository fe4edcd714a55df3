// The product's promise, checked from outside: a recording replayed directly, through the local IoT
// Core, or through the Lambda functions as their event source mapping calls them, gives the same
// summary, the same decisions in every stream and the same dead letters.
import test from 'ava';
import { fc } from '@fast-check/ava';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/lib/Either.js';
import { decodeSiteConfig } from '../../domain/site/siteConfig.ts';
import { runReplay, type ReplayRequest } from './runReplay.ts';
import { tempDir, writeRecording } from '../testing/replayFixtures.ts';

const decoded = decodeSiteConfig({
  version: 1,
  factories: [
    {
      id: 'f1',
      name: 'Plant',
      timezone: 'Europe/Berlin',
      lines: [
        {
          id: 'l1',
          machines: [
            { id: 'press-01', type: 'press', idealCycleTimeS: 2 },
            { id: 'lathe-02', type: 'press', idealCycleTimeS: 5 },
          ],
        },
      ],
    },
  ],
  shifts: [{ name: 'early', start: '06:00', end: '14:00', breaks: [{ start: '09:00', end: '09:15' }] }],
  microStopS: 60,
  heartbeatTimeoutS: 120,
  allowedLatenessS: 300,
  metrics: { temp: { unit: 'degC', min: -40, max: 400 } },
  detectors: {
    press: [
      { kind: 'threshold', metric: 'temp', above: 90, clearBelow: 85, forS: 20 },
      { kind: 'heartbeat', timeoutS: 120 },
    ],
  },
});
if (E.isLeft(decoded)) throw new Error(decoded.left.join('; '));
const site = decoded.right;
const T0 = Date.UTC(2026, 10, 24, 6, 0);
const dir = tempDir();
let files = 0;

type Line = { readonly t: number; readonly topic: string; readonly payload?: unknown; readonly payloadB64?: string };

/** One machine's messages over about an hour: states, counts, readings, with gaps the heartbeat notices. */
const machineLines = (machine: string) =>
  fc
    .array(
      fc.oneof(
        fc.record({
          kind: fc.constant('state'),
          dt: fc.integer({ min: 1, max: 400 }),
          state: fc.constantFrom('RUNNING', 'DOWN', 'IDLE', 'PLANNED_STOP'),
          reason: fc.constantFrom(undefined, 'jam'),
        }),
        fc.record({
          kind: fc.constant('counts'),
          dt: fc.integer({ min: 1, max: 120 }),
          made: fc.integer({ min: 0, max: 30 }),
          scrap: fc.integer({ min: 0, max: 2 }),
        }),
        fc.record({
          kind: fc.constant('telemetry'),
          dt: fc.integer({ min: 1, max: 60 }),
          temp: fc.double({ min: 20, max: 120, noNaN: true }),
        }),
      ),
      { minLength: 1, maxLength: 40 },
    )
    .map((steps) => {
      let ts = T0;
      let total = 0;
      let reject = 0;
      return steps.map((s, i): Line => {
        ts += s.dt * 1000;
        const id = `${machine}-${i}`;
        const topic = (type: string) => `dt/f1/l1/${machine}/${type}`;
        if (s.kind === 'state')
          return {
            t: ts,
            topic: topic('state'),
            payload: { v: 1, id, ts, state: s.state, ...(s.reason === undefined ? {} : { reason: s.reason }) },
          };
        if (s.kind === 'counts') {
          total += s.made;
          reject = Math.min(total, reject + s.scrap);
          return { t: ts, topic: topic('counts'), payload: { v: 1, id, ts, total, reject } };
        }
        return { t: ts, topic: topic('telemetry'), payload: { v: 1, id, ts, metrics: { temp: s.temp } } };
      });
    });

/** Both machines interleaved by receipt, with redeliveries, late arrivals, readings stamped an hour ahead and malformed messages. */
const recording = fc
  .tuple(
    machineLines('press-01'),
    machineLines('lathe-02'),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('redeliver', 'delay', 'ahead', 'garbage')), { maxLength: 8 }),
  )
  .map(([a, b, faults]) => {
    const lines = [...a, ...b].sort((x, y) => x.t - y.t || x.topic.localeCompare(y.topic));
    for (const [k, fault] of faults) {
      const at = k % lines.length;
      const line = lines[at]!;
      const payload = line.payload as { ts: number };
      if (fault === 'redeliver')
        lines.splice(Math.min(lines.length, at + 1 + (k % 5)), 0, { ...line, t: line.t + 1000 });
      if (fault === 'delay')
        lines.splice(Math.min(lines.length, at + 3 + (k % 20)), 0, {
          ...line,
          t: line.t + 400_000 + (k % 7) * 60_000,
          payload: { ...payload, id: `late-${k}` },
        });
      if (fault === 'ahead')
        lines.splice(at, 0, { ...line, payload: { ...payload, id: `ahead-${k}`, ts: line.t + 3_600_000 } });
      if (fault === 'garbage')
        lines.splice(at, 0, {
          t: line.t,
          topic: line.topic,
          payloadB64: Buffer.from('{"v":1,"id"').toString('base64'),
        });
    }
    // Lines keep the order they were received in; the delayed ones keep their later receipt.
    return lines
      .map((l, i) => ({ ...l, i }))
      .sort((x, y) => x.t - y.t || x.i - y.i)
      .map(({ i: _, ...l }) => l);
  });

const storeContents = (db: string) => {
  const store = new Database(db, { readonly: true });
  try {
    const decisions = store
      .prepare<[], { stream_id: string; events: string }>(
        'SELECT stream_id, events FROM commits ORDER BY stream_id, position',
      )
      .all()
      .flatMap((row) => (JSON.parse(row.events) as unknown[]).map((event) => [row.stream_id, event]));
    const letters = store
      .prepare(
        'SELECT reason, topic, payload, payload_b64, received_at FROM dead_letters ORDER BY received_at, reason, payload',
      )
      .all();
    const telemetry = store
      .prepare(
        'SELECT factory_id, line_id, machine_id, minute, readings FROM telemetry ORDER BY factory_id, line_id, machine_id, minute',
      )
      .all();
    return { decisions, letters, telemetry };
  } finally {
    store.close();
  }
};

const replay = async (path: string, via: ReplayRequest['via'], batchSize?: number) => {
  const db = join(dir, `r-${++files}.db`);
  const summary = await runReplay({ recording: path, site, via, speed: 'max', db, progress: false, batchSize });
  return { summary: JSON.stringify(summary), ...storeContents(db) };
};

test('--via direct and --via lambda, in any batch size, give identical summaries, decisions, dead letters and readings (generated recordings)', async (t) => {
  await fc.assert(
    fc.asyncProperty(recording, fc.integer({ min: 1, max: 40 }), async (lines, batchSize) => {
      const path = writeRecording(dir, `p-${++files}.jsonl`, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      const direct = await replay(path, 'direct');
      const lambda = await replay(path, 'lambda', batchSize);
      t.deepEqual(lambda, direct);
      const summary = JSON.parse(direct.summary) as {
        messages: { received: number; accepted: number; rejected: number; duplicates: number };
      };
      t.is(summary.messages.received, lines.length);
      t.is(
        summary.messages.received,
        summary.messages.accepted + summary.messages.rejected + summary.messages.duplicates,
      );
    }),
    { numRuns: 40 },
  );
});

test('--via broker gives what --via direct gives (generated recordings, through the local IoT Core over mutual TLS)', async (t) => {
  await fc.assert(
    fc.asyncProperty(recording, async (lines) => {
      const path = writeRecording(dir, `b-${++files}.jsonl`, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      t.deepEqual(await replay(path, 'broker'), await replay(path, 'direct'));
    }),
    { numRuns: 3 },
  );
});

test('a reading stamped an hour ahead is refused on every path, and the honest reading after it is accepted', async (t) => {
  const lines: Line[] = [
    { t: T0, topic: 'dt/f1/l1/press-01/state', payload: { v: 1, id: 's0', ts: T0, state: 'RUNNING' } },
    {
      t: T0 + 10_000,
      topic: 'dt/f1/l1/press-01/telemetry',
      payload: { v: 1, id: 'ahead', ts: T0 + 3_610_000, metrics: { temp: 60 } },
    },
    {
      t: T0 + 20_000,
      topic: 'dt/f1/l1/press-01/telemetry',
      payload: { v: 1, id: 'honest', ts: T0 + 20_000, metrics: { temp: 61 } },
    },
  ];
  const path = writeRecording(dir, 'ahead.jsonl', `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  for (const via of ['direct', 'broker', 'lambda'] as const) {
    const summary = JSON.parse((await replay(path, via)).summary) as {
      messages: unknown;
      rejections: { line: number; reason: string }[];
    };
    t.deepEqual(summary.messages, { received: 3, accepted: 2, rejected: 1, duplicates: 0 }, via);
    t.is(summary.rejections[0]?.line, 2, via);
    t.regex(summary.rejections[0]?.reason ?? '', /^from the future: /, via);
  }
});

test("an alert the gateway raised shows with the machine's alerts, marked as raised at the edge, on every path, once", async (t) => {
  const alert = (id: string, ts: number, transition: string) => ({
    t: ts + 200,
    topic: 'dt/f1/l1/press-01/alert',
    payload: { v: 1, id, ts, detector: 'threshold:temp', transition, cause: `temp ${transition} at the edge` },
  });
  const lines: Line[] = [
    { t: T0, topic: 'dt/f1/l1/press-01/state', payload: { v: 1, id: 's0', ts: T0, state: 'RUNNING' } },
    ...Array.from({ length: 6 }, (_, i) => ({
      t: T0 + (i + 1) * 10_000,
      topic: 'dt/f1/l1/press-01/telemetry',
      payload: { v: 1, id: `t${i}`, ts: T0 + (i + 1) * 10_000, metrics: { temp: 95 } },
    })),
    alert('a1', T0 + 15_000, 'raised'),
    alert('a1', T0 + 15_000, 'raised'),
    ...Array.from({ length: 6 }, (_, i) => ({
      t: T0 + (i + 7) * 10_000,
      topic: 'dt/f1/l1/press-01/telemetry',
      payload: { v: 1, id: `u${i}`, ts: T0 + (i + 7) * 10_000, metrics: { temp: 60 } },
    })),
    alert('a2', T0 + 75_000, 'cleared'),
  ];
  const path = writeRecording(dir, 'edge-alert.jsonl', `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const summaries = [];
  for (const via of ['direct', 'broker', 'lambda'] as const) summaries.push((await replay(path, via)).summary);
  t.is(summaries[1], summaries[0]);
  t.is(summaries[2], summaries[0]);
  const summary = JSON.parse(summaries[0]!) as {
    messages: unknown;
    alerts: { detector: string; raisedAt: string; clearedAt: string | null; origin?: string }[];
  };
  t.deepEqual(summary.messages, { received: lines.length, accepted: lines.length - 1, rejected: 0, duplicates: 1 });
  t.deepEqual(
    summary.alerts.map((a) => [a.detector, a.raisedAt, a.origin]),
    [['threshold:temp', new Date(T0 + 15_000).toISOString(), 'edge']],
  );
  t.not(summary.alerts[0]!.clearedAt, null);
});
