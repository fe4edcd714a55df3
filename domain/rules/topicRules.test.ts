// The deployed topic rules compile with the local interpreter and enrich a sample message as intended.
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { compileRule, evaluateRule } from './topicRule.ts';
import { TOPIC_RULES } from './topicRules.ts';
import { contextOf, FIXED_TIME, mustCompile } from '../testing/topicRules.ts';

const sample = { v: 1, id: 'm-1', ts: 1700000000000, metrics: { temp: 21.5 } };
const ruleNamed = (name: string) => {
  const found = TOPIC_RULES.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no rule ${name}`);
  return found;
};

test('every rule compiles, has an AWS-valid unique name and a Kinesis partition key exactly when it targets Kinesis', (t) => {
  for (const rule of TOPIC_RULES) {
    t.true(E.isRight(compileRule(rule.sql)), rule.name);
    t.regex(rule.name, /^[a-zA-Z0-9_]{1,128}$/);
    t.is(rule.partitionKey !== undefined, rule.target === 'kinesis', rule.name);
  }
  t.is(new Set(TOPIC_RULES.map((r) => r.name)).size, TOPIC_RULES.length);
});

test('factory_telemetry_to_kinesis keeps the payload and adds factory, line, machine, type, arrival time and client', (t) => {
  const out = evaluateRule(
    mustCompile(ruleNamed('factory_telemetry_to_kinesis').sql),
    contextOf('dt/f1/l2/m3/telemetry', sample, { clientId: 'gw-1' }),
  );
  t.deepEqual(out, {
    ...sample,
    factoryId: 'f1',
    lineId: 'l2',
    machineId: 'm3',
    messageType: 'telemetry',
    receivedAt: FIXED_TIME,
    clientId: 'gw-1',
  });
});

test('factory_telemetry_to_kinesis partitions by machine and ignores command and malformed topics', (t) => {
  const rule = ruleNamed('factory_telemetry_to_kinesis');
  t.is(rule.partitionKey, '${topic(2)}/${topic(3)}/${topic(4)}');
  const compiled = mustCompile(rule.sql);
  t.is(evaluateRule(compiled, contextOf('cmd/f1/gw1/restart', sample)), null);
  t.is(evaluateRule(compiled, contextOf('dt/f1/l2/telemetry', sample)), null);
});

test('factory_telemetry_to_kinesis forwards a job message like the readings, so it reaches the process function', (t) => {
  const job = { v: 1, id: 'j-1', ts: 1700000000000, order: 'O-1', product: 'bracket-a', targetQuantity: 500 };
  const out = evaluateRule(
    mustCompile(ruleNamed('factory_telemetry_to_kinesis').sql),
    contextOf('dt/f1/l2/m3/job', job),
  );
  t.like(out, { ...job, factoryId: 'f1', lineId: 'l2', machineId: 'm3', messageType: 'job' });
});

test('factory_raw_archive archives every data topic, even a malformed one, with the same enrichment', (t) => {
  const compiled = mustCompile(ruleNamed('factory_raw_archive').sql);
  t.deepEqual(evaluateRule(compiled, contextOf('dt/f1/l2/m3/state', sample, { clientId: 'gw-1' })), {
    ...sample,
    factoryId: 'f1',
    lineId: 'l2',
    machineId: 'm3',
    messageType: 'state',
    receivedAt: FIXED_TIME,
    clientId: 'gw-1',
  });
  t.deepEqual(evaluateRule(compiled, contextOf('dt/f1', { x: 1 })), {
    x: 1,
    factoryId: 'f1',
    receivedAt: FIXED_TIME,
    clientId: 'n/a',
  });
  t.is(evaluateRule(compiled, contextOf('cmd/f1/gw1', sample)), null);
});
