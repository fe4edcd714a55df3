// The one way a rule becomes a codec: a predicate says what is accepted, a few words what was expected,
// and a failure is the line a person reads, `expected <what>, got <value>`. The wire contract, the site,
// gateway and stack configurations and the detectors build their small codecs from these.
import * as t from 'io-ts';
import { describeValue, failWith } from './decodeError.ts';

/** A codec of what `accepts` holds for; a failure says `expected ${expected}, got <value>${hint}`. */
export const refined = <A>(
  name: string,
  accepts: (u: unknown) => u is A,
  expected: string,
  hint = '',
): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(
    name,
    accepts,
    (u, c) => (accepts(u) ? t.success(u) : failWith(u, c, `expected ${expected}, got ${describeValue(u)}${hint}`)),
    t.identity,
  );

/** One of a fixed list of values: `expected one of "holding", "input", got "coil"` (numbers unquoted). */
export const oneOf = <A extends string | number>(values: readonly A[]): t.Type<A, A, unknown> =>
  refined(
    values.join(' | '),
    (u): u is A => (values as readonly unknown[]).includes(u),
    `one of ${values.map((value) => JSON.stringify(value)).join(', ')}`,
  );

/** A finite number: JSON has no NaN or Infinity, but values built in code (or parsed from text) can. */
export const isFiniteNumber = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u);

/** A whole number from `min` to `max`, both included. */
export const isWholeNumberIn =
  (min: number, max: number) =>
  (u: unknown): u is number =>
    typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max;

export const isNonEmptyString = (u: unknown): u is string => typeof u === 'string' && u.length > 0;

/** A finite number that `accept` holds for, named by the words a failure shows: `expected a number > 0`. */
export const numberWhere = (expected: string, accept: (n: number) => boolean): t.Type<number, number, unknown> =>
  refined(expected, (u): u is number => isFiniteNumber(u) && accept(u), expected);

export const AnyNumber = numberWhere('a number', () => true);
export const PositiveNumber = numberWhere('a number > 0', (n) => n > 0);
export const NonNegativeNumber = numberWhere('a number >= 0', (n) => n >= 0);
/** A duration in seconds; 0 is allowed (a detector's `forS: 0` raises at once). */
export const NonNegativeSeconds = numberWhere('seconds >= 0', (n) => n >= 0);

export const NonEmptyString = refined('a non-empty string', isNonEmptyString, 'a non-empty string');
