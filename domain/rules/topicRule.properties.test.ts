// Laws of the evaluator over arbitrary JSON payloads and topics.
import { fc, testProp } from '@fast-check/ava';
import { FUNCTIONS } from './functions/registry.ts';
import { evaluateRule, runRule } from './topicRule.ts';
import { contextOf, mustCompile } from '../testing/topicRules.ts';

const level = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
const topicOf = (levels: readonly string[]): string => levels.join('/');
const anyTopic = fc
  .array(
    fc.string({ maxLength: 6 }).filter((s) => !s.includes('+') && !s.includes('#')),
    { minLength: 1, maxLength: 6 },
  )
  .map(topicOf)
  .filter((topic) => !topic.startsWith('$')); // '#' never matches reserved $ topics (topicFilter.test.ts)
const payload = fc.jsonValue({ maxDepth: 3 });
// Payloads whose fields a, b and c the statements below read: any JSON, numbers and number-like strings.
const scalar = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.double(),
  fc.integer(),
  fc.double().map(String),
  fc.constantFrom('true', 'FALSE', 'base64', 'enrichArray', 'UTC', 'yyyy-MM-dd', 'a{2,}', '(', ''),
);
const anyPayload = fc.oneof(payload, fc.record({ a: scalar, b: scalar, c: scalar }), fc.uint8Array({ maxLength: 20 }));

// A spread of rules touching every operator and function, including ones that give Undefined on most payloads.
const RULES = [
  "SELECT *, topic(2) AS f, timestamp() AS t, clientid() AS c, newuuid() AS u FROM '#'",
  "SELECT a.b.c AS x, -a AS n, abs(a) AS y, round(a) AS r, power(a, b) AS p, mod(a, b) AS m, sqrt(a) AS s FROM '#' WHERE a > 0 OR NOT b = 'x'",
  "SELECT a + b AS plus, a - b AS minus, a * b AS times, a / b AS over, a % b AS rest, ceil(a) AS up, floor(b) AS down FROM '+/#' WHERE (a <> b AND a <= 3) OR b >= a",
].map(mustCompile);

const ARGS = ['a', 'b', 'c', 'a.b', 'b[0]', '*'];
// Every function of the registry with 0 to 3 of the payload's fields as arguments, and `*` where it takes it.
const EVERY_FUNCTION = FUNCTIONS.filter((fn) => fn.name !== 'cast')
  .flatMap((fn) => {
    const counts = [
      fn.minArgs,
      Math.min(fn.maxArgs, fn.minArgs + 1),
      Math.max(fn.minArgs, Math.min(fn.maxArgs, 3)),
    ].filter((n, k, all) => all.indexOf(n) === k);
    return counts
      .map((n) => `SELECT ${fn.name}(${ARGS.slice(0, n).join(', ')}) AS r FROM '#'`)
      .concat(fn.applyToPayload === undefined ? [] : [`SELECT ${fn.name}(*, b) AS r FROM '#'`]);
  })
  .map(mustCompile);
const LANGUAGE = [
  "SELECT VALUE a FROM '#' WHERE b",
  "SELECT CASE a WHEN b THEN c WHEN 1 THEN [a, b] ELSE {'k': c} END AS r, cast(a AS Int) AS i, cast(b AS Boolean) AS t, cast(c AS String) AS s FROM '#'",
  "SELECT (SELECT VALUE x FROM a WHERE x > 0) AS xs, (SELECT * FROM b) AS bs, get((SELECT c FROM a), 0).c AS first FROM '#'",
  "SELECT *, a[0] AS i, a.b[1].c AS deep, a AS out.a, b AS out.b FROM '#' WHERE NOT a = b OR a <> c AND 'true'",
  "SET @x = a, @y = concat(@x, b), @z = (SELECT VALUE v FROM c) SELECT @x AS x, @y.k AS y, get(@z, 0) AS z FROM '#' WHERE isUndefined(@x) OR @x <> 0",
].map(mustCompile);

testProp(
  'every function and construct, on any JSON or binary payload: output, filtered, or a reason; never a throw',
  [anyPayload],
  (t, p) => {
    for (const rule of [...EVERY_FUNCTION, ...LANGUAGE]) {
      const result = runRule(rule, contextOf('a/b', p, { random: () => 0.5 }));
      if (result.fires) t.notThrows(() => JSON.stringify(result.output), rule.sql);
      else t.true(result.reason === 'evaluation failed' ? result.error.length > 0 : result.reason.length > 0, rule.sql);
    }
  },
  { numRuns: 150 },
);

testProp(
  'the evaluator never throws and returns JSON-serialisable output on arbitrary payloads and topics',
  [payload, anyTopic],
  (t, p, topic) => {
    for (const rule of RULES) {
      const out = evaluateRule(rule, contextOf(topic, p));
      t.notThrows(() => JSON.stringify(out));
    }
  },
  { numRuns: 200 },
);

testProp(
  'a rule with no WHERE fires on every topic its FROM matches',
  [payload, fc.array(level, { minLength: 4, maxLength: 4 })],
  (t, p, levels) => {
    const rule = mustCompile("SELECT topic(5) AS type FROM 'dt/+/+/+/+'");
    t.not(evaluateRule(rule, contextOf(topicOf(['dt', ...levels]), p)), null);
  },
  { numRuns: 100 },
);

testProp(
  'SELECT * returns the payload unchanged',
  [payload, anyTopic],
  (t, p, topic) => {
    t.deepEqual(evaluateRule(mustCompile("SELECT * FROM '#'"), contextOf(topic, p)), p);
  },
  { numRuns: 200 },
);

testProp(
  'topic(n) is the n-th level, topic() rejoins them all, and past the last level the key is left out',
  [fc.array(level, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 10 })],
  (t, levels, n) => {
    const topic = topicOf(levels);
    const out = evaluateRule(
      mustCompile(`SELECT topic(${n}) AS level, topic() AS whole FROM '#'`),
      contextOf(topic, {}),
    );
    t.deepEqual(out, n <= levels.length ? { level: levels[n - 1], whole: topic } : { whole: topic });
  },
  { numRuns: 200 },
);

testProp(
  'a FROM of literal levels matches exactly its own topic and no topic of other length',
  [fc.array(level, { minLength: 1, maxLength: 6 }), level],
  (t, levels, extra) => {
    const rule = mustCompile(`SELECT * FROM '${topicOf(levels)}'`);
    t.not(evaluateRule(rule, contextOf(topicOf(levels), {})), null);
    t.is(evaluateRule(rule, contextOf(topicOf([...levels, extra]), {})), null);
  },
  { numRuns: 100 },
);
