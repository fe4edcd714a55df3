// "Substitution templates" (iot-substitution-templates.html) and "Working with binary payloads"
// (binary-payloads.html) of https://docs.aws.amazon.com/iot/latest/developerguide/.
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { compileTemplate, renderTemplate } from './substitutionTemplate.ts';
import { TOPIC_RULES } from './topicRules.ts';
import { contextOf, FIXED_TIME, run } from '../testing/topicRules.ts';

const render = (template: string, topic: string, payload: unknown = {}): string => {
  const compiled = compileTemplate(template);
  if (E.isLeft(compiled)) throw new Error(compiled.left);
  const out = renderTemplate(compiled.right, contextOf(topic, payload));
  if (E.isLeft(out)) throw new Error(out.left);
  return out.right;
};

test('iot-substitution-templates: ${topic()}/republish on my/iot/topic is my/iot/topic/republish', (t) => {
  t.is(render('${topic()}/republish', 'my/iot/topic'), 'my/iot/topic/republish');
});

test('iot-substitution-templates: expressions see the payload and functions; Undefined renders empty', (t) => {
  t.is(render('device/${device_id}', 'a/b', { device_id: 'd-7' }), 'device/d-7');
  t.is(render("${upper(get({'k': 'v'}, 'k'))}-${missing}-${1 + 2}", 'a/b'), 'V--3');
});

test("iot-sql-functions #iot-sql-function-parse-time: the S3 key ${parse_time('yyyy', timestamp(), 'UTC')} is the year", (t) => {
  t.is(render("${parse_time('yyyy', timestamp(), 'UTC')}", 'A/B'), String(new Date(FIXED_TIME).getUTCFullYear()));
});

test('the deployed Kinesis partition key template gives factory/line/machine', (t) => {
  const rule = TOPIC_RULES.find((r) => r.target === 'kinesis');
  t.is(render(rule?.partitionKey ?? '', 'dt/f1/l2/m3/telemetry'), 'f1/l2/m3');
});

test('a template with a bad expression or an unclosed ${ fails and says where', (t) => {
  const unclosedCall = compileTemplate('a/${topic(}');
  t.true(
    E.isLeft(unclosedCall) &&
      /expression "topic\(": unexpected the end of the statement at line 1, column 7/.test(unclosedCall.left),
  );
  const bad = compileTemplate('a/${upper(x AS y)}');
  t.true(E.isLeft(bad) && /expression "upper\(x AS y\)": unexpected 'AS' at line 1, column 9/.test(bad.left));
  const open = compileTemplate('a/${topic()');
  t.true(E.isLeft(open) && /the \$\{ at character 3 is not closed/.test(open.left));
});

test('a template that calls AWS fails with the service', (t) => {
  const compiled = compileTemplate(
    "${get_secret('API_KEY', 'SecretString', 'API_KEY_VALUE', 'arn:aws:iam::12345678910:role/getsecret')}",
  );
  if (E.isLeft(compiled)) throw new Error(compiled.left);
  t.deepEqual(
    renderTemplate(compiled.right, contextOf('a/b', {})),
    E.left('not available locally: get_secret calls AWS Secrets Manager'),
  );
});

const bytes = Uint8Array.from([0x00, 0xff, 0x10, 0x80]);

test('binary-payloads: SELECT * passes a binary payload through, also with WHERE timestamp() % 12 = 0', (t) => {
  t.deepEqual(run("SELECT * FROM 'topic/subtopic'", bytes, 'topic/subtopic'), bytes);
  t.deepEqual(
    run("SELECT * FROM 'topic/subtopic' WHERE timestamp() % 12 = 0", bytes, 'topic/subtopic', { timestampMs: 1_200 }),
    bytes,
  );
  t.is(
    run("SELECT * FROM 'topic/subtopic' WHERE timestamp() % 12 = 0", bytes, 'topic/subtopic', { timestampMs: 1_201 }),
    null,
  );
});

test("binary-payloads: SELECT encode(*, 'base64') AS data, timestamp() AS ts", (t) => {
  t.deepEqual(
    run("SELECT encode(*, 'base64') AS data, timestamp() AS ts FROM 'topic/subtopic'", bytes, 'topic/subtopic'),
    { data: 'AP8QgA==', ts: FIXED_TIME },
  );
});

test('binary-payloads: SELECT *, principal() as principal, timestamp() as time adds data to an empty or JSON payload only', (t) => {
  const sql = "SELECT *, principal() as principal, timestamp() as time FROM 'topic/subtopic'";
  t.deepEqual(run(sql, new Uint8Array(0), 'topic/subtopic', { principal: 'p' }), { principal: 'p', time: FIXED_TIME });
  t.deepEqual(run(sql, { a: 1 }, 'topic/subtopic', { principal: 'p' }), { a: 1, principal: 'p', time: FIXED_TIME });
  t.is(run(sql, bytes, 'topic/subtopic'), null);
});

test("binary-payloads: WHERE device_type = 'thermostat' reads a JSON payload; a binary one has no fields", (t) => {
  const sql = "SELECT * FROM 'topic/subtopic' WHERE device_type = 'thermostat'";
  t.deepEqual(run(sql, { device_type: 'thermostat' }, 'topic/subtopic'), { device_type: 'thermostat' });
  t.is(run(sql, bytes, 'topic/subtopic'), null);
});

test("binary-payloads: decode(encode(*, 'base64'), 'base64') AS payload turns text into JSON where it is JSON", (t) => {
  const sql = "SELECT decode(encode(*, 'base64'), 'base64') AS payload FROM 'topic'";
  t.deepEqual(run(sql, new TextEncoder().encode('{"a":1}'), 'topic'), { payload: { a: 1 } });
  t.deepEqual(run(sql, new TextEncoder().encode('plain text'), 'topic'), { payload: 'plain text' });
});
