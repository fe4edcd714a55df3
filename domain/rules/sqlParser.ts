// A recursive-descent parser for the IoT SQL subset. Anything outside the subset is an error that
// names the token and its column, so a rule never loads with part of its meaning dropped.
import * as E from 'fp-ts/lib/Either.js';
import type { BinaryOperator, Expr, SelectItem, Statement } from './sqlAst.ts';
import { describeToken, tokenize, type Token } from './sqlLexer.ts';
import { lookupFunction, SUPPORTED_FUNCTIONS } from './sqlFunctions.ts';
import { validateTopicFilter } from './topicFilter.ts';

type Parsed<T> = E.Either<string, { readonly value: T; readonly at: number }>;

const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'AS', 'AND', 'OR', 'NOT', 'NULL', 'TRUE', 'FALSE']);
// IoT SQL features outside the subset: named in the error so the reader knows it is not a typo.
const UNSUPPORTED = new Set(['CASE', 'IN', 'CONTAINS', 'LIKE', 'BETWEEN', 'IS', 'SET', 'VALUE', 'WHEN', 'THEN']);
const COMPARISONS: readonly string[] = ['=', '<>', '!=', '<', '<=', '>', '>='];

export const parseStatement = (sql: string): E.Either<string, Statement> => {
  const lexed = tokenize(sql);
  if (E.isLeft(lexed)) return lexed;
  const tokens = lexed.right;
  const at = (i: number): Token => tokens[Math.min(i, tokens.length - 1)] as Token;
  const isWord = (i: number, word: string): boolean => {
    const t = at(i);
    return t.kind === 'word' && t.text.toUpperCase() === word;
  };
  const isSymbol = (i: number, ...symbols: readonly string[]): boolean => {
    const t = at(i);
    return t.kind === 'symbol' && symbols.includes(t.text);
  };
  const unexpected = (i: number, expected: string): E.Either<string, never> => {
    const t = at(i);
    const hint = t.kind === 'word' && UNSUPPORTED.has(t.text.toUpperCase())
      ? ` (${t.text.toUpperCase()} is IoT SQL the local interpreter does not support)` : '';
    return E.left(`unexpected ${describeToken(t)} at column ${t.column}: expected ${expected}${hint}`);
  };

  const binaryLevel = (operators: readonly string[], next: (i: number) => Parsed<Expr>, words: boolean) =>
    (start: number): Parsed<Expr> => {
      let left = next(start);
      for (;;) {
        if (E.isLeft(left)) return left;
        const i = left.right.at;
        const t = at(i);
        const op = words
          ? (t.kind === 'word' ? t.text.toUpperCase() : '')
          : (t.kind === 'symbol' ? t.text : '');
        if (!operators.includes(op)) return left;
        const right = next(i + 1);
        if (E.isLeft(right)) return right;
        const normalized = (op === '!=' ? '<>' : op) as BinaryOperator;
        left = E.right({ value: { kind: 'binary', op: normalized, left: left.right.value, right: right.right.value }, at: right.right.at });
      }
    };

  const primary = (i: number): Parsed<Expr> => {
    const t = at(i);
    if (t.kind === 'number') return E.right({ value: { kind: 'literal', value: t.value }, at: i + 1 });
    if (t.kind === 'string') return E.right({ value: { kind: 'literal', value: t.value }, at: i + 1 });
    if (isSymbol(i, '(')) {
      const inner = expression(i + 1);
      if (E.isLeft(inner)) return inner;
      if (!isSymbol(inner.right.at, ')')) return unexpected(inner.right.at, "')'");
      return E.right({ value: inner.right.value, at: inner.right.at + 1 });
    }
    if (t.kind !== 'word') return unexpected(i, 'a field, a literal, a function call or \'(\'');
    const upper = t.text.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') return E.right({ value: { kind: 'literal', value: upper === 'TRUE' }, at: i + 1 });
    if (upper === 'NULL') return E.right({ value: { kind: 'literal', value: null }, at: i + 1 });
    if (KEYWORDS.has(upper) || UNSUPPORTED.has(upper)) return unexpected(i, 'a field, a literal, a function call or \'(\'');
    if (isSymbol(i + 1, '(')) return call(i);
    const path = [t.text];
    let j = i + 1;
    while (isSymbol(j, '.')) {
      const part = at(j + 1);
      if (part.kind !== 'word') return unexpected(j + 1, 'a field name after \'.\'');
      path.push(part.text);
      j += 2;
    }
    return E.right({ value: { kind: 'field', path }, at: j });
  };

  const call = (i: number): Parsed<Expr> => {
    const name = at(i);
    const fn = lookupFunction(name.text);
    if (fn === undefined) {
      return E.left(`unknown function '${name.text}' at column ${name.column}: the local IoT SQL subset supports ${SUPPORTED_FUNCTIONS.join(', ')}`);
    }
    const args: Expr[] = [];
    let j = i + 2;
    if (!isSymbol(j, ')')) {
      for (;;) {
        const arg = expression(j);
        if (E.isLeft(arg)) return arg;
        args.push(arg.right.value);
        j = arg.right.at;
        if (isSymbol(j, ',')) { j += 1; continue; }
        break;
      }
      if (!isSymbol(j, ')')) return unexpected(j, "',' or ')'");
    }
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      const want = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
      return E.left(`function '${name.text}' at column ${name.column} takes ${want} argument(s), got ${args.length}`);
    }
    return E.right({ value: { kind: 'call', name: name.text.toLowerCase(), args }, at: j + 1 });
  };

  const unary = (i: number): Parsed<Expr> => {
    if (!isSymbol(i, '-')) return primary(i);
    const operand = unary(i + 1);
    if (E.isLeft(operand)) return operand;
    const v = operand.right.value;
    // Fold -<number> into a literal so that -5 is the Int -5 rather than an operation on 5.
    const value: Expr = v.kind === 'literal' && typeof v.value === 'number' ? { kind: 'literal', value: -v.value } : { kind: 'negate', operand: v };
    return E.right({ value, at: operand.right.at });
  };
  const multiplicative = binaryLevel(['*', '/', '%'], unary, false);
  const additive = binaryLevel(['+', '-'], multiplicative, false);
  const comparison = (i: number): Parsed<Expr> => {
    const left = additive(i);
    if (E.isLeft(left) || !isSymbol(left.right.at, ...COMPARISONS)) return left;
    const opToken = at(left.right.at);
    const right = additive(left.right.at + 1);
    if (E.isLeft(right)) return right;
    if (isSymbol(right.right.at, ...COMPARISONS)) return unexpected(right.right.at, 'AND, OR or the end of the comparison (comparisons do not chain)');
    const op = (opToken.text === '!=' ? '<>' : opToken.text) as BinaryOperator;
    return E.right({ value: { kind: 'binary', op, left: left.right.value, right: right.right.value }, at: right.right.at });
  };
  const negation = (i: number): Parsed<Expr> => {
    if (!isWord(i, 'NOT')) return comparison(i);
    const operand = negation(i + 1);
    if (E.isLeft(operand)) return operand;
    return E.right({ value: { kind: 'not', operand: operand.right.value }, at: operand.right.at });
  };
  const conjunction = binaryLevel(['AND'], negation, true);
  const expression: (i: number) => Parsed<Expr> = binaryLevel(['OR'], conjunction, true);

  const selectItem = (i: number): Parsed<SelectItem> => {
    if (isSymbol(i, '*')) return E.right({ value: { kind: 'all' }, at: i + 1 });
    if (isWord(i, 'VALUE') && !isSymbol(i + 1, ',', '.') && !isWord(i + 1, 'FROM') && !isWord(i + 1, 'AS')) {
      return E.left(`SELECT VALUE at column ${at(i).column} is not supported by the local IoT SQL subset: select named fields instead`);
    }
    const parsed = expression(i);
    if (E.isLeft(parsed)) return parsed;
    const { value: expr, at: next } = parsed.right;
    if (isWord(next, 'AS')) {
      const alias = at(next + 1);
      if (alias.kind !== 'word' || KEYWORDS.has(alias.text.toUpperCase())) return unexpected(next + 1, 'a name after AS');
      return E.right({ value: { kind: 'expr', expr, key: alias.text }, at: next + 2 });
    }
    // A bare field keeps its name ({"color":"red"} for SELECT color); for anything else we do not guess
    // the key IoT Core would invent, so the rule must name it.
    if (expr.kind === 'field' && expr.path.length === 1) return E.right({ value: { kind: 'expr', expr, key: expr.path[0] as string }, at: next });
    return E.left(`the SELECT item starting at column ${at(i).column} needs a name: add AS <name>`);
  };

  if (!isWord(0, 'SELECT')) return unexpected(0, 'SELECT');
  const select: SelectItem[] = [];
  let i = 1;
  for (;;) {
    const item = selectItem(i);
    if (E.isLeft(item)) return item;
    select.push(item.right.value);
    i = item.right.at;
    if (isSymbol(i, ',')) { i += 1; continue; }
    break;
  }
  if (!isWord(i, 'FROM')) return unexpected(i, "',' or FROM");
  const filterToken = at(i + 1);
  if (filterToken.kind !== 'string') return unexpected(i + 1, "a quoted topic filter such as 'dt/+/+/+/telemetry'");
  const filter = validateTopicFilter(filterToken.value);
  if (E.isLeft(filter)) return E.left(`${filter.left} (column ${filterToken.column})`);
  i += 2;
  let where: Expr | undefined;
  if (isWord(i, 'WHERE')) {
    const condition = expression(i + 1);
    if (E.isLeft(condition)) return condition;
    where = condition.right.value;
    i = condition.right.at;
  }
  if (at(i).kind !== 'end') return unexpected(i, where === undefined ? 'WHERE or the end of the statement' : 'the end of the statement');
  return E.right(where === undefined ? { select, from: filter.right } : { select, from: filter.right, where });
};
