import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openFactoryDb } from '../store/schema.ts';
import { runReplay } from './runReplay.ts';
import { recordingOf, shortRecording, site, tempDir, writeRecording } from '../testing/replayFixtures.ts';
import { COMMIT_EVERY_LINES } from './replayRecording.ts';

const dir = tempDir();
// 45 plant minutes of the 12-machine sample: ~7,500 lines, with its first malformed message at minute 31.
const messages = shortRecording(45);
const extra = [
  'not json at all',
  JSON.stringify({
    t: '2026-11-24T03:44:00Z',
    topic: 'dt/leipzig/body/press-01/telemetry',
    payload: { v: 1, id: 'x-1', ts: '2026-11-24T03:44:00Z', metrics: { pressure: '25000' } },
  }),
  JSON.stringify({ t: '2026-11-24T03:44:01Z', topic: 'cmd/leipzig/gw/reboot', payload: { v: 1 } }),
  JSON.stringify({
    t: '2026-11-24T03:44:02Z',
    topic: 'dt/leipzig/body/press-01/state',
    payloadB64: Buffer.from('\u0000\u0001').toString('base64'),
  }),
  JSON.stringify({ t: '2026-11-24T03:44:03Z', topic: 'dt/leipzig/body/press-01/counts' }),
];
const text = `${recordingOf(messages)}${extra.join('\n')}\n`;
const recording = writeRecording(dir, 'short.jsonl', text);
const lineCount = text.trimEnd().split('\n').length;

test('--via direct and --via broker give identical summaries for the same recording', async (t) => {
  const direct = await runReplay({
    recording,
    site,
    via: 'direct',
    speed: 'max',
    db: join(dir, 'direct.db'),
    progress: false,
  });
  const broker = await runReplay({
    recording,
    site,
    via: 'broker',
    speed: 'max',
    db: join(dir, 'broker.db'),
    progress: false,
  });
  t.is(JSON.stringify(broker), JSON.stringify(direct));
  t.is(direct.messages.received, lineCount);
  t.is(direct.machines.length, 12);
  // 03:00–03:45Z is Izmir's first shift hour; Leipzig and Birmingham have not started theirs.
  t.true(direct.machines.every((m) => (m.factoryId === 'izmir') === m.plannedS > 0));
});

test('every malformed line is a rejection with its reason, and the counts reconcile', async (t) => {
  const summary = await runReplay({ recording, site, via: 'direct', speed: 'max', db: undefined, progress: false });
  const { received, accepted, rejected, duplicates } = summary.messages;
  t.is(received, accepted + rejected + duplicates);
  const base = lineCount - extra.length;
  const byLine = new Map(summary.rejections.map((r) => [r.line, r.reason]));
  t.regex(byLine.get(base + 1) ?? '', /recording line is not JSON/);
  t.regex(byLine.get(base + 2) ?? '', /^metrics\.pressure: expected number/);
  t.regex(byLine.get(base + 3) ?? '', /expected dt\/\{factoryId\}/);
  t.regex(byLine.get(base + 4) ?? '', /payload is not JSON/);
  t.regex(byLine.get(base + 5) ?? '', /neither payload nor payloadB64/);
  // The sample's own malformed message at minute 31 (truncated JSON bytes).
  t.true(summary.rejections.some((r) => /payload is not JSON: Unexpected end/.test(r.reason)));
  t.true(duplicates > 0, 'the sample redelivers some messages');
  t.true(summary.rejections.every((r) => r.reason.length > 10));
});

const tableCounts = (path: string): Record<string, number> => {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(
      ['commits', 'checkpoints', 'telemetry', 'alerts', 'dead_letters', 'replay_rejections', 'outbox', 'timers'].map(
        (table) => [table, (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n],
      ),
    );
  } finally {
    db.close();
  }
};

test('replaying a recording twice into the same store changes nothing', async (t) => {
  const db = join(dir, 'twice.db');
  const first = await runReplay({ recording, site, via: 'direct', speed: 'max', db, progress: false });
  const counts = tableCounts(db);
  const second = await runReplay({ recording, site, via: 'direct', speed: 'max', db, progress: false });
  t.deepEqual(second, first);
  t.deepEqual(tableCounts(db), counts);
  // The same bytes under another name are the same recording.
  const copy = writeRecording(dir, 'renamed-copy.jsonl', text);
  const renamed = await runReplay({ recording: copy, site, via: 'direct', speed: 'max', db, progress: false });
  const withoutFile = (s: typeof first) => ({ ...s, rejections: s.rejections.map(({ file: _file, ...r }) => r) });
  t.deepEqual(withoutFile(renamed), withoutFile(first));
  // Rejections name their file as it was last replayed.
  t.true(renamed.rejections.every((r) => r.file === copy));
});

// Long enough for commits before its end (a replay commits every COMMIT_EVERY_LINES lines): 150 plant minutes.
const longText = recordingOf(shortRecording(150));
const longRecording = writeRecording(dir, 'long.jsonl', longText);
const longLineCount = longText.trimEnd().split('\n').length;

const replayCli = (db: string) =>
  spawn(process.execPath, ['bin/factory.js', 'replay', longRecording, '--db', db, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const linesDone = (db: string): number => {
  if (!existsSync(db)) return 0;
  try {
    const store = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const row = store.prepare('SELECT MAX(lines_done) AS n FROM replay_sources').get() as
        { n: number | null } | undefined;
      return row?.n ?? 0;
    } finally {
      store.close();
    }
  } catch {
    return 0;
  }
};

const finish = (child: ReturnType<typeof replayCli>): Promise<string> =>
  new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
  });

test('a replay killed with SIGKILL mid-way and run again ends with the same summary as one clean run', async (t) => {
  const clean = JSON.parse(await finish(replayCli(join(dir, 'clean.db'))));
  const db = join(dir, 'killed.db');
  const child = replayCli(db);
  const exited = new Promise((resolve) => child.on('close', resolve));
  const deadline = Date.now() + 60_000;
  while (linesDone(db) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  child.kill('SIGKILL');
  await exited;
  const done = linesDone(db);
  t.log(`killed after ${done} of ${longLineCount} lines were committed`);
  t.true(longLineCount > 2 * COMMIT_EVERY_LINES, 'the recording spans several commits');
  t.true(done > 0 && done < longLineCount, 'the kill landed mid-replay');
  t.deepEqual(JSON.parse(await finish(replayCli(db))), clean);
});

test('a store keeps the site it was filled with', async (t) => {
  const db = join(dir, 'site.db');
  await runReplay({ recording, site, via: 'direct', speed: 'max', db, progress: false });
  const store = openFactoryDb(db);
  const row = store.prepare('SELECT json FROM site_config').get() as { json: string };
  store.close();
  t.deepEqual(JSON.parse(row.json), JSON.parse(JSON.stringify(site)));
});
