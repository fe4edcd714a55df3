// `factory rules eval` and `factory rules functions` through the real command line: node bin/factory.js,
// stdout and exit status.
import test from 'ava';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FUNCTIONS } from '../../domain/rules/functions/registry.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const rules = (...args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/factory.js', 'rules', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
const factory = (...args: readonly string[]) => rules('eval', ...args);

// Only the first line of stdout is ours: at the time of writing, another command's eager node-opcua import
// prints a warning to stdout after it (reported to the lead); the rule's output is always one line.
const firstLine = (stdout: string): string => stdout.split('\n')[0] ?? '';

const SQL =
  "SELECT *, topic(2) AS factoryId, clientid() AS clientId, timestamp() AS receivedAt FROM 'dt/+/+/+/+' WHERE temp > 50";

test('a firing rule prints its output object as JSON and exits 0', async (t) => {
  const before = Date.now();
  const { code, stdout } = await factory(
    '--sql',
    SQL,
    '--topic',
    'dt/f1/l1/m1/telemetry',
    '--payload',
    '{"temp":51}',
    '--client-id',
    'gw-1',
  );
  t.is(code, 0);
  const out = JSON.parse(firstLine(stdout)) as { receivedAt: number };
  t.like(out, { temp: 51, factoryId: 'f1', clientId: 'gw-1' });
  t.true(out.receivedAt >= before && out.receivedAt <= Date.now());
});

test('a rule that does not fire prints null, says why on stderr, and exits 0', async (t) => {
  const { code, stdout, stderr } = await factory(
    '--sql',
    SQL,
    '--topic',
    'dt/f1/l1/m1/telemetry',
    '--payload',
    '{"temp":5}',
  );
  t.is(code, 0);
  t.is(firstLine(stdout), 'null');
  t.regex(stderr, /rule does not fire: WHERE is not true/);
});

test('bad SQL exits 2 and names --sql and the unexpected token', async (t) => {
  const { code, stdout, stderr } = await factory('--sql', "SELECT * FRM 'a'", '--topic', 'a', '--payload', '{}');
  t.is(code, 2);
  t.false(
    stdout.split('\n').some((line) => line === 'null' || line.startsWith('{')),
    'no rule output on stdout',
  );
  t.regex(stderr, /--sql: .*unexpected 'FRM' at line 1, column 10/);
  t.true(stderr.includes("\n  SELECT * FRM 'a'\n           ^"), stderr);
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

test('a rule the local engine cannot evaluate (it calls AWS) exits 1 and names the function and the service', async (t) => {
  const { code, stdout, stderr } = await factory(
    '--sql',
    "SELECT aws_lambda('arn:aws:lambda:us-east-1:1:function:f', *) AS out FROM 'a/+'",
    '--topic',
    'a/b',
    '--payload',
    '{}',
  );
  t.is(code, 1);
  t.false(
    stdout.split('\n').some((line) => line === 'null' || line.startsWith('{')),
    'no rule output on stdout',
  );
  t.regex(stderr, /factory rules eval: not available locally: aws_lambda calls AWS Lambda/);
});

test('--timestamp fixes timestamp(), so a rule with CASE and string functions gives one exact output', async (t) => {
  const sql =
    "SELECT upper(state) AS state, CASE state WHEN 'run' THEN 1 ELSE 0 END AS running, parse_time('yyyy-MM-dd', timestamp()) AS day FROM 'dt/#'";
  const { code, stdout } = await factory(
    '--sql',
    sql,
    '--topic',
    'dt/f1',
    '--payload',
    '{"state":"run"}',
    '--timestamp',
    '1700000000000',
  );
  t.is(code, 0);
  t.deepEqual(JSON.parse(firstLine(stdout)), { state: 'RUN', running: 1, day: '2023-11-14' });
});

test('--payload-base64 gives a binary payload, which SELECT * passes through as bytes', async (t) => {
  const { code, stdout, stderr } = await factory(
    '--sql',
    "SELECT encode(*, 'base64') AS data FROM 'a'",
    '--topic',
    'a',
    '--payload-base64',
    'AP8QgA==',
  );
  t.is(code, 0, stderr);
  t.deepEqual(JSON.parse(firstLine(stdout)), { data: 'AP8QgA==' });
  const both = await factory(
    '--sql',
    "SELECT * FROM 'a'",
    '--topic',
    'a',
    '--payload',
    '{}',
    '--payload-base64',
    'AA==',
  );
  t.is(both.code, 2);
  t.regex(both.stderr, /give the message as --payload '<json>' or, for a binary payload, --payload-base64 <bytes>/);
});

test('factory rules functions lists every function by family, saying which call AWS', async (t) => {
  const { code, stdout } = await rules('functions');
  t.is(code, 0);
  t.regex(stdout, /^IoT SQL functions \(SQL version 2016-03-23\): \d+ known, \d+ evaluated locally/);
  t.regex(stdout, /\n {2}substring\(String, Int\[, Int\]\) +from the first 0-based index/);
  t.regex(stdout, /AWS service \(6\): recognised; a rule that calls one fails with "not available locally/);
  t.regex(stdout, /\n {2}aws_lambda\(functionArn, inputJson\) +calls AWS Lambda/);
});

test('factory rules functions --json is one array with a row per function the parser knows', async (t) => {
  const { code, stdout } = await rules('functions', '--json');
  t.is(code, 0);
  const rows = JSON.parse(firstLine(stdout)) as {
    name: string;
    local: boolean;
    service?: string;
    maxArgs: number | null;
  }[];
  t.deepEqual(
    rows.map((r) => r.name),
    FUNCTIONS.map((fn) => fn.name),
  );
  t.like(
    rows.find((r) => r.name === 'get_dynamodb'),
    { local: false, service: 'Amazon DynamoDB' },
  );
  t.like(
    rows.find((r) => r.name === 'concat'),
    { local: true, maxArgs: null },
  );
});
