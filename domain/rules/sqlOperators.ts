// Operator semantics of https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-operators.html,
// which are not ANSI SQL's: a comparison with an Undefined operand is Undefined, '=' between mismatched
// types is false (and '<>' true), ordering comparisons convert strings to Decimal or give Undefined,
// AND/OR/NOT take Booleans or the strings "true"/"false" and give Undefined for anything else.
import type { BinaryOperator } from './sqlAst.ts';
import {
  isNumber,
  numberResult,
  toBoolean,
  toDecimal,
  toSqlString,
  typeOf,
  Undefined,
  type Json,
  type SqlValue,
} from './sqlValue.ts';

const sameJson = (a: Json, b: Json): boolean => {
  if (typeof a === 'number' && typeof b === 'number') return a === b; // Int is converted to Decimal before comparing
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return false;
    const bs = b as readonly Json[];
    return a.length === bs.length && (a as readonly Json[]).every((x, k) => sameJson(x, bs[k] as Json));
  }
  // Objects: same keys and values, order of keys unimportant.
  const ra = a as { readonly [key: string]: Json };
  const rb = b as { readonly [key: string]: Json };
  const ka = Object.keys(ra);
  return (
    ka.length === Object.keys(rb).length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && sameJson(ra[k] as Json, rb[k] as Json))
  );
};

const numericKind = (value: SqlValue): boolean => typeof value === 'number';

export const equals = (left: SqlValue, right: SqlValue): SqlValue => {
  if (left === Undefined || right === Undefined) return Undefined;
  const lt = typeOf(left);
  const rt = typeOf(right);
  const comparable = lt === rt || (numericKind(left) && numericKind(right));
  return comparable ? sameJson(left, right) : false; // mismatched types: false
};

const ordering = (left: SqlValue, right: SqlValue, holds: (l: number, r: number) => boolean): SqlValue => {
  // Only Int, Decimal and Decimal-shaped strings take part; both sides are converted to Decimal.
  const l = typeof left === 'string' || isNumber(left) ? toDecimal(left) : Undefined;
  const r = typeof right === 'string' || isNumber(right) ? toDecimal(right) : Undefined;
  return l === Undefined || r === Undefined ? Undefined : holds(l, r);
};

const logical = (left: SqlValue, right: SqlValue, f: (l: boolean, r: boolean) => boolean): SqlValue => {
  const l = toBoolean(left);
  const r = toBoolean(right);
  return l === Undefined || r === Undefined ? Undefined : f(l, r);
};

// Int op Int stays Int (division truncates, as the reference's Int / Int = Int value says); any other
// pair of numbers, or Decimal-shaped strings, gives a Decimal.
const arithmetic = (left: SqlValue, right: SqlValue, op: '-' | '*' | '/' | '%' | '+'): SqlValue => {
  const l = toDecimal(left);
  const r = toDecimal(right);
  if (l === Undefined || r === Undefined) return Undefined;
  const bothInt = typeOf(left) === 'Int' && typeOf(right) === 'Int';
  switch (op) {
    case '+':
      return numberResult(l + r);
    case '-':
      return numberResult(l - r);
    case '*':
      return numberResult(l * r);
    case '/':
      return r === 0 ? Undefined : numberResult(bothInt ? Math.trunc(l / r) : l / r);
    case '%':
      return r === 0 ? Undefined : numberResult(l % r);
  }
};

const plus = (left: SqlValue, right: SqlValue): SqlValue => {
  // '+' is overloaded: a String on either side concatenates the other side's string form.
  if (typeof left === 'string' || typeof right === 'string') {
    const l = toSqlString(left);
    const r = toSqlString(right);
    return l === Undefined || r === Undefined ? Undefined : l + r;
  }
  return isNumber(left) && isNumber(right) ? arithmetic(left, right, '+') : Undefined;
};

export const applyBinary = (op: BinaryOperator, left: SqlValue, right: SqlValue): SqlValue => {
  switch (op) {
    case 'AND':
      return logical(left, right, (l, r) => l && r);
    case 'OR':
      return logical(left, right, (l, r) => l || r);
    case '=':
      return equals(left, right);
    case '<>': {
      const eq = equals(left, right);
      return eq === Undefined ? Undefined : !eq;
    }
    case '<':
      return ordering(left, right, (l, r) => l < r);
    case '<=':
      return ordering(left, right, (l, r) => l <= r);
    case '>':
      return ordering(left, right, (l, r) => l > r);
    case '>=':
      return ordering(left, right, (l, r) => l >= r);
    case '+':
      return plus(left, right);
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(left, right, op);
  }
};

export const applyNot = (operand: SqlValue): SqlValue => {
  const b = toBoolean(operand);
  return b === Undefined ? Undefined : !b;
};

/** Unary minus: 0 - x under the '-' operator's rules, so a non-numeric operand is Undefined. */
export const applyNegate = (operand: SqlValue): SqlValue => {
  const x = toDecimal(operand);
  return x === Undefined ? Undefined : numberResult(-x);
};
