// A compiled IoT SQL topic rule and its evaluation on one message, as IoT Core's rules engine does it:
// FROM filters the topic, WHERE must be true (Undefined and false both stop the rule), and SELECT
// builds the output, leaving out every key whose value is Undefined
// (https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-data-types.html).
import * as E from 'fp-ts/lib/Either.js';
import type { Statement } from './sqlAst.ts';
import { RuleFailure, type MessageContext } from './evaluationContext.ts';
import { evaluate, isBinary, payloadValue, project, setVariables, type Variables } from './sqlEvaluator.ts';
import { parseStatement } from './sqlParser.ts';
import { toBoolean, Undefined, type Json } from './sqlValue.ts';
import { topicMatches } from './topicFilter.ts';

export type { MessageContext, Mqtt5Properties } from './evaluationContext.ts';

export type CompiledRule = { readonly sql: string; readonly statement: Statement };

/** What the rule's actions receive: JSON, or bytes (a binary payload passed through, or SELECT VALUE of Undefined). */
export type RuleOutput = Json | Uint8Array;

export type RuleResult =
  | { readonly fires: true; readonly output: RuleOutput }
  | { readonly fires: false; readonly reason: 'topic does not match FROM' | 'WHERE is not true' }
  /** The rule could not be evaluated here; IoT Core would run its error action. */
  | { readonly fires: false; readonly reason: 'evaluation failed'; readonly error: string };

export const compileRule = (sql: string): E.Either<string, CompiledRule> => {
  const parsed = parseStatement(sql);
  return E.isLeft(parsed)
    ? E.left(`IoT SQL ${JSON.stringify(sql)}: ${parsed.left}`)
    : E.right({ sql, statement: parsed.right });
};

const fire = (rule: CompiledRule, context: MessageContext): RuleResult => {
  const { set, select, from, where } = rule.statement;
  if (!topicMatches(from, context.topic)) return { fires: false, reason: 'topic does not match FROM' };
  const row = payloadValue(context);
  const variables = setVariables(set, row, context);
  if (where !== undefined && toBoolean(evaluate(where, row, context, variables)) !== true)
    return { fires: false, reason: 'WHERE is not true' };
  // SELECT * alone passes the payload through untouched, whatever it is, binary included.
  if (select.kind === 'items' && select.items.length === 1 && select.items[0]?.kind === 'all') {
    return { fires: true, output: isBinary(context.payload) ? context.payload : row === Undefined ? null : row };
  }
  if (
    select.kind === 'items' &&
    isBinary(context.payload) &&
    context.payload.length > 0 &&
    select.items.some((item) => item.kind === 'all')
  ) {
    return {
      fires: false,
      reason: 'evaluation failed',
      error:
        "SELECT * with other items needs a JSON payload: this one is binary (select encode(*, 'base64') AS data instead)",
    };
  }
  const output = project(select, row, context, variables);
  // "Undefined is converted to an empty string when serialized by itself."
  return { fires: true, output: output === Undefined ? new Uint8Array(0) : output };
};

/** The rule on one message: whether it fires and, if it does, the payload its actions receive. Never throws. */
export const runRule = (rule: CompiledRule, context: MessageContext): RuleResult => {
  try {
    return fire(rule, context);
  } catch (error) {
    if (error instanceof RuleFailure) return { fires: false, reason: 'evaluation failed', error: error.message };
    throw error;
  }
};

/** The SET clause's variables for one message, for the rule's substitution templates (renderTemplate). */
export const ruleVariables = (rule: CompiledRule, context: MessageContext): E.Either<string, Variables> => {
  try {
    return E.right(setVariables(rule.statement.set, payloadValue(context), context));
  } catch (error) {
    if (error instanceof RuleFailure) return E.left(error.message);
    throw error;
  }
};

/** The names (without @) of the rule's SET variables, for compileTemplate. */
export const variableNames = (rule: CompiledRule): readonly string[] =>
  (rule.statement.set ?? []).map(([name]) => name);

/** The output of the rule for one message, or null when it does not fire (FROM, WHERE, or a failure). */
export const evaluateRule = (rule: CompiledRule, context: MessageContext): RuleOutput | null => {
  const result = runRule(rule, context);
  return result.fires ? result.output : null;
};
