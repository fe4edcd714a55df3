// Evaluation of IoT SQL expressions and SELECTs over one row: the payload at the top level, an element of
// the FROM array in a nested object query (https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-nested-queries.html).
// Undefined keys are left out of objects and arrays, since JSON cannot hold them.
import type { Expr, Query, Select } from './sqlAst.ts';
import type { MessageContext } from './evaluationContext.ts';
import { getItem } from './functions/collection.ts';
import { lookupFunction } from './functions/registry.ts';
import { castTo } from './functions/type.ts';
import { applyBinary, applyNegate, applyNot, equals } from './sqlOperators.ts';
import {
  fieldOf,
  isArray,
  isObject,
  objectOf,
  toBoolean,
  Undefined,
  type Json,
  type JsonObject,
  type SqlValue,
} from './sqlValue.ts';

export const isBinary = (payload: unknown): payload is Uint8Array => payload instanceof Uint8Array;

/** The payload as a value: JSON as parsed, Undefined for a binary payload (it has no fields). */
export const payloadValue = (context: MessageContext): SqlValue =>
  isBinary(context.payload) || context.payload === undefined ? Undefined : (context.payload as Json);

/** The payload's bytes as published, for encode(*, …). */
const payloadBytes = (context: MessageContext): Uint8Array => {
  if (context.payloadBytes !== undefined) return context.payloadBytes;
  if (isBinary(context.payload)) return context.payload;
  return new TextEncoder().encode(context.payload === undefined ? '' : JSON.stringify(context.payload));
};

/** The SET clause's variables, by name without the @. */
export type Variables = ReadonlyMap<string, SqlValue>;
const NO_VARIABLES: Variables = new Map();

export const evaluate = (
  expr: Expr,
  row: SqlValue,
  context: MessageContext,
  variables: Variables = NO_VARIABLES,
): SqlValue => {
  const ev = (e: Expr): SqlValue => evaluate(e, row, context, variables);
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'field':
      return fieldOf(row, expr.name);
    case 'payload':
      return payloadValue(context);
    case 'variable':
      return variables.get(expr.name) ?? Undefined;
    case 'member':
      return fieldOf(ev(expr.object), expr.name);
    case 'index':
      return getItem(ev(expr.object), ev(expr.index));
    case 'cast':
      return castTo(expr.type, ev(expr.value));
    case 'not':
      return applyNot(ev(expr.operand));
    case 'negate':
      return applyNegate(ev(expr.operand));
    case 'binary':
      return applyBinary(expr.op, ev(expr.left), ev(expr.right));
    case 'case': {
      // "If v is Undefined, the result of the case statement is Undefined."
      const subject = ev(expr.subject);
      if (subject === Undefined) return Undefined;
      const match = expr.whens.find((w) => equals(subject, ev(w.when)) === true);
      return match !== undefined ? ev(match.then) : expr.otherwise === undefined ? Undefined : ev(expr.otherwise);
    }
    case 'object':
      return objectOf(definedEntries(expr.entries.map(([key, value]) => [[key], ev(value)] as const)));
    case 'array':
      return expr.items.map(ev).filter((v): v is Json => v !== Undefined);
    case 'query':
      return runQuery(expr.query, row, context, variables);
    case 'call': {
      // The parser admitted only known functions, so the lookup cannot miss; Undefined keeps it total.
      const fn = lookupFunction(expr.name);
      if (fn === undefined) return Undefined;
      const [first, ...rest] = expr.args;
      if (fn.applyToPayload !== undefined && first?.kind === 'payload')
        return fn.applyToPayload(payloadBytes(context), rest.map(ev), context);
      return fn.apply(expr.args.map(ev), context);
    }
  }
};

type Entry = readonly [readonly string[], SqlValue];

/** The SET clause evaluated in order on the message: each variable sees the ones before it. */
export const setVariables = (
  set: readonly (readonly [string, Expr])[] | undefined,
  row: SqlValue,
  context: MessageContext,
): Variables => {
  const variables = new Map<string, SqlValue>();
  for (const [name, expr] of set ?? []) variables.set(name, evaluate(expr, row, context, variables));
  return variables;
};

/** Entries with Undefined values left out; a dotted key (AS a.b) nests its value. */
const definedEntries = (entries: readonly Entry[]): [string, Json][] => {
  const out = new Map<string, Json>();
  for (const [path, value] of entries) {
    if (value === Undefined) continue;
    const [head, ...tail] = path;
    if (head === undefined) continue;
    if (tail.length === 0) {
      out.set(head, value);
      continue;
    }
    const inner = out.get(head);
    const merged = definedEntries([
      ...(isObject(inner) ? Object.entries(inner).map(([k, v]) => [[k], v] as const) : []),
      [tail, value],
    ]);
    out.set(head, objectOf(merged));
  }
  return [...out.entries()];
};

/** The SELECT list on one row: an object of the selected keys, or the VALUE itself. */
export const project = (
  select: Select,
  row: SqlValue,
  context: MessageContext,
  variables: Variables = NO_VARIABLES,
): SqlValue => {
  if (select.kind === 'value') return evaluate(select.expr, row, context, variables);
  const entries: Entry[] = [];
  for (const item of select.items) {
    if (item.kind === 'all') {
      if (isObject(row)) entries.push(...Object.entries(row).map(([k, v]) => [[k], v] as const));
      continue;
    }
    entries.push([item.key, evaluate(item.expr, row, context, variables)]);
  }
  return objectOf(definedEntries(entries)) as JsonObject;
};

// A nested query over an array gives an array (the elements WHERE keeps, projected); over any other
// value it runs once and gives that one result, or Undefined when WHERE drops it.
const runQuery = (query: Query, row: SqlValue, context: MessageContext, variables: Variables): SqlValue => {
  const source = evaluate(query.from, row, context, variables);
  if (source === Undefined) return Undefined;
  const one = (element: SqlValue): SqlValue =>
    query.where !== undefined && toBoolean(evaluate(query.where, element, context, variables)) !== true
      ? Undefined
      : project(query.select, element, context, variables);
  if (!isArray(source)) return one(source);
  return source.map(one).filter((v): v is Json => v !== Undefined);
};
