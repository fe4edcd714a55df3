// `factory certs` and `factory broker` as a user runs them: the real CLI in a child process.
import test from 'ava';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';

const run = promisify(execFile);
const CLI = ['--import=tsx', join(import.meta.dirname, '..', 'cli.ts')];

test('factory certs makes the CA once and a certificate per thing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'certs-cli-'));
  try {
    const first = await run(process.execPath, [
      ...CLI,
      'certs',
      '--out',
      dir,
      '--thing',
      'f1:l1:press-01',
      '--thing',
      'gw-f1',
    ]);
    t.is(
      first.stdout.split('\n')[1],
      `f1:l1:press-01 ${join(dir, 'f1:l1:press-01.pem')} ${join(dir, 'f1:l1:press-01.key')} issued`,
    );
    const ca = await readFile(join(dir, 'ca.pem'), 'utf8');
    const second = await run(process.execPath, [
      ...CLI,
      'certs',
      '--out',
      dir,
      '--thing',
      'gw-f1',
      '--thing',
      'factory-recorder',
    ]);
    t.is(await readFile(join(dir, 'ca.pem'), 'utf8'), ca, 'the CA is reused');
    t.deepEqual(
      second.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(' ').at(-1)),
      ['kept', 'issued'],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('factory broker prints its URLs first, admits a thing of the site configuration, and stops on SIGTERM', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'broker-cli-'));
  const certs = join(dir, 'certs');
  await writeFile(
    join(dir, 'site.yaml'),
    'version: 1\nfactories:\n  - id: f1\n    lines:\n      - id: l1\n        machines:\n          - { id: press-01 }\n',
  );
  const child = spawn(
    process.execPath,
    [...CLI, 'broker', '--config', join(dir, 'site.yaml'), '--certs', certs, '--tls-port', '0', '--port', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const urls = await new Promise<string[]>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const lines = out.split('\n');
        if (lines.length > 2) resolve(lines.slice(0, 2));
      });
      child.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
    });
    t.regex(urls[0] ?? '', /^mqtts:\/\/127\.0\.0\.1:\d+$/);
    t.regex(urls[1] ?? '', /^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const client = await mqtt.connectAsync(urls[0] ?? '', {
      clientId: 'f1:l1:press-01',
      reconnectPeriod: 0,
      ca: await readFile(join(certs, 'ca.pem')),
      cert: await readFile(join(certs, 'f1:l1:press-01.pem')),
      key: await readFile(join(certs, 'f1:l1:press-01.key')),
    });
    await client.publishAsync('dt/f1/l1/press-01/state', '{}', { qos: 1 });
    await client.endAsync();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    t.is(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
