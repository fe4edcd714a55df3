// Worked examples of the AWS IoT SQL reference, evaluated locally. Pages:
// SQL reference  https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-reference.html
// SELECT clause  https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-select.html
// Data types     https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-data-types.html
// Functions      https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html
import test from 'ava';
import { FIXED_TIME, FIXED_UUID, run } from '../testing/topicRules.ts';

const colorTemp = { color: 'red', temperature: 50 };

test('iot-sql-reference: SELECT color AS rgb … WHERE temperature > 50 gives {"rgb":"red"} for temperature 100', (t) => {
  t.deepEqual(
    run(
      "SELECT color AS rgb FROM 'topic/subtopic' WHERE temperature > 50",
      { color: 'red', temperature: 100 },
      'topic/subtopic',
    ),
    { rgb: 'red' },
  );
});

test('iot-sql-reference: the same rule does not fire for temperature 50', (t) => {
  t.is(run("SELECT color AS rgb FROM 'topic/subtopic' WHERE temperature > 50", colorTemp, 'topic/subtopic'), null);
});

test('iot-sql-select: SELECT * returns the whole payload', (t) => {
  t.deepEqual(run("SELECT * FROM 'a/b'", colorTemp), colorTemp);
});

test('iot-sql-select: SELECT color gives {"color":"red"}', (t) => {
  t.deepEqual(run("SELECT color FROM 'a/b'", colorTemp), { color: 'red' });
});

test('iot-sql-select: SELECT color as my_color, temperature as fahrenheit renames both', (t) => {
  t.deepEqual(run("SELECT color as my_color, temperature as fahrenheit FROM 'a/b'", colorTemp), {
    my_color: 'red',
    fahrenheit: 50,
  });
});

test('iot-sql-select: SELECT *, 15 as speed adds to the payload', (t) => {
  t.deepEqual(run("SELECT *, 15 as speed FROM 'a/b'", colorTemp), { color: 'red', temperature: 50, speed: 15 });
});

test('iot-sql-select: color.red drills into nested objects', (t) => {
  t.deepEqual(
    run("SELECT color.red as red_value FROM 'a/b'", { color: { red: 255, green: 0, blue: 0 }, temperature: 50 }),
    { red_value: 255 },
  );
});

test('iot-sql-select: (temperature - 32) * 5 / 9 AS celsius is 10 for 50', (t) => {
  t.deepEqual(run("SELECT (temperature - 32) * 5 / 9 AS celsius FROM 'a/b'", colorTemp), { celsius: 10 });
});

test('iot-sql-data-types: {"foo":null} gives foo null and leaves Undefined bar out of the output', (t) => {
  const out = run("SELECT foo, bar FROM 'a/b'", { foo: null });
  t.deepEqual(out, { foo: null });
  t.false(Object.prototype.hasOwnProperty.call(out, 'bar'));
});

test('iot-sql-data-types: SELECT NULL AS n creates an explicit null', (t) => {
  t.deepEqual(run("SELECT NULL AS n FROM 'topic/subtopic'", {}, 'topic/subtopic'), { n: null });
});

test('iot-sql-data-types conversions: abs("-5.123") is treated as abs(-5.123)', (t) => {
  t.deepEqual(run("SELECT abs('-5.123') AS a FROM 'a/b'", {}), { a: 5.123 });
});

test('iot-sql-functions: abs(-5) is 5; a Boolean argument gives Undefined (key left out)', (t) => {
  t.deepEqual(run("SELECT abs(-5) AS a, abs(true) AS b, abs(x) AS c FROM 'a/b'", { x: [1] }), { a: 5 });
});

test('iot-sql-functions: round halves away from zero, ceil and floor go to the next Int', (t) => {
  t.deepEqual(
    run(
      "SELECT round(1.2) AS a, round(1.5) AS b, round(-1.5) AS c, ceil(1.2) AS d, ceil(-1.2) AS e, floor(1.2) AS f, floor(-1.2) AS g FROM 'a/b'",
      {},
    ),
    { a: 1, b: 2, c: -2, d: 2, e: -1, f: 1, g: -2 },
  );
});

test('iot-sql-functions: power(2, 5) is 32, mod(8, 3) is 2, sqrt(9) is 3, sqrt(-1) and mod(1, 0) are Undefined', (t) => {
  t.deepEqual(
    run("SELECT power(2, 5) AS p, mod(8, 3) AS m, sqrt(9) AS s, sqrt(-1) AS i, mod(1, 0) AS z FROM 'a/b'", {}),
    { p: 32, m: 2, s: 3 },
  );
});

test('iot-sql-functions: topic() is the whole topic, topic(n) the n-th level counting from 1, past the end Undefined', (t) => {
  t.deepEqual(
    run(
      "SELECT topic() AS all, topic(1) AS first, topic(3) AS third, topic(4) AS none, topic(0) AS zero FROM 'things/#'",
      {},
      'things/myThings/thingOne',
    ),
    { all: 'things/myThings/thingOne', first: 'things', third: 'thingOne' },
  );
});

test('iot-sql-functions: clientid() is the MQTT client id, and "n/a" for a message not sent over MQTT', (t) => {
  t.deepEqual(run("SELECT clientid() AS c FROM 'a/b'", {}, 'a/b', { clientId: 'press-7' }), { c: 'press-7' });
  t.deepEqual(run("SELECT clientid() AS c FROM 'a/b'", {}), { c: 'n/a' });
});

test('iot-sql-functions: timestamp() and newuuid() come from the injected context', (t) => {
  t.deepEqual(run("SELECT timestamp() AS ts, newuuid() AS id FROM 'a/b'", {}), { ts: FIXED_TIME, id: FIXED_UUID });
});

test('iot-substitution-templates: SELECT *, timestamp() AS timestamp keeps nested payload values', (t) => {
  const payload = {
    deviceid: 'iot123',
    temp: 54.98,
    humidity: 32.43,
    coords: { latitude: 47.615694, longitude: -122.3359976 },
  };
  t.deepEqual(run("SELECT *, timestamp() AS timestamp FROM 'my/iot/topic'", payload, 'my/iot/topic'), {
    ...payload,
    timestamp: FIXED_TIME,
  });
});

test('WHERE on a missing field is Undefined, and an Undefined WHERE does not fire', (t) => {
  t.is(run("SELECT * FROM 'a/b' WHERE missing > 1", { x: 1 }), null);
  t.is(run("SELECT * FROM 'a/b' WHERE NOT missing > 1", { x: 1 }), null);
});

test('a FROM filter that does not match the topic stops the rule before WHERE', (t) => {
  t.is(run("SELECT * FROM 'dt/+/+/+/telemetry'", {}, 'dt/f/l/m/state'), null);
  t.deepEqual(run("SELECT * FROM 'dt/+/+/+/telemetry'", { a: 1 }, 'dt/f/l/m/telemetry'), { a: 1 });
});

test('a payload key named __proto__ or constructor is data, not the object prototype', (t) => {
  const payload = JSON.parse('{"__proto__":{"polluted":1},"constructor":5}') as unknown;
  const out = run("SELECT *, constructor AS c, toString AS s FROM 'a/b'", payload) as Record<string, unknown>;
  t.deepEqual(Object.keys(out), ['__proto__', 'constructor', 'c']);
  t.is(Object.getPrototypeOf(out), Object.prototype);
  t.is(out.c, 5);
});

test('an alias repeated later in SELECT wins, as a repeated key in JSON', (t) => {
  t.deepEqual(run("SELECT *, 2 AS a FROM 'a/b'", { a: 1 }), { a: 2 });
});
