// Test support for domain/rules: compile-or-fail and a fixed message context (time and uuid injected).
import * as E from 'fp-ts/lib/Either.js';
import {
  compileRule,
  evaluateRule,
  runRule,
  type CompiledRule,
  type MessageContext,
  type RuleOutput,
} from '../rules/topicRule.ts';

export const FIXED_TIME = 1_700_000_000_000;
export const FIXED_UUID = '00000000-0000-4000-8000-000000000000';

export const mustCompile = (sql: string): CompiledRule => {
  const rule = compileRule(sql);
  if (E.isLeft(rule)) throw new Error(rule.left);
  return rule.right;
};

export const contextOf = (topic: string, payload: unknown, extra: Partial<MessageContext> = {}): MessageContext => ({
  topic,
  payload,
  timestampMs: FIXED_TIME,
  newUuid: () => FIXED_UUID,
  ...extra,
});

export const run = (
  sql: string,
  payload: unknown,
  topic = 'a/b',
  extra: Partial<MessageContext> = {},
): RuleOutput | null => evaluateRule(mustCompile(sql), contextOf(topic, payload, extra));

/** The value of one expression on a payload (SELECT <expr> AS v), or undefined when it is Undefined. */
export const valueOf = (expr: string, payload: unknown = {}, extra: Partial<MessageContext> = {}): unknown => {
  const out = run(`SELECT ${expr} AS v FROM '#'`, payload, 'a/b', extra);
  return (out as { v?: unknown } | null)?.v;
};

/** The failure reason of a rule that could not be evaluated, or undefined. */
export const failureOf = (
  sql: string,
  payload: unknown = {},
  extra: Partial<MessageContext> = {},
): string | undefined => {
  const result = runRule(mustCompile(sql), contextOf('a/b', payload, extra));
  return !result.fires && result.reason === 'evaluation failed' ? result.error : undefined;
};
