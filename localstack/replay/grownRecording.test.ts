// A recording that grows between replays into the same store (a recorder appending) resumes after
// what was replayed: nothing is counted twice and nothing is refused as too late.
import test from 'ava';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { handMadeRecording, handMadeSite } from '../testing/handMadePlant.ts';
import { runReplay } from './runReplay.ts';
import { tempDir } from '../testing/replayFixtures.ts';

const site = handMadeSite();
const lines = handMadeRecording({ minutes: 30, silentAfterMin: null }).trimEnd().split('\n');
const dir = tempDir();

test('a recording replayed, grown by appended lines and replayed again into the same store resumes after the replayed prefix', async (t) => {
  const recording = join(dir, 'growing.jsonl');
  const db = join(dir, 'growing.db');
  const thirds = [Math.floor(lines.length / 3), Math.floor((2 * lines.length) / 3), lines.length] as const;
  writeFileSync(recording, `${lines.slice(0, thirds[0]).join('\n')}\n`);
  const first = await runReplay({ recording, site, via: 'direct', speed: 'max', db, progress: false });
  t.is(first.messages.received, thirds[0]);
  appendFileSync(recording, `${lines.slice(thirds[0], thirds[1]).join('\n')}\n`);
  const second = await runReplay({ recording, site, via: 'direct', speed: 'max', db, progress: false });
  appendFileSync(recording, `${lines.slice(thirds[1]).join('\n')}\n`);
  const third = await runReplay({ recording, site, via: 'direct', speed: 'max', db, progress: false });
  t.deepEqual([second.messages.received, third.messages.received], [thirds[1], lines.length]);
  t.deepEqual(third.rejections, []);
  // The same numbers as one replay of the whole file into a fresh store.
  const whole = await runReplay({
    recording,
    site,
    via: 'direct',
    speed: 'max',
    db: join(dir, 'whole.db'),
    progress: false,
  });
  t.deepEqual(third, whole);
  // And once more, unchanged: nothing changes.
  t.deepEqual(await runReplay({ recording, site, via: 'direct', speed: 'max', db, progress: false }), whole);
});

test('a recording that does not begin with a replayed one is a new source, and its rejections say which file they came from', async (t) => {
  const db = join(dir, 'two.db');
  const a = join(dir, 'a.jsonl');
  const b = join(dir, 'b.jsonl');
  writeFileSync(a, `${lines.slice(0, 50).join('\n')}\nnot json\n`);
  writeFileSync(b, `${lines.slice(60, 100).join('\n')}\n{"t":1}\n`);
  await runReplay({ recording: a, site, via: 'direct', speed: 'max', db, progress: false });
  const summary = await runReplay({ recording: b, site, via: 'direct', speed: 'max', db, progress: false });
  t.deepEqual(
    summary.rejections.map((r) => [r.file, r.line]),
    [
      [b, 41],
      [a, 51],
    ],
  );
});
