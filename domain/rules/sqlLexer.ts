// Tokens of the IoT SQL subset. Columns are 1-based so that an error points where an editor does.
import * as E from 'fp-ts/lib/Either.js';

export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly column: number }
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly column: number }
  | { readonly kind: 'string'; readonly value: string; readonly text: string; readonly column: number }
  | { readonly kind: 'symbol'; readonly text: string; readonly column: number }
  | { readonly kind: 'end'; readonly text: ''; readonly column: number };

const SYMBOLS = ['<>', '!=', '<=', '>=', '*', ',', '.', '(', ')', '+', '-', '/', '%', '=', '<', '>'] as const;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /\d+(\.\d+)?([eE][+-]?\d+)?/y;

export const describeToken = (token: Token): string => (token.kind === 'end' ? 'the end of the statement' : `'${token.text}'`);

export const tokenize = (sql: string): E.Either<string, readonly Token[]> => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    const column = i + 1;
    if (/\s/.test(ch)) { i += 1; continue; }
    WORD.lastIndex = i;
    const word = WORD.exec(sql);
    if (word) { tokens.push({ kind: 'word', text: word[0], column }); i += word[0].length; continue; }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(sql);
    if (number) { tokens.push({ kind: 'number', value: Number(number[0]), text: number[0], column }); i += number[0].length; continue; }
    if (ch === "'" || ch === '"') {
      // IoT SQL accepts both quotes for string literals (the SQL reference uses concat(topic(6), "-", topic(8))).
      const close = sql.indexOf(ch, i + 1);
      if (close < 0) return E.left(`unterminated string starting at column ${column}: add the closing ${ch}`);
      const value = sql.slice(i + 1, close);
      tokens.push({ kind: 'string', value, text: sql.slice(i, close + 1), column });
      i = close + 1;
      continue;
    }
    const symbol = SYMBOLS.find((s) => sql.startsWith(s, i));
    if (symbol) { tokens.push({ kind: 'symbol', text: symbol, column }); i += symbol.length; continue; }
    return E.left(`unexpected character '${ch}' at column ${column}: the local IoT SQL subset does not support it`);
  }
  tokens.push({ kind: 'end', text: '', column: sql.length + 1 });
  return E.right(tokens);
};
