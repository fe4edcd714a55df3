// Values of the AWS IoT SQL language: the JSON types plus Undefined, which is "not a value" and is
// kept apart from JSON null (https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-data-types.html).
// With SQL version 2016-03-23 a whole number such as 10.0 is an Int, so a JS number is an Int exactly
// when Number.isInteger holds.

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

export const Undefined: unique symbol = Symbol('IoT SQL Undefined');
export type SqlValue = Json | typeof Undefined;

export type SqlType = 'Int' | 'Decimal' | 'Boolean' | 'String' | 'Array' | 'Object' | 'Null' | 'Undefined';

export const typeOf = (value: SqlValue): SqlType => {
  if (value === Undefined) return 'Undefined';
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'Array';
  switch (typeof value) {
    case 'number': return Number.isInteger(value) ? 'Int' : 'Decimal';
    case 'boolean': return 'Boolean';
    case 'string': return 'String';
    default: return 'Object';
  }
};

export const isNumber = (value: SqlValue): value is number => typeof value === 'number';

// The data-types page: strings that convert to a Decimal match ^-?\d+(\.\d+)?((?i)E-?\d+)?$.
const DECIMAL_STRING = /^-?\d+(\.\d+)?([eE]-?\d+)?$/;

/** "To decimal" conversion table; Null converts to Null, which numeric callers treat as not a number. */
export const toDecimal = (value: SqlValue): number | typeof Undefined => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && DECIMAL_STRING.test(value)) {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : Undefined;
  }
  return Undefined;
};

/** "To Boolean" conversion table: Booleans, and the strings "true"/"false" in any case. */
export const toBoolean = (value: SqlValue): boolean | typeof Undefined => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return Undefined;
};

/** "To string" conversion table: Null and Undefined have no string form. */
export const toSqlString = (value: SqlValue): string | typeof Undefined => {
  if (value === Undefined || value === null) return Undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
};

/** A result of arithmetic: a non-finite number (overflow, 0/0) has no IoT SQL representation. */
export const numberResult = (n: number): number | typeof Undefined => (Number.isFinite(n) ? n : Undefined);

/** Own properties only: a payload key named "constructor" or "__proto__" is data, never the prototype. */
export const fieldOf = (value: SqlValue, key: string): SqlValue => {
  if (value === null || value === Undefined || typeof value !== 'object' || Array.isArray(value)) return Undefined;
  const record = value as { readonly [key: string]: Json };
  return Object.prototype.hasOwnProperty.call(record, key) ? (record[key] as Json) : Undefined;
};
