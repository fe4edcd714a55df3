// Worked examples of the AWS IoT SQL reference pages other than functions, each test citing its page:
// https://docs.aws.amazon.com/iot/latest/developerguide/<page>.html.
import test from 'ava';
import { run, valueOf as v } from '../testing/topicRules.ts';

test('iot-sql-case: CASE color WHEN … ELSE … END gives {"instructions":"caution"} for yellow', (t) => {
  const sql = `SELECT CASE color
        WHEN 'green' THEN 'go'
        WHEN 'yellow' THEN 'caution'
        WHEN 'red' THEN 'stop'
        ELSE 'you are not at a stop light' END as instructions
    FROM 'topic/subtopic'`;
  t.deepEqual(run(sql, { color: 'yellow' }, 'topic/subtopic'), { instructions: 'caution' });
  t.deepEqual(run(sql, { color: 'blue' }, 'topic/subtopic'), { instructions: 'you are not at a stop light' });
});

test('iot-sql-case: the first matching WHEN wins; no match and no ELSE, or an Undefined value, is Undefined', (t) => {
  t.is(v("CASE x WHEN 1 THEN 'a' WHEN 1.0 THEN 'b' END", { x: 1 }), 'a');
  t.is(v("CASE x WHEN 2 THEN 'a' END", { x: 1 }), undefined);
  t.is(v("CASE missing WHEN 1 THEN 'a' ELSE 'b' END"), undefined);
  t.is(v("CASE x WHEN '1' THEN 'string' ELSE 'no conversion' END", { x: 1 }), 'no conversion');
});

const sensors = {
  e: [
    { n: 'temperature', u: 'Cel', t: 1234, v: 22.5 },
    { n: 'light', u: 'lm', t: 1235, v: 135 },
    { n: 'acidity', u: 'pH', t: 1235, v: 7 },
  ],
};

test('iot-sql-nested-queries: (SELECT VALUE n FROM e) as sensors', (t) => {
  t.deepEqual(run("SELECT (SELECT VALUE n FROM e) as sensors FROM 'my/topic'", sensors, 'my/topic'), {
    sensors: ['temperature', 'light', 'acidity'],
  });
});

test("iot-sql-nested-queries: (SELECT v FROM e WHERE n = 'temperature') as temperature", (t) => {
  t.deepEqual(
    run("SELECT (SELECT v FROM e WHERE n = 'temperature') as temperature FROM 'my/topic'", sensors, 'my/topic'),
    { temperature: [{ v: 22.5 }] },
  );
});

test("iot-sql-nested-queries: get((SELECT v FROM e WHERE n = 'temperature'), 0).v as temperature", (t) => {
  t.deepEqual(
    run("SELECT get((SELECT v FROM e WHERE n = 'temperature'), 0).v as temperature FROM 'topic'", sensors, 'topic'),
    { temperature: 22.5 },
  );
});

test("iot-sql-literals: an object literal {'latitude': get(lat_long, 0), …}", (t) => {
  t.deepEqual(
    run(
      "SELECT {'latitude': get(lat_long, 0),'longitude':get(lat_long, 1)} as lat_long FROM 'topic/subtopic'",
      { lat_long: [47.606, -122.332] },
      'topic/subtopic',
    ),
    { lat_long: { latitude: 47.606, longitude: -122.332 } },
  );
});

test('iot-sql-literals: an array literal [lat,long]', (t) => {
  // The page's payload has lat 47.696 and prints 47.606 in the output, a typo: the value is passed through.
  t.deepEqual(
    run("SELECT [lat,long] as lat_long FROM 'topic/subtopic'", { lat: 47.696, long: -122.332 }, 'topic/subtopic'),
    { lat_long: [47.696, -122.332] },
  );
});

test('iot-sql-json: foo.bar reads a nested key; get(get(get(mydata,"item2"),"0"),"my-key") reads keys that are not names', (t) => {
  t.deepEqual(
    run(
      "SELECT foo.bar AS bar FROM 'topic/subtopic'",
      { foo: { bar: 'RED', bar1: 'GREEN', bar2: 'BLUE' } },
      'topic/subtopic',
    ),
    { bar: 'RED' },
  );
  const payload = { mydata: { item2: { 0: { 'my-key': 'myValue' } } } };
  t.deepEqual(
    run(
      'SELECT * from \'iot/rules\' WHERE get(get(get(mydata,"item2"),"0"),"my-key") = "myValue"',
      payload,
      'iot/rules',
    ),
    payload,
  );
});

