import test from 'ava';
import { spawn } from 'node:child_process';
import { recordingOf, shortRecording, tempDir, writeRecording } from '../testing/replayFixtures.ts';

const recording = writeRecording(tempDir(), 'short.jsonl', recordingOf(shortRecording(20)));

test('factory replay --dashboard serves the store it replays into, with the numbers --json prints, until Ctrl-C', async (t) => {
  const child = spawn(process.execPath, ['bin/factory.js', 'replay', recording, '--json', '--dashboard', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const ready = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const url = /dashboard at (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl-C/.exec(err)?.[1];
      if (url !== undefined) resolve(url);
    });
    child.on('close', (code) => reject(new Error(`exited ${code} before serving: ${err}`)));
  });
  const url = await ready;
  const summary = JSON.parse(out);
  const overview = (await (await fetch(new URL('api/overview', url))).json()) as { summary: { machines: unknown[] } };
  t.deepEqual(overview.summary.machines, summary.machines);
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.kill('SIGINT');
  t.is(await exited, 0);
});
