// A recursive-descent parser for AWS IoT SQL (version 2016-03-23): SELECT [VALUE], FROM a topic filter,
// WHERE, operators, CASE, cast, JSON object and array literals, nested object queries, `.` and `[ ]`.
// Every error names the token, its line and column, and what was expected there.
import * as E from 'fp-ts/lib/Either.js';
import type { BinaryOperator, Expr, Query, Select, SelectItem, Statement } from './sqlAst.ts';
import { CAST_TYPES, COMPARISONS, KEYWORDS, NOT_IOT_SQL } from './sqlKeywords.ts';
import { describeToken, tokenize, where, type Token } from './sqlLexer.ts';
import { lookupFunction } from './functions/registry.ts';
import { validateTopicFilter } from './topicFilter.ts';

// Thrown only inside parseStatement and caught there: a syntax error abandons the whole statement, so
// unwinding is the meaning; callers only ever see an Either.
class ParseFailure extends Error {}

export const parseStatement = (sql: string): E.Either<string, Statement> =>
  parse(sql, 'statement', []) as E.Either<string, Statement>;

/** One expression alone, as in a substitution template's ${…}, which may use the rule's SET variables. */
export const parseExpression = (sql: string, variables: readonly string[] = []): E.Either<string, Expr> =>
  parse(sql, 'expression', variables) as E.Either<string, Expr>;