test('iot-sql-json: an alias with a dot (AS bar.baz) nests the value', (t) => {
  t.deepEqual(
    run("SELECT foo.bar AS bar.baz, 1 AS bar.one FROM 'topic/subtopic'", { foo: { bar: 'RED' } }, 'topic/subtopic'),
    { bar: { baz: 'RED', one: 1 } },
  );
});

test('iot-sql-select: SELECT VALUE color gives "red"; upper(color) as my_color gives "RED"', (t) => {
  const payload = { color: 'red', temperature: 50 };
  t.is(run("SELECT VALUE color FROM 'topic/subtopic'", payload, 'topic/subtopic'), 'red');
  t.deepEqual(
    run(
      "SELECT (temperature - 32) * 5 / 9 AS celsius, upper(color) as my_color FROM 'topic/subtopic'",
      payload,
      'topic/subtopic',
    ),
    { celsius: 10, my_color: 'RED' },
  );
  t.deepEqual(run("SELECT color AS my_color FROM 'topic/subtopic'", payload, 'topic/subtopic'), { my_color: 'red' });
});

test('iot-sql-select: a field named value is a field, not the VALUE keyword', (t) => {
  t.deepEqual(run("SELECT value, value AS v FROM 'a/b'", { value: 3 }), { value: 3, v: 3 });
});

test('iot-rule-sql-version: SELECT VALUE arr outputs an array as the top-level object', (t) => {
  t.deepEqual(run("SELECT VALUE arr FROM 'topic'", { a: { b: 'c' }, arr: [1, 2, 3, 4] }, 'topic'), [1, 2, 3, 4]);
});

test('iot-sql-data-types: SELECT VALUE of Undefined is serialised as an empty payload', (t) => {
  t.deepEqual(run("SELECT VALUE missing FROM 'a/b'", {}), new Uint8Array(0));
});

test("iot-sql-from: 'topic/subtopic' takes only its own topic: {t: 50}", (t) => {
  const sql = "SELECT temperature AS t FROM 'topic/subtopic'";
  t.deepEqual(run(sql, { temperature: 50 }, 'topic/subtopic'), { t: 50 });
  t.is(run(sql, { temperature: 50 }, 'topic/subtopic-2'), null);
});

test("iot-sql-from: 'topic/#' runs for topic/subtopic, topic/subtopic-2 and topic/subtopic-3/details, not topic-2/subtopic-x", (t) => {
  const sql = "SELECT temperature AS t FROM 'topic/#'";
  t.deepEqual(run(sql, { temperature: 50 }, 'topic/subtopic'), { t: 50 });
  t.deepEqual(run(sql, { temperature: 60 }, 'topic/subtopic-2'), { t: 60 });
  t.deepEqual(run(sql, { temperature: 70 }, 'topic/subtopic-3/details'), { t: 70 });
  t.is(run(sql, { temperature: 80 }, 'topic-2/subtopic-x'), null);
});

test("iot-sql-from: 'topic/+' runs for two-level topics under topic only", (t) => {
  const sql = "SELECT temperature AS t FROM 'topic/+'";
  t.deepEqual(run(sql, { temperature: 50 }, 'topic/subtopic'), { t: 50 });
  t.deepEqual(run(sql, { temperature: 60 }, 'topic/subtopic-2'), { t: 60 });
  t.is(run(sql, { temperature: 70 }, 'topic/subtopic-3/details'), null);
  t.is(run(sql, { temperature: 80 }, 'topic-2/subtopic-x'), null);
});

test('iot-sql-where: temperature > 50 AND color <> \'red\' on {"color":"red", "temperature":40} gives no output', (t) => {
  t.is(
    run(
      "SELECT color AS my_color FROM 'topic/subtopic' WHERE temperature > 50 AND color <> 'red'",
      { color: 'red', temperature: 40 },
      'topic/subtopic',
    ),
    null,
  );
});

test("iot-sql-where: the non-JSON payload 80 through decode(encode(*, 'base64'), 'base64') gives {\"value\":80}", (t) => {
  const sql =
    "SELECT decode(encode(*, 'base64'), 'base64') AS value FROM 'topic/subtopic' WHERE decode(encode(*, 'base64'), 'base64') > 50";
  t.deepEqual(run(sql, new TextEncoder().encode('80'), 'topic/subtopic'), { value: 80 });
});

test('iot-sql-where: WHERE cannot see SELECT aliases', (t) => {
  t.is(run("SELECT temperature AS t FROM 'a/b' WHERE t > 1", { temperature: 5 }), null);
});
