// Type tests and conversions of https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html:
// isNull, isUndefined, nanvl, get_or_default, and cast(value AS type) (which the parser turns into a node).
import type { CastType } from '../sqlAst.ts';
import { toBoolean, toDecimal, toSqlString, Undefined, type SqlValue } from '../sqlValue.ts';
import { define, type SqlFunction } from './sqlFunction.ts';

/** cast(): the standard conversions, plus numbers to and from Booleans. */
export const castTo = (type: CastType, value: SqlValue): SqlValue => {
  switch (type) {
    case 'String':
      return toSqlString(value);
    case 'Boolean':
      return typeof value === 'number' ? value !== 0 : toBoolean(value);
    case 'Decimal':
    case 'Int': {
      const d = typeof value === 'boolean' ? (value ? 1 : 0) : toDecimal(value);
      if (d === Undefined) return Undefined;
      return type === 'Int' ? Math.floor(d) : d;
    }
  }
};

export const TYPE_FUNCTIONS: readonly SqlFunction[] = [
  define(
    'type and cast',
    'cast(value AS type)',
    'converts to String (or Nvarchar, Text, Ntext, varchar), Int (Integer), Decimal (Double) or Boolean (Bool)',
    // Parsed as its own node (the argument is `value AS type`); never applied as a plain function.
    () => Undefined,
    { minArgs: 1, maxArgs: 1 },
  ),
  define(
    'type and cast',
    'get_or_default(Any, Any)',
    'the first argument, or the second when the first is Null or Undefined',
    ([value = Undefined, fallback = Undefined]) => (value === Undefined || value === null ? fallback : value),
  ),
  define('type and cast', 'isNull(Any)', 'whether the argument is Null', ([value = Undefined]) => value === null),
  define(
    'type and cast',
    'isUndefined(Any)',
    'whether the argument is Undefined',
    ([value = Undefined]) => value === Undefined,
  ),
  define(
    'type and cast',
    'nanvl(Any, Any)',
    'the first argument, or the second when the first is Undefined, Null or NaN',
    ([value = Undefined, fallback = Undefined]) =>
      value === Undefined || value === null || Number.isNaN(value) ? fallback : value,
  ),
];
