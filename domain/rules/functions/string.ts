// String functions of https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html.
// A non-String argument is converted with the standard conversions (numbers and Booleans to their text,
// arrays and objects to JSON); Null and Undefined have no string form, so the result is Undefined.
import { toInt, toSqlString, Undefined, type SqlValue } from '../sqlValue.ts';
import { define, type SqlFunction } from './sqlFunction.ts';

const text = (args: readonly SqlValue[], k: number): string | typeof Undefined => toSqlString(args[k] ?? Undefined);

const onText = (signature: string, summary: string, f: (s: string) => SqlValue): SqlFunction =>
  define('string', signature, summary, (args) => {
    const s = text(args, 0);
    return s === Undefined ? Undefined : f(s);
  });

const onTexts = (signature: string, summary: string, f: (...s: readonly string[]) => SqlValue): SqlFunction =>
  define('string', signature, summary, (args) => {
    const all = args.map((a) => toSqlString(a));
    return all.some((s) => s === Undefined) ? Undefined : f(...(all as string[]));
  });

// The argument must be a valid regex; an invalid one gives Undefined, as the reference says.
const regex = (source: string, flags = ''): RegExp | undefined => {
  try {
    return new RegExp(source, flags);
  } catch (_) {
    return undefined;
  }
};

const PAD_LIMIT = 1000;
const pad = (signature: string, summary: string, side: 'left' | 'right'): SqlFunction =>
  define('string', signature, summary, (args) => {
    const s = text(args, 0);
    const n = toInt(args[1] ?? Undefined);
    if (s === Undefined || n === Undefined) return Undefined;
    const spaces = ' '.repeat(Math.min(PAD_LIMIT, Math.max(0, n)));
    return side === 'left' ? spaces + s : s + spaces;
  });

const clampIndex = (k: number, length: number): number => Math.min(length, Math.max(0, k));

export const STRING_FUNCTIONS: readonly SqlFunction[] = [
  define('string', 'chr(Int)', 'the ASCII character of that code (0 to 127)', (args) => {
    const code = toInt(args[0] ?? Undefined);
    return code === Undefined || code < 0 || code > 127 ? Undefined : String.fromCharCode(code);
  }),
  onTexts('endswith(String, String)', 'whether the first string ends with the second', (s, suffix) =>
    s.endsWith(suffix ?? ''),
  ),
  onTexts('indexof(String, String)', '0-based index of the second string in the first, -1 if absent', (s, part) =>
    s.indexOf(part ?? ''),
  ),
  // Characters as Java counts them: UTF-16 code units, which is also JavaScript's length.
  onText('length(String)', 'number of characters', (s) => s.length),
  onText('lower(String)', 'lowercase', (s) => s.toLowerCase()),
  pad('lpad(String, Int)', 'padded on the left with that many spaces (0 to 1000)', 'left'),
  onText('ltrim(String)', 'leading spaces and tabs removed', (s) => s.replace(/^[ \t]+/, '')),
  onText('numbytes(String)', 'number of bytes of the UTF-8 encoding', (s) => new TextEncoder().encode(s).length),
  onTexts('regexp_matches(String, String)', 'whether the string contains a match of the regex', (s, source) => {
    const re = regex(source ?? '');
    return re === undefined ? Undefined : re.test(s);
  }),
  onTexts(
    'regexp_replace(String, String, String)',
    'every match of the regex replaced; $1 refers to a group',
    (s, source, replacement) => {
      const re = regex(source ?? '', 'g');
      return re === undefined ? Undefined : s.replace(re, replacement ?? '');
    },
  ),
  onTexts('regexp_substr(String, String)', 'the first match of the regex', (s, source) => {
    const re = regex(source ?? '');
    if (re === undefined) return Undefined;
    const match = re.exec(s);
    return match === null ? Undefined : match[0];
  }),
  onTexts(
    'replace(String, String, String)',
    'every occurrence of the second string replaced by the third',
    (s, from, to) => s.split(from ?? '').join(to ?? ''),
  ),
  pad('rpad(String, Int)', 'padded on the right with that many spaces (0 to 1000)', 'right'),
  onText('rtrim(String)', 'trailing spaces and tabs removed', (s) => s.replace(/[ \t]+$/, '')),
  onTexts('startswith(String, String)', 'whether the first string starts with the second', (s, prefix) =>
    s.startsWith(prefix ?? ''),
  ),
  define(
    'string',
    'substring(String, Int[, Int])',
    'from the first 0-based index (inclusive) to the second (exclusive) or the end',
    (args) => {
      const s = text(args, 0);
      const from = toInt(args[1] ?? Undefined);
      const to = args.length > 2 ? toInt(args[2] ?? Undefined) : s === Undefined ? 0 : s.length;
      if (s === Undefined || from === Undefined || to === Undefined) return Undefined;
      const start = clampIndex(from, s.length);
      const end = clampIndex(to, s.length);
      return start >= end ? '' : s.slice(start, end);
    },
  ),
  onText('trim(String)', 'leading and trailing spaces and tabs removed', (s) => s.replace(/^[ \t]+|[ \t]+$/g, '')),
  onText('upper(String)', 'uppercase', (s) => s.toUpperCase()),
];
