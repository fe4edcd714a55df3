// Numeric functions of https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html. A
// String argument converts to Decimal when it has Decimal shape; anything else gives Undefined. Int stays
// Int where the reference says so (abs, ceil, floor, round, sign, mod, trunc); the rest are doubles.
import { numberResult, toDecimal, toInt, typeOf, Undefined, type SqlValue } from '../sqlValue.ts';
import { define, type SqlFunction } from './sqlFunction.ts';

const arg = (args: readonly SqlValue[], k: number): SqlValue => args[k] ?? Undefined;

const unary = (signature: string, summary: string, f: (x: number) => number): SqlFunction =>
  define('math', signature, summary, (args) => {
    const x = toDecimal(arg(args, 0));
    return x === Undefined ? Undefined : numberResult(f(x));
  });

const binary = (signature: string, summary: string, f: (x: number, y: number) => number): SqlFunction =>
  define('math', signature, summary, (args) => {
    const x = toDecimal(arg(args, 0));
    const y = toDecimal(arg(args, 1));
    return x === Undefined || y === Undefined ? Undefined : numberResult(f(x, y));
  });

// Bitwise operations on 64-bit longs, as the rules engine's Int is; every operand rounded down first.
const bitwise = (signature: string, summary: string, f: (x: bigint, y: bigint) => bigint): SqlFunction =>
  define('math', signature, summary, (args) => {
    const x = toInt(arg(args, 0));
    const y = toInt(arg(args, 1));
    if (x === Undefined || y === Undefined || !Number.isSafeInteger(x) || !Number.isSafeInteger(y)) return Undefined;
    return Number(BigInt.asIntN(64, f(BigInt(x), BigInt(y))));
  });

// Halves round away from zero: Round(1.5) = 2 and Round(-1.5) = -2 in the reference's examples.
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x)) + 0;

/** A number in plain decimal notation (no exponent), so truncation works on the digits a user sees. */
const plainDecimal = (x: number): string => {
  const text = String(Math.abs(x));
  const match = /^(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  const digits = (match[1] ?? '') + (match[2] ?? '');
  const point = (match[1] ?? '').length + Number(match[3]);
  return point <= 0
    ? `0.${'0'.repeat(-point)}${digits}`
    : point >= digits.length
      ? digits + '0'.repeat(point - digits.length)
      : `${digits.slice(0, point)}.${digits.slice(point)}`;
};

const truncate = (x: number, places: number): number => {
  const [whole, fraction = ''] = plainDecimal(x).split('.');
  return Math.sign(x) * Number(`${whole}.${fraction.slice(0, places) || '0'}`) + 0;
};

const remainder = (args: readonly SqlValue[]): SqlValue => {
  const x = toDecimal(arg(args, 0));
  const y = toDecimal(arg(args, 1));
  if (x === Undefined || y === Undefined || y === 0) return Undefined;
  return numberResult(x % y);
};

export const MATH_FUNCTIONS: readonly SqlFunction[] = [
  define('math', 'abs(Decimal)', 'absolute value; Int stays Int', (args) => {
    const x = toDecimal(arg(args, 0));
    return x === Undefined ? Undefined : Math.abs(x);
  }),
  unary('acos(Decimal)', 'inverse cosine in radians; Undefined outside [-1, 1]', Math.acos),
  unary('asin(Decimal)', 'inverse sine in radians; Undefined outside [-1, 1]', Math.asin),
  unary('atan(Decimal)', 'inverse tangent in radians', Math.atan),
  // atan2(1, 0) = π/2 in the reference: the first argument is y, as in java.lang.Math.atan2(y, x).
  binary('atan2(Decimal, Decimal)', 'angle of the point (x, y) from the positive x axis, in radians', Math.atan2),
  bitwise('bitand(Int, Int)', 'bitwise AND', (x, y) => x & y),
  bitwise('bitor(Int, Int)', 'bitwise OR', (x, y) => x | y),
  bitwise('bitxor(Int, Int)', 'bitwise XOR', (x, y) => x ^ y),
  define('math', 'bitnot(Int)', "bitwise NOT (two's complement: bitnot(13) = -14)", (args) => {
    const x = toInt(arg(args, 0));
    return x === Undefined || !Number.isSafeInteger(x) ? Undefined : Number(BigInt.asIntN(64, ~BigInt(x)));
  }),
  unary('ceil(Decimal)', 'rounds up to an Int', Math.ceil),
  unary('cos(Decimal)', 'cosine of radians', Math.cos),
  unary('cosh(Decimal)', 'hyperbolic cosine', Math.cosh),
  unary('exp(Decimal)', 'e raised to the argument', Math.exp),
  unary('floor(Decimal)', 'rounds down to an Int', Math.floor),
  unary('ln(Decimal)', 'natural logarithm', Math.log),
  unary('log(Decimal)', 'base-10 logarithm', Math.log10),
  define(
    'math',
    'mod(Decimal, Decimal)',
    'remainder of the division (as the % operator); Int with Int is Int',
    remainder,
  ),
  binary('power(Decimal, Decimal)', 'the first argument raised to the second', Math.pow),
  define('math', 'remainder(Decimal, Decimal)', 'same as mod', remainder),
  unary('round(Decimal)', 'rounds to the nearest Int, halves away from zero', roundHalfAway),
  unary('sign(Decimal)', '-1, 0 or 1', (x) => Math.sign(x) + 0),
  unary('sin(Decimal)', 'sine of radians', Math.sin),
  unary('sinh(Decimal)', 'hyperbolic sine', Math.sinh),
  unary('sqrt(Decimal)', 'square root; Undefined for a negative number', Math.sqrt),
  unary('tan(Decimal)', 'tangent of radians', Math.tan),
  unary('tanh(Decimal)', 'hyperbolic tangent', Math.tanh),
  define('math', 'trunc(Decimal, Int)', 'truncates to that many decimal places (0 to 34)', (args) => {
    const x = toDecimal(arg(args, 0));
    const places = toInt(arg(args, 1));
    if (x === Undefined || places === Undefined) return Undefined;
    if (typeOf(x) === 'Int') return x;
    return truncate(x, Math.min(34, Math.max(0, places)));
  }),
];
