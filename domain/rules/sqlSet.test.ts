// The SET clause, "SET clause - AWS IoT Core" https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-set.html:
// SET @name = expression [, @name2 = expression2] before SELECT; variables are immutable, usable in
// SELECT, WHERE, later SET assignments, nested queries, function parameters and substitution templates.
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { compileTemplate, renderTemplate } from './substitutionTemplate.ts';
import { compileRule, ruleVariables, variableNames } from './topicRule.ts';
import { contextOf, failureOf, mustCompile, run } from '../testing/topicRules.ts';

const errorOf = (sql: string): string => {
  const rule = compileRule(sql);
  return E.isLeft(rule) ? rule.left : 'compiled';
};

test('iot-sql-set "Basic variable usage": SET @temp_celsius = (temp_fahrenheit - 32) * 5 / 9 on {"temp_fahrenheit": 75, "humidity": 60}', (t) => {
  // The page's output is not in the copy this was written from; the value follows the operator tables:
  // Int arithmetic stays Int, so (75 - 32) * 5 / 9 is 215 / 9 = 23.
  t.deepEqual(
    run(
      "SET @temp_celsius = (temp_fahrenheit - 32) * 5 / 9 SELECT @temp_celsius AS celsius, humidity FROM 'device/data'",
      { temp_fahrenheit: 75, humidity: 60 },
      'device/data',
    ),
    { celsius: 23, humidity: 60 },
  );
  t.deepEqual(
    run(
      "SET @c = (temp_fahrenheit - 32.0) * 5 / 9 SELECT round(@c) AS celsius FROM 'device/data'",
      { temp_fahrenheit: 75.5 },
      'device/data',
    ),
    { celsius: 24 },
  );
});

test('iot-sql-set: a variable serves WHERE, later assignments, nested queries, function parameters and @v.property', (t) => {
  const sql = `SET @reading = get((SELECT v FROM e WHERE n = 'temperature'), 0), @hot = @reading.v > 20, @unit = upper('cel')
    SELECT @reading.v AS v, concat(@reading.v, @unit) AS label, (SELECT VALUE n FROM e WHERE v > @reading.v) AS hotter
    FROM 'my/topic' WHERE @hot`;
  const payload = {
    e: [
      { n: 'temperature', v: 22.5 },
      { n: 'light', v: 135 },
    ],
  };
  t.deepEqual(run(sql, payload, 'my/topic'), { v: 22.5, label: '22.5CEL', hotter: ['light'] });
  t.is(run(sql, { e: [{ n: 'temperature', v: 12 }] }, 'my/topic'), null);
});

test('iot-sql-set: variables are evaluated once per message, before WHERE, from the payload', (t) => {
  let calls = 0;
  const random = () => {
    calls += 1;
    return 0.25;
  };
  t.deepEqual(run("SET @r = rand() SELECT @r AS a, @r AS b FROM '#' WHERE @r < 1", {}, 'a/b', { random }), {
    a: 0.25,
    b: 0.25,
  });
  t.is(calls, 1);
});

test('iot-sql-set: a variable is assigned once, defined before use, SET comes before SELECT', (t) => {
  t.regex(
    errorOf("SET @a = 1, @a = 2 SELECT @a AS a FROM 'x'"),
    /variable @a at line 1, column 13 is already set: a variable is assigned once/,
  );
  t.regex(
    errorOf("SET @a = @b, @b = 1 SELECT @a AS a FROM 'x'"),
    /unknown variable @b at line 1, column 10: define it in the SET clause before it is used/,
  );
  t.regex(errorOf("SELECT @a AS a FROM 'x'"), /unknown variable @a at line 1, column 8/);
  t.regex(
    errorOf("SET a = 1 SELECT * FROM 'x'"),
    /unexpected 'a' at line 1, column 5: expected a variable such as @celsius after SET/,
  );
  t.regex(
    errorOf("SET @a = 1 SET @b = 2 SELECT * FROM 'x'"),
    /unexpected 'SET' at line 1, column 12: expected ',' or SELECT/,
  );
  t.regex(errorOf(`SET @${'v'.repeat(65)} = 1 SELECT * FROM 'x'`), /is longer than 64 characters/);
});

test("iot-sql-set: a substitution template may use the rule's variables", (t) => {
  const rule = mustCompile("SET @site = topic(2), @bucket = concat(@site, '-', lower(kind)) SELECT * FROM 'dt/#'");
  const template = compileTemplate('${@bucket}/${@site}/${kind}', variableNames(rule));
  const context = contextOf('dt/f1/l1', { kind: 'RAW' });
  const variables = ruleVariables(rule, context);
  if (E.isLeft(template) || E.isLeft(variables)) throw new Error('did not compile');
  t.deepEqual(renderTemplate(template.right, context, variables.right), E.right('f1-raw/f1/RAW'));
  t.true(E.isLeft(compileTemplate('${@other}', variableNames(rule))));
});

test('iot-sql-set: SET is evaluated before WHERE, so locally a variable that calls AWS fails the rule even when SELECT does not use it', (t) => {
  t.is(
    failureOf("SET @shadow = get_thing_shadow('t', 'arn:aws:iam::1:role/r') SELECT * FROM '#'"),
    'not available locally: get_thing_shadow calls the AWS IoT Device Shadow service',
  );
});
