// Time functions of https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html. The
// current time is the caller's (MessageContext.timestampMs): domain/ has no clock.
import { toDecimal, toSqlString, Undefined } from '../sqlValue.ts';
import { define, type SqlFunction } from './sqlFunction.ts';
import { formatTime, parseTime } from './timePattern.ts';

export const TIME_FUNCTIONS: readonly SqlFunction[] = [
  define(
    'time',
    'parse_time(String, Long[, String])',
    'formats epoch milliseconds with a Joda-Time pattern in a time zone (default UTC)',
    ([pattern = Undefined, time = Undefined, zone = 'UTC']) => {
      const ms = toDecimal(time);
      const zoneId = toSqlString(zone);
      if (typeof pattern !== 'string' || ms === Undefined || zoneId === Undefined) return Undefined;
      return formatTime(pattern, Math.floor(ms), zoneId) ?? Undefined;
    },
  ),
  define(
    'time',
    'time_to_epoch(String, String)',
    'epoch milliseconds of a date/time text read with a java.time pattern (UTC unless it names a zone)',
    ([text = Undefined, pattern = Undefined]) => {
      if (typeof text !== 'string' || typeof pattern !== 'string') return Undefined;
      return parseTime(text, pattern) ?? Undefined;
    },
  ),
  define(
    'time',
    'timestamp()',
    "the rules engine's current time in epoch milliseconds (the caller's clock)",
    (_, context) => context.timestampMs,
  ),
];
