// Small codecs the wire contract (docs/wire-contract.md) is built from, and the rules behind them, written once
// for every layer. Each failure says what was expected and what came, so the dead letter explains itself.
import * as t from 'io-ts';
import { describeValue as show, failWith } from '../decodeError.ts';
import { isFiniteNumber, refined } from '../refined.ts';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Factory, line, machine and gateway ids: `[A-Za-z0-9_-]{1,64}`, the characters an MQTT topic level and an AWS name both accept. */
export const isId = (u: unknown): u is string => typeof u === 'string' && ID_PATTERN.test(u);
export const Id = refined('Id', isId, 'an id of 1-64 characters A-Z a-z 0-9 _ -');

/** The message id, the idempotency key end to end: any non-empty string up to 256 characters. */
export const isMessageId = (u: unknown): u is string => typeof u === 'string' && u.length > 0 && u.length <= 256;
export const MessageId = refined('MessageId', isMessageId, 'a non-empty string of at most 256 characters');

const METRIC_NAME = /^[A-Za-z0-9_.:-]{1,128}$/;
/** Metric names become Timestream measure names and SiteWise aliases: a safe, bounded alphabet. */
export const isMetricName = (u: unknown): u is string => typeof u === 'string' && METRIC_NAME.test(u);
export const METRIC_NAME_RULE = 'a metric name of 1-128 characters A-Z a-z 0-9 _ . : -';

/** A whole number >= 0: counters and sequence numbers. */
export const isCount = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0;

// ISO-8601 with a date, a time and an explicit zone: a timestamp without a zone means different
// instants on different machines, so it is refused rather than guessed.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

const ZERO = 48;

/** The number written by the `length` decimal digits at `from`, or -1 if any of them is not a digit. */
const digitsAt = (text: string, from: number, length: number): number => {
  let n = 0;
  for (let i = from; i < from + length; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
};

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ` (what toISOString writes, and so nearly every wire timestamp) read
 * field by field, or undefined for any other text: the regular expression and Date.parse below are
 * a visible share of a replay, run twice per message. Only fields that name one instant the same way
 * in Date.UTC and Date.parse are taken (years from 1970, days up to 28, no leap second or 24:00);
 * anything else goes the general way, and a property test holds the two to the same answer.
 */
const isoUtcMs = (text: string): number | undefined => {
  if (
    text.length !== 24 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 46 ||
    text.charCodeAt(23) !== 90
  )
    return undefined; // - - T : : . Z
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const ms = digitsAt(text, 20, 3);
  if (
    year < 1970 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 28 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59 ||
    ms < 0
  )
    return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
};

/** A wire timestamp's epoch milliseconds, or undefined where it is not one (the codec below says why). */
export const timestampMs = (u: unknown): number | undefined => {
  if (typeof u === 'number') return Number.isFinite(u) && u >= EARLIEST && u <= LATEST ? Math.round(u) : undefined;
  if (typeof u !== 'string') return undefined;
  const fast = isoUtcMs(u);
  if (fast !== undefined) return fast;
  if (ISO_8601.test(u)) {
    const ms = Date.parse(u);
    if (Number.isFinite(ms)) return ms;
  }
  return undefined;
};

/** A wire timestamp: ISO-8601 with a zone, or epoch milliseconds; decoded to epoch milliseconds. */
export const Timestamp = new t.Type<number, number, unknown>(
  'Timestamp',
  (u): u is number => typeof u === 'number' && Number.isInteger(u),
  (u, c) => {
    const ms = timestampMs(u);
    if (ms !== undefined) return t.success(ms);
    return typeof u === 'number'
      ? failWith(u, c, `expected epoch milliseconds between 1970 and 9999, got ${show(u)}`)
      : failWith(
          u,
          c,
          `expected an ISO-8601 time with a zone (2026-11-25T06:00:00Z) or epoch milliseconds, got ${show(u)}`,
        );
  },
  t.identity,
);

/** A finite JSON number (JSON has no NaN or Infinity, but values built in code can). */
export const FiniteNumber = refined('FiniteNumber', isFiniteNumber, 'number');

/** A whole number >= 0: counters and sequence numbers. */
export const Count = refined('Count', isCount, 'a whole number >= 0');

/** The literal version 1 of a versioned document or message. */
export const VersionOne = refined('VersionOne', (u): u is 1 => u === 1, '1 (the only version this release reads)');