const parse = (
  sql: string,
  mode: 'statement' | 'expression',
  known: readonly string[],
): E.Either<string, Statement | Expr> => {
  const lexed = tokenize(sql);
  if (E.isLeft(lexed)) return lexed;
  const tokens = lexed.right;
  let i = 0;
  // Variables defined so far by SET: a reference to any other is an error at load.
  const variables = new Set<string>(known);
  const peek = (ahead = 0): Token => tokens[Math.min(i + ahead, tokens.length - 1)] as Token;
  const isWord = (word: string, ahead = 0): boolean => {
    const t = peek(ahead);
    return t.kind === 'word' && t.text.toUpperCase() === word;
  };
  const isSymbol = (symbol: string, ahead = 0): boolean => {
    const t = peek(ahead);
    return t.kind === 'symbol' && t.text === symbol;
  };
  const fail = (expected: string, token: Token = peek()): never => {
    const upper = token.kind === 'word' ? token.text.toUpperCase() : '';
    const hint = Object.prototype.hasOwnProperty.call(NOT_IOT_SQL, upper)
      ? ` (${upper} is not part of AWS IoT SQL: ${NOT_IOT_SQL[upper]})`
      : '';
    throw new ParseFailure(`unexpected ${describeToken(token)} at ${where(token.at)}: expected ${expected}${hint}`);
  };
  const expectWord = (word: string, expected = word): void => {
    if (isWord(word)) i += 1;
    else fail(expected);
  };
  const expectSymbol = (symbol: string, expected = `'${symbol}'`): void => {
    if (isSymbol(symbol)) i += 1;
    else fail(expected);
  };
  const name = (expected: string): string => {
    const t = peek();
    if (t.kind !== 'word') return fail(expected);
    i += 1;
    return t.text;
  };

  const list = <T>(close: string, item: () => T): T[] => {
    const items: T[] = [];
    if (isSymbol(close)) {
      i += 1;
      return items;
    }
    for (;;) {
      items.push(item());
      if (isSymbol(',')) {
        i += 1;
        continue;
      }
      expectSymbol(close, `',' or '${close}'`);
      return items;
    }
  };

  const call = (fnName: Token): Expr => {
    const fn = lookupFunction(fnName.text);
    if (fn === undefined) {
      throw new ParseFailure(
        `unknown function '${fnName.text}' at ${where(fnName.at)}: \`factory rules functions\` lists the IoT SQL functions`,
      );
    }
    // `*` as an argument is the whole payload (encode(*, 'base64'), aws_lambda(arn, *)).
    const args = list(')', (): Expr => {
      if (isSymbol('*') && (isSymbol(',', 1) || isSymbol(')', 1))) {
        i += 1;
        return { kind: 'payload' };
      }
      return expression();
    });
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      const want =
        fn.minArgs === fn.maxArgs
          ? `${fn.minArgs}`
          : fn.maxArgs === Infinity
            ? `${fn.minArgs} or more`
            : `${fn.minArgs} to ${fn.maxArgs}`;
      throw new ParseFailure(
        `function '${fnName.text}' at ${where(fnName.at)} takes ${want} argument(s), got ${args.length}`,
      );
    }
    return { kind: 'call', name: fn.name, args, at: fnName.at };
  };

  const cast = (): Expr => {
    const value = expression();
    expectWord('AS', 'AS <type> (cast(value AS Int))');
    const typeToken = peek();
    const type = typeToken.kind === 'word' ? CAST_TYPES[typeToken.text.toUpperCase()] : undefined;
    if (type === undefined) return fail(`a cast type: ${Object.keys(CAST_TYPES).join(', ')}`);
    i += 1;
    expectSymbol(')');
    return { kind: 'cast', value, type };
  };

  const caseExpr = (): Expr => {
    if (isWord('WHEN')) fail('the value to match after CASE (IoT SQL writes CASE v WHEN t THEN r … END)');
    const subject = expression();
    const whens: { when: Expr; then: Expr }[] = [];
    while (isWord('WHEN')) {
      i += 1;
      const when = expression();
      expectWord('THEN');
      whens.push({ when, then: expression() });
    }
    if (whens.length === 0) fail('WHEN (CASE needs at least one WHEN clause)');
    let otherwise: Expr | undefined;
    if (isWord('ELSE')) {
      i += 1;
      otherwise = expression();
    }
    expectWord('END', whens.length > 0 && otherwise === undefined ? 'WHEN, ELSE or END' : 'END');
    return otherwise === undefined ? { kind: 'case', subject, whens } : { kind: 'case', subject, whens, otherwise };
  };

  const primary = (): Expr => {
    const t = peek();
    if (t.kind === 'number' || t.kind === 'string') {
      i += 1;
      return { kind: 'literal', value: t.value };
    }
    if (isSymbol('(')) {
      i += 1;
      if (isWord('SELECT')) {
        i += 1;
        const inner = query();
        expectSymbol(')', "')' closing the nested SELECT");
        return { kind: 'query', query: inner };
      }
      const inner = expression();
      expectSymbol(')');
      return inner;
    }
    if (t.kind === 'variable') {
      if (!variables.has(t.name))
        throw new ParseFailure(
          `unknown variable @${t.name} at ${where(t.at)}: define it in the SET clause before it is used (SET @${t.name} = …)`,
        );
      i += 1;
      return { kind: 'variable', name: t.name };
    }
    if (isSymbol('[')) {
      i += 1;
      return { kind: 'array', items: list(']', expression) };
    }
    if (isSymbol('{')) {
      i += 1;
      const entries = list('}', (): readonly [string, Expr] => {
        const key = peek();
        if (key.kind !== 'string') return fail('a quoted key in the object literal');
        i += 1;
        expectSymbol(':');
        return [key.value, expression()];
      });
      return { kind: 'object', entries };
    }
    if (t.kind !== 'word') return fail("a field, a literal, a function call, CASE or '('");
    const upper = t.text.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') {
      i += 1;
      return { kind: 'literal', value: upper === 'TRUE' };
    }
    if (upper === 'NULL') {
      i += 1;
      return { kind: 'literal', value: null };
    }
    if (upper === 'CASE') {
      i += 1;
      return caseExpr();
    }
    if (KEYWORDS.has(upper) || Object.prototype.hasOwnProperty.call(NOT_IOT_SQL, upper))
      return fail("a field, a literal, a function call, CASE or '('");
    i += 1;
    if (isSymbol('(')) {
      i += 1;
      return upper === 'CAST' ? cast() : call(t);
    }
    return { kind: 'field', name: t.text };
  };

  const postfix = (): Expr => {
    let expr = primary();
    for (;;) {
      if (isSymbol('.')) {
        i += 1;
        expr = {
          kind: 'member',
          object: expr,
          name: name('a field name after \'.\' (use get(value, "key") for keys such as 0 or my-key)'),
        };
        continue;
      }
      if (isSymbol('[')) {
        i += 1;
        const index = expression();
        expectSymbol(']');
        expr = { kind: 'index', object: expr, index };
        continue;
      }
      return expr;
    }
  };

  const unary = (): Expr => {
    if (!isSymbol('-')) return postfix();
    i += 1;
    const operand = unary();
    // -5 is the Int -5, not an operation on 5.
    return operand.kind === 'literal' && typeof operand.value === 'number'
      ? { kind: 'literal', value: -operand.value }
      : { kind: 'negate', operand };
  };

  const binaryLevel = (operators: readonly string[], next: () => Expr, words: boolean) => (): Expr => {
    let left = next();
    for (;;) {
      const t = peek();
      const op = words ? (t.kind === 'word' ? t.text.toUpperCase() : '') : t.kind === 'symbol' ? t.text : '';
      if (!operators.includes(op)) return left;
      i += 1;
      left = { kind: 'binary', op: op as BinaryOperator, left, right: next() };
    }
  };
  const multiplicative = binaryLevel(['*', '/', '%'], unary, false);
  const additive = binaryLevel(['+', '-'], multiplicative, false);
  const comparison = (): Expr => {
    const left = additive();
    const t = peek();
    if (t.kind !== 'symbol' || !COMPARISONS.includes(t.text)) return left;
    i += 1;
    const right = additive();
    const next = peek();
    if (next.kind === 'symbol' && COMPARISONS.includes(next.text))
      fail('AND, OR or the end of the comparison (comparisons do not chain)');
    return { kind: 'binary', op: (t.text === '!=' ? '<>' : t.text) as BinaryOperator, left, right };
  };
  const negation = (): Expr => {
    if (!isWord('NOT')) return comparison();
    i += 1;
    return { kind: 'not', operand: negation() };
  };
  const conjunction = binaryLevel(['AND'], negation, true);
  const expression: () => Expr = binaryLevel(['OR'], conjunction, true);

  const selectItem = (): SelectItem => {
    const start = peek();
    if (isSymbol('*')) {
      i += 1;
      return { kind: 'all' };
    }
    const expr = expression();
    if (isWord('AS')) {
      i += 1;
      const alias = peek();
      if (alias.kind !== 'word' || KEYWORDS.has(alias.text.toUpperCase())) return fail('a name after AS');
      const key = [name('a name after AS')];
      while (isSymbol('.')) {
        i += 1;
        key.push(name("a name after '.' in the alias"));
      }
      return { kind: 'expr', expr, key };
    }
    // A field keeps its own (last) name: SELECT color gives {"color": …}, SELECT color.red {"red": …}.
    if (expr.kind === 'field') return { kind: 'expr', expr, key: [expr.name] };
    if (expr.kind === 'member') return { kind: 'expr', expr, key: [expr.name] };
    throw new ParseFailure(`the SELECT item starting at ${where(start.at)} needs a name: add AS <name>`);
  };

  const select = (): Select => {
    // VALUE is a keyword only where an expression follows it; otherwise it is a field named value.
    if (
      isWord('VALUE') &&
      !isSymbol(',', 1) &&
      !isSymbol('.', 1) &&
      !isSymbol('[', 1) &&
      !isWord('FROM', 1) &&
      !isWord('AS', 1)
    ) {
      i += 1;
      return { kind: 'value', expr: expression() };
    }
    const items = [selectItem()];
    while (isSymbol(',')) {
      i += 1;
      items.push(selectItem());
    }
    return { kind: 'items', items };
  };

  const optionalWhere = (): Expr | undefined => {
    if (!isWord('WHERE')) return undefined;
    i += 1;
    return expression();
  };

  const query = (): Query => {
    const sel = select();
    expectWord('FROM', "',' or FROM");
    const from = postfix();
    const condition = optionalWhere();
    return condition === undefined ? { select: sel, from } : { select: sel, from, where: condition };
  };

  try {
    if (mode === 'expression') {
      const expr = expression();
      if (peek().kind !== 'end') fail('an operator or the end of the expression');
      return E.right(expr);
    }
    const set: [string, Expr][] = [];
    if (isWord('SET')) {
      i += 1;
      for (;;) {
        const variable = peek();
        if (variable.kind !== 'variable') fail('a variable such as @celsius after SET');
        if (variable.kind === 'variable' && variables.has(variable.name)) {
          throw new ParseFailure(
            `variable @${variable.name} at ${where(variable.at)} is already set: a variable is assigned once`,
          );
        }
        i += 1;
        expectSymbol('=', "'=' after the variable");
        const value = expression();
        if (variable.kind === 'variable') {
          set.push([variable.name, value]);
          variables.add(variable.name);
        }
        if (!isSymbol(',')) break;
        i += 1;
      }
    }
    expectWord('SELECT', set.length > 0 ? "',' or SELECT" : 'SELECT or SET');
    const sel = select();
    expectWord('FROM', "',' or FROM");
    const filterToken = peek();
    if (filterToken.kind !== 'string') fail("a quoted topic filter such as 'dt/+/+/+/telemetry'");
    i += 1;
    const filter = validateTopicFilter(filterToken.kind === 'string' ? filterToken.value : '');
    if (E.isLeft(filter)) throw new ParseFailure(`${filter.left} (${where(filterToken.at)})`);
    const condition = optionalWhere();
    if (peek().kind !== 'end')
      fail(condition === undefined ? 'WHERE or the end of the statement' : 'the end of the statement');
    return E.right({
      ...(set.length > 0 ? { set } : {}),
      select: sel,
      from: filter.right,
      ...(condition === undefined ? {} : { where: condition }),
    });
  } catch (error) {
    if (error instanceof ParseFailure) return E.left(error.message);
    throw error;
  }
};
