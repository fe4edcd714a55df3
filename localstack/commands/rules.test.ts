// `factory rules eval` through the real command line: node bin/factory.js, stdout and exit status.
import test from 'ava';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

const factory = (...args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/factory.js', 'rules', 'eval', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

// Only the first line of stdout is ours: at the time of writing, another command's eager node-opcua import
// prints a warning to stdout after it (reported to the lead); the rule's output is always one line.
const firstLine = (stdout: string): string => stdout.split('\n')[0] ?? '';

const SQL = "SELECT *, topic(2) AS factoryId, clientid() AS clientId, timestamp() AS receivedAt FROM 'dt/+/+/+/+' WHERE temp > 50";

test('a firing rule prints its output object as JSON and exits 0', async (t) => {
  const before = Date.now();
  const { code, stdout } = await factory('--sql', SQL, '--topic', 'dt/f1/l1/m1/telemetry', '--payload', '{"temp":51}', '--client-id', 'gw-1');
  t.is(code, 0);
  const out = JSON.parse(firstLine(stdout)) as { receivedAt: number };
  t.like(out, { temp: 51, factoryId: 'f1', clientId: 'gw-1' });
  t.true(out.receivedAt >= before && out.receivedAt <= Date.now());
});

test('a rule that does not fire prints null, says why on stderr, and exits 0', async (t) => {
  const { code, stdout, stderr } = await factory('--sql', SQL, '--topic', 'dt/f1/l1/m1/telemetry', '--payload', '{"temp":5}');
  t.is(code, 0);
  t.is(firstLine(stdout), 'null');
  t.regex(stderr, /rule does not fire: WHERE is not true/);
});

test('bad SQL exits 2 and names --sql and the unexpected token', async (t) => {
  const { code, stdout, stderr } = await factory('--sql', "SELECT * FRM 'a'", '--topic', 'a', '--payload', '{}');
  t.is(code, 2);
  t.false(stdout.split('\n').some((line) => line === 'null' || line.startsWith('{')), 'no rule output on stdout');
  t.regex(stderr, /--sql: .*unexpected 'FRM' at column 10/);
});

test('a payload that is not JSON exits 2 and names --payload', async (t) => {
  const { code, stderr } = await factory('--sql', "SELECT * FROM 'a'", '--topic', 'a', '--payload', '{temp: 1}');
  t.is(code, 2);
  t.regex(stderr, /--payload is not JSON/);
});

test('a topic name with wildcards exits 2 and names --topic', async (t) => {
  const { code, stderr } = await factory('--sql', "SELECT * FROM 'a/#'", '--topic', 'a/+', '--payload', '{}');
  t.is(code, 2);
  t.regex(stderr, /--topic "a\/\+": expected a topic name/);
});
