// Worked examples of get, concat, transform, cast and the type tests, from "Functions - AWS IoT Core"
// https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html (anchor per test name).
import test from 'ava';
import { run, valueOf as v } from '../testing/topicRules.ts';

test('get #iot-sql-function-get: get(["a", "b", "c"], 1) = "b", get({"a":"b"}, "a") = "b"', (t) => {
  t.is(v('get(["a", "b", "c"], 1)'), 'b');
  t.is(v('get({"a":"b"}, "a")'), 'b');
  t.is(v('get(["a"], "0")'), 'a');
  t.is(v('get(["a"], 1)'), undefined);
  t.is(v('get(["a"], -1)'), undefined);
  t.is(v('get({"1":"b"}, 1)'), undefined, 'an Object key is not converted');
  t.is(v('get(5, 0)'), undefined);
});

test('get #iot-sql-function-get on a String: the 0-based character, so get("abc", 1) = "b" (the page prints "a"; see docs/iot-sql.md)', (t) => {
  // The page's table says "the character at the 0-based index"; its get("abc", 1) = "a" contradicts it
  // and the Array example beside it. The local interpreter follows the table.
  t.is(v('get("abc", 1)'), 'b');
  t.is(v('get("abc", 0)'), 'a');
});

test('[ ] indexes as get() does: a[0], a[1].b', (t) => {
  t.is(v('a[1].b', { a: [{ b: 1 }, { b: 2 }] }), 2);
  t.is(v('a[5]', { a: [1] }), undefined);
});

test('concat #iot-func-concat: every example of the page', (t) => {
  t.is(v('concat()'), undefined);
  t.is(v('concat(1)'), '1');
  t.deepEqual(v('concat([1, 2, 3], 4)'), [1, 2, 3, 4]);
  t.deepEqual(v('concat([1, 2, 3], "hello")'), [1, 2, 3, 'hello']);
  t.is(v('concat("con", "cat")'), 'concat');
  t.is(v('concat(1, "hello")'), '1hello');
  t.is(v('concat("he","is","man")'), 'heisman');
  t.deepEqual(v('concat([1, 2, 3], "hello", [4, 5, 6])'), [1, 2, 3, 'hello', 4, 5, 6]);
});

test('concat #iot-func-concat: the reference\'s concat(topic(6), "-", topic(8)) and no string or array among 2+ is Undefined', (t) => {
  const out = run('SELECT concat(topic(2), "-", topic(3)) AS id FROM \'#\'', {}, 'a/b/c');
  t.deepEqual(out, { id: 'b-c' });
  t.is(v('concat(1, 2)'), undefined);
  t.is(v('concat("a", NULL)'), undefined);
});

const transformPayload = { attributes: { data1: 1, data2: 2 }, values: [{ a: 3 }, { b: 4 }, { c: 5 }] };

test('transform #iot-func-transform-example1: enrichArray adds the attributes to each object', (t) => {
  t.deepEqual(run('select value transform("enrichArray", attributes, values) from \'A/B\'', transformPayload, 'A/B'), [
    { a: 3, data1: 1, data2: 2 },
    { b: 4, data1: 1, data2: 2 },
    { c: 5, data1: 1, data2: 2 },
  ]);
});

test('transform #iot-func-transform-example2: an object literal renames data1 to key', (t) => {
  t.deepEqual(
    run(
      'select value transform("enrichArray", {"key": attributes.data1}, values) from \'A/B\'',
      transformPayload,
      'A/B',
    ),
    [
      { a: 3, key: 1 },
      { b: 4, key: 1 },
      { c: 5, key: 1 },
    ],
  );
});

test('transform #iot-func-transform-example3: nested SELECTs give the object and the array', (t) => {
  const payload = {
    data1: 'example',
    data2: {
      a: 'first attribute',
      b: 'second attribute',
      c: [
        { x: { someInt: 5, someString: 'hello' }, y: true },
        { x: { someInt: 10, someString: 'world' }, y: false },
      ],
    },
  };
  t.deepEqual(
    run(
      "select value transform('enrichArray', (select a, b from data2), (select value c from data2)) from 'A/B'",
      payload,
      'A/B',
    ),
    [
      { x: { someInt: 5, someString: 'hello' }, y: true, a: 'first attribute', b: 'second attribute' },
      { x: { someInt: 10, someString: 'world' }, y: false, a: 'first attribute', b: 'second attribute' },
    ],
  );
});

test('transform #iot-func-transform: any other mode, or an array of non-objects, is Undefined', (t) => {
  t.is(v('transform("other", {"a": 1}, [{"b": 2}])'), undefined);
  t.is(v('transform("enrichArray", {"a": 1}, [1])'), undefined);
});

test('cast #iot-sql-function-cast: cast(true as Int) = 1, and the four casting tables', (t) => {
  t.is(v('cast(true as Int)'), 1);
  t.is(v('cast(false AS Integer)'), 0);
  t.is(v('cast(-1.5 AS Int)'), -2, 'rounded down to the nearest Int');
  t.is(v("cast('5E-1' AS Double)"), 0.5);
  t.is(v('cast(true AS Decimal)'), 1);
  t.is(v("cast('-1.2' AS Int)"), -2);
  t.is(v('cast(NULL AS Int)'), undefined);
  t.is(v('cast(0 AS Boolean)'), false);
  t.is(v('cast(2.5 AS Bool)'), true);
  t.is(v("cast('TRUE' AS Boolean)"), true);
  t.is(v("cast('yes' AS Boolean)"), undefined);
  t.is(v('cast(10 AS String)'), '10');
  t.is(v('cast(x AS varchar)', { x: [1, 'a', null] }), '[1,"a",null]');
  t.is(v('cast(x AS Text)', { x: { a: 1 } }), '{"a":1}');
  t.is(v('cast(NULL AS Nvarchar)'), undefined);
});

test('isNull #iot-sql-function-isNull: isNull(5) = false, isNull(Null) = true, Undefined is not Null', (t) => {
  t.false(v('isNull(5)'));
  t.true(v('isNull(Null)'));
  t.false(v('isNull(missing)'));
});

test('isUndefined #iot-sql-function-isUndefined: isUndefined(5) = false, isUndefined(floor([1,2,3])) = true', (t) => {
  t.false(v('isUndefined(5)'));
  t.true(v('isUndefined(floor([1,2,3]))'));
  t.false(v('isUndefined(NULL)'));
});

test('get_or_default: the value, or the default for Undefined and Null', (t) => {
  t.is(v('get_or_default(x, 0)', { x: 7 }), 7);
  t.is(v('get_or_default(x, 0)', {}), 0);
  t.is(v('get_or_default(x, "none")', { x: null }), 'none');
});
