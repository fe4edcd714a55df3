// A compiled IoT SQL topic rule and its evaluation on one message, as IoT Core's rules engine does it:
// FROM filters the topic, WHERE must be true (Undefined and false both stop the rule), and SELECT
// builds the output, leaving out every key whose value is Undefined
// (https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-data-types.html).
import * as E from 'fp-ts/lib/Either.js';
import type { Expr, Statement } from './sqlAst.ts';
import { lookupFunction, type MessageContext } from './sqlFunctions.ts';
import { applyBinary, applyNegate, applyNot } from './sqlOperators.ts';
import { parseStatement } from './sqlParser.ts';
import { fieldOf, toBoolean, Undefined, type Json, type SqlValue } from './sqlValue.ts';
import { topicMatches } from './topicFilter.ts';

export type { MessageContext } from './sqlFunctions.ts';

export type CompiledRule = { readonly sql: string; readonly statement: Statement };

export type RuleResult =
  | { readonly fires: true; readonly output: Json }
  | { readonly fires: false; readonly reason: 'topic does not match FROM' | 'WHERE is not true' };

export const compileRule = (sql: string): E.Either<string, CompiledRule> => {
  const parsed = parseStatement(sql);
  return E.isLeft(parsed) ? E.left(`IoT SQL ${JSON.stringify(sql)}: ${parsed.left}`) : E.right({ sql, statement: parsed.right });
};

const evaluate = (expr: Expr, context: MessageContext): SqlValue => {
  switch (expr.kind) {
    case 'literal': return expr.value;
    case 'field': return expr.path.reduce<SqlValue>((value, key) => fieldOf(value, key), context.payload as Json);
    case 'not': return applyNot(evaluate(expr.operand, context));
    case 'negate': return applyNegate(evaluate(expr.operand, context));
    case 'binary': return applyBinary(expr.op, evaluate(expr.left, context), evaluate(expr.right, context));
    case 'call': {
      // The parser admitted only known functions, so the lookup cannot miss; Undefined keeps it total.
      const fn = lookupFunction(expr.name);
      return fn === undefined ? Undefined : fn.apply(expr.args.map((a) => evaluate(a, context)), context);
    }
  }
};

const isRecord = (value: unknown): value is { readonly [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The rule on one message: whether it fires and, if it does, the payload its actions receive. */
export const runRule = (rule: CompiledRule, context: MessageContext): RuleResult => {
  const { select, from, where } = rule.statement;
  if (!topicMatches(from, context.topic)) return { fires: false, reason: 'topic does not match FROM' };
  if (where !== undefined && toBoolean(evaluate(where, context)) !== true) return { fires: false, reason: 'WHERE is not true' };
  // SELECT * alone passes the payload through untouched, whatever JSON it is.
  if (select.length === 1 && select[0]?.kind === 'all') return { fires: true, output: context.payload as Json };
  const entries: [string, Json][] = [];
  for (const item of select) {
    if (item.kind === 'all') {
      if (isRecord(context.payload)) entries.push(...Object.entries(context.payload));
      continue;
    }
    const value = evaluate(item.expr, context);
    if (value !== Undefined) entries.push([item.key, value]);
  }
  // fromEntries defines own properties, so a key "__proto__" stays data; a later key wins, as in JSON.
  return { fires: true, output: Object.fromEntries(entries) };
};

/** The output of the rule for one message, or null when it does not fire (FROM or WHERE). */
export const evaluateRule = (rule: CompiledRule, context: MessageContext): Json | null => {
  const result = runRule(rule, context);
  return result.fires ? result.output : null;
};
