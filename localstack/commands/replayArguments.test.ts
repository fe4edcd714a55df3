// What `factory replay` says about arguments it cannot use, through the real command line: each is
// one line naming the path and what to do, exit 2 for bad usage or input (a path that does not exist
// included), 1 for work that failed (docs/command-line.md).
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { handMadeRecording, writeHandMadePlant } from '../testing/handMadePlant.ts';
import { recordingOf, shortRecording, tempDir, writeRecording } from '../testing/replayFixtures.ts';

const dir = tempDir();
const plant = writeHandMadePlant(dir, handMadeRecording({ minutes: 5, silentAfterMin: null }));

const factory = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['bin/factory.js', ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

/** One line on stderr, starting with the command, matching `pattern`. */
const oneLine = (stderr: string, pattern: RegExp): boolean => stderr.split('\n').length === 2 && pattern.test(stderr);

test('without --config, a recording of another plant is refused (2) instead of every message being rejected against the sample site', (t) => {
  const run = factory('replay', plant.recording);
  t.is(run.code, 2);
  t.true(
    oneLine(
      run.stderr,
      /^factory replay: \S+plant\.jsonl: without --config only a recording of the bundled sample plant can be replayed .*; pass --config <site\.json\|site\.yaml>/,
    ),
    run.stderr,
  );
  t.is(run.stdout, '');
});

test('without --config, a recording of the sample plant still replays against the sample site', (t) => {
  const sample = writeRecording(dir, 'sample-part.jsonl', recordingOf(shortRecording(2)));
  const run = factory('replay', sample, '--json');
  t.is(run.code, 0, run.stderr);
  t.is((JSON.parse(run.stdout) as { machines: unknown[] }).machines.length, 12);
});

test('a binary file, a directory and a missing recording are bad input (2), each named with what a recording is', (t) => {
  const binary = join(dir, 'photo.bin');
  writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  for (const [path, says] of [
    [
      binary,
      /is not a recording: none of its first \d+ lines is a recording line \(line 1: recording line is not JSON/,
    ],
    [dir, /is a directory; pass a recording file/],
    [join(dir, 'nope.jsonl'), /does not exist; check the path/],
  ] as const) {
    const run = factory('replay', path, '--config', plant.site);
    t.is(run.code, 2, path);
    t.true(
      oneLine(run.stderr, new RegExp(`^factory replay: \\S+ ?${says.source}.*a recording is JSON Lines`)),
      run.stderr,
    );
  }
});

test('a truncated .gz fails while being read (1), naming the file and what to do', (t) => {
  const whole = gzipSync(readFileSync(plant.recording));
  const cut = join(dir, 'cut.jsonl.gz');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
  const run = factory('replay', cut, '--config', plant.site);
  t.is(run.code, 1);
  t.true(
    oneLine(
      run.stderr,
      /^factory replay: \S+cut\.jsonl\.gz: the gzip data is damaged or cut short \(unexpected end of file\); copy the file again/,
    ),
    run.stderr,
  );
});

test('--db in a folder that does not exist (2), a directory (2), and a file that is not a store (1)', (t) => {
  const missing = factory(
    'replay',
    plant.recording,
    '--config',
    plant.site,
    '--db',
    join(dir, 'no-such-folder', 'plant.db'),
  );
  t.is(missing.code, 2);
  t.true(
    oneLine(
      missing.stderr,
      /^factory replay: --db \S+plant\.db: the folder \S+no-such-folder does not exist; create it \(mkdir -p /,
    ),
    missing.stderr,
  );
  const folder = join(dir, 'stores');
  mkdirSync(folder);
  const directory = factory('replay', plant.recording, '--config', plant.site, '--db', folder);
  t.is(directory.code, 2);
  t.true(
    oneLine(directory.stderr, /^factory replay: --db \S+stores is a directory; pass a file path for the store/),
    directory.stderr,
  );
  const notStore = factory('replay', plant.recording, '--config', plant.site, '--db', plant.site);
  t.is(notStore.code, 1);
  t.true(
    oneLine(notStore.stderr, /^factory replay: --db \S+site\.json is not a factory store \(file is not a database\)/),
    notStore.stderr,
  );
  t.is(readFileSync(plant.site, 'utf8').startsWith('{'), true, 'the file is left as it was');
});

test('a bad --model says which field is wrong in a few words, not a type dump', (t) => {
  const model = join(dir, 'model.json');
  writeFileSync(model, JSON.stringify({ version: 1, kind: 'boosted-trees', features: [], trainingRows: 'many' }));
  const run = factory('replay', plant.recording, '--config', plant.site, '--model', model);
  t.is(run.code, 2);
  t.true(run.stderr.length < 600, `${run.stderr.length} characters`);
  t.regex(run.stderr, /trainingRows: expected number, got "many"/);
  t.regex(run.stderr, /params: expected an object with rounds, learningRate/);
  t.regex(run.stderr, /factory maintenance train/);
});

test('--dashboard <port> with the port taken fails (1) as factory dashboard --port does, instead of serving elsewhere', async (t) => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    const child = spawn(process.execPath, [
      'bin/factory.js',
      'replay',
      plant.recording,
      '--config',
      plant.site,
      '--dashboard',
      String(port),
    ]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    t.is(code, 1);
    t.true(
      oneLine(
        stderr,
        new RegExp(
          `^factory replay: --dashboard: cannot listen on 127\\.0\\.0\\.1:${port} \\(.*EADDRINUSE.*\\); choose another port`,
        ),
      ),
      stderr,
    );
  } finally {
    server.close();
  }
});
