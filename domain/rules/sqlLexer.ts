// Tokens of AWS IoT SQL, each with the line and column it starts at, so that an error points where an
// editor does. Either quote makes a string (the reference writes concat(topic(6), "-", topic(8)));
// there are no escapes inside one, and no comments ("Comments are not currently supported").
import * as E from 'fp-ts/lib/Either.js';
import type { Position } from './sqlAst.ts';

export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: Position }
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly at: Position }
  | { readonly kind: 'string'; readonly value: string; readonly text: string; readonly at: Position }
  | { readonly kind: 'symbol'; readonly text: string; readonly at: Position }
  /** A SET variable, @name (letters, digits and underscores, up to 64 characters). */
  | { readonly kind: 'variable'; readonly name: string; readonly text: string; readonly at: Position }
  | { readonly kind: 'end'; readonly text: ''; readonly at: Position };

const SYMBOLS = [
  '<>',
  '!=',
  '<=',
  '>=',
  '*',
  ',',
  '.',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ':',
  '+',
  '-',
  '/',
  '%',
  '=',
  '<',
  '>',
] as const;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /\d+(\.\d+)?([eE][+-]?\d+)?/y;
const VARIABLE = /@([A-Za-z0-9_]+)/y;

export const where = (at: Position): string => `line ${at.line}, column ${at.column}`;

export const describeToken = (token: Token): string =>
  token.kind === 'end' ? 'the end of the statement' : `'${token.text}'`;

export const tokenize = (sql: string): E.Either<string, readonly Token[]> => {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    const at = { line, column: i - lineStart + 1 };
    if (ch === '\n') {
      line += 1;
      lineStart = i + 1;
      i += 1;
      continue;
    }
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(sql);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], at });
      i += word[0].length;
      continue;
    }
    VARIABLE.lastIndex = i;
    const variable = VARIABLE.exec(sql);
    if (variable) {
      const name = variable[1] ?? '';
      if (name.length > 64)
        return E.left(`variable @${name.slice(0, 16)}… at ${where(at)} is longer than 64 characters`);
      tokens.push({ kind: 'variable', name, text: variable[0], at });
      i += variable[0].length;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(sql);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), text: number[0], at });
      i += number[0].length;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const close = sql.indexOf(ch, i + 1);
      if (close < 0) return E.left(`unterminated string starting at ${where(at)}: add the closing ${ch}`);
      const text = sql.slice(i, close + 1);
      tokens.push({ kind: 'string', value: text.slice(1, -1), text, at });
      // A string may span lines; keep counting them.
      for (let k = i; k < close; k += 1)
        if (sql[k] === '\n') {
          line += 1;
          lineStart = k + 1;
        }
      i = close + 1;
      continue;
    }
    const symbol = SYMBOLS.find((s) => sql.startsWith(s, i));
    if (symbol) {
      tokens.push({ kind: 'symbol', text: symbol, at });
      i += symbol.length;
      continue;
    }
    return E.left(`unexpected character '${ch}' at ${where(at)}: it is not part of AWS IoT SQL`);
  }
  tokens.push({ kind: 'end', text: '', at: { line, column: sql.length - lineStart + 1 } });
  return E.right(tokens);
};
