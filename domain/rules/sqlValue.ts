// Values of the AWS IoT SQL language: the JSON types plus Undefined, which is "not a value" and is
// kept apart from JSON null, and the standard conversions between them
// (https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-data-types.html).
// With SQL version 2016-03-23 a whole number such as 10.0 is an Int, so a JS number is an Int exactly
// when Number.isInteger holds. Numbers are IEEE doubles here, not 34-digit decimals (docs/iot-sql.md).

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

export const Undefined: unique symbol = Symbol('IoT SQL Undefined');
export type SqlValue = Json | typeof Undefined;

export type SqlType = 'Int' | 'Decimal' | 'Boolean' | 'String' | 'Array' | 'Object' | 'Null' | 'Undefined';

export type JsonObject = { readonly [key: string]: Json };

export const typeOf = (value: SqlValue): SqlType => {
  if (value === Undefined) return 'Undefined';
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'Array';
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'Int' : 'Decimal';
    case 'boolean':
      return 'Boolean';
    case 'string':
      return 'String';
    default:
      return 'Object';
  }
};

export const isNumber = (value: SqlValue): value is number => typeof value === 'number';
export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
export const isArray = (value: SqlValue): value is readonly Json[] => Array.isArray(value);

// The data-types page: strings that convert to a Decimal match ^-?\d+(\.\d+)?((?i)E-?\d+)?$.
const DECIMAL_STRING = /^-?\d+(\.\d+)?([eE]-?\d+)?$/;

/** "To decimal": numbers, and strings of Decimal shape. (Null converts to Null, which no numeric function accepts.) */
export const toDecimal = (value: SqlValue): number | typeof Undefined => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && DECIMAL_STRING.test(value)) {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : Undefined;
  }
  return Undefined;
};

/** "To int" as the functions use it (bitand, chr, lpad, substring…): "rounded down to the nearest Int". */
export const toInt = (value: SqlValue): number | typeof Undefined => {
  const d = toDecimal(value);
  return d === Undefined ? Undefined : Math.floor(d);
};

/** "To Boolean": Booleans, and the strings "true"/"false" in any case. */
export const toBoolean = (value: SqlValue): boolean | typeof Undefined => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return Undefined;
};

/** "To string": Null and Undefined have no string form; arrays and objects serialise to JSON. */
export const toSqlString = (value: SqlValue): string | typeof Undefined => {
  if (value === Undefined || value === null) return Undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
};

/** A numeric result: a non-finite number (overflow, 0/0, an imaginary result) has no IoT SQL representation. */
export const numberResult = (n: number): number | typeof Undefined => (Number.isFinite(n) ? n : Undefined);

/** Own properties only: a payload key named "constructor" or "__proto__" is data, never the prototype. */
export const fieldOf = (value: SqlValue, key: string): SqlValue => {
  if (!isObject(value)) return Undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? (value[key] as Json) : Undefined;
};

/** An object from entries, defining own properties so that a key "__proto__" stays data; a later key wins. */
export const objectOf = (entries: Iterable<readonly [string, Json]>): JsonObject =>
  Object.fromEntries(entries) as JsonObject;
