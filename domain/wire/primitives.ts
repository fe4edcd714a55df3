// Small codecs the wire contract (DESIGN §3) is built from. Each failure says what was expected and
// what came, so the dead letter explains itself.
import * as t from 'io-ts';
import { describeValue as show, failWith } from '../decodeError.ts';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Factory, line, machine and gateway ids: `[A-Za-z0-9_-]{1,64}`, the characters an MQTT topic level and an AWS name both accept. */
export const Id = new t.Type<string, string, unknown>(
  'Id',
  (u): u is string => typeof u === 'string' && ID_PATTERN.test(u),
  (u, c) => (typeof u === 'string' && ID_PATTERN.test(u) ? t.success(u) : failWith(u, c, `expected an id of 1-64 characters A-Z a-z 0-9 _ -, got ${show(u)}`)),
  t.identity,
);

/** The message id, the idempotency key end to end: any non-empty string up to 256 characters. */
export const MessageId = new t.Type<string, string, unknown>(
  'MessageId',
  (u): u is string => typeof u === 'string' && u.length > 0 && u.length <= 256,
  (u, c) => (typeof u === 'string' && u.length > 0 && u.length <= 256 ? t.success(u) : failWith(u, c, `expected a non-empty string of at most 256 characters, got ${show(u)}`)),
  t.identity,
);

// ISO-8601 with a date, a time and an explicit zone: a timestamp without a zone means different
// instants on different machines, so it is refused rather than guessed.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

/** A wire timestamp's epoch milliseconds, or undefined where it is not one (the codec below says why). */
export const timestampMs = (u: unknown): number | undefined => {
  if (typeof u === 'number') return Number.isFinite(u) && u >= EARLIEST && u <= LATEST ? Math.round(u) : undefined;
  if (typeof u === 'string' && ISO_8601.test(u)) {
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
      : failWith(u, c, `expected an ISO-8601 time with a zone (2026-11-25T06:00:00Z) or epoch milliseconds, got ${show(u)}`);
  },
  t.identity,
);

/** A finite JSON number (JSON has no NaN or Infinity, but values built in code can). */
export const FiniteNumber = new t.Type<number, number, unknown>(
  'FiniteNumber',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
  (u, c) => (typeof u === 'number' && Number.isFinite(u) ? t.success(u) : failWith(u, c, `expected number, got ${show(u)}`)),
  t.identity,
);

/** A whole number ≥ 0: counters and sequence numbers. */
export const Count = new t.Type<number, number, unknown>(
  'Count',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) => (typeof u === 'number' && Number.isSafeInteger(u) && u >= 0 ? t.success(u) : failWith(u, c, `expected a whole number >= 0, got ${show(u)}`)),
  t.identity,
);

/** The literal version 1 of a versioned document or message. */
export const VersionOne = new t.Type<1, 1, unknown>(
  'VersionOne',
  (u): u is 1 => u === 1,
  (u, c) => (u === 1 ? t.success(1) : failWith(u, c, `expected 1 (the only version this release reads), got ${show(u)}`)),
  t.identity,
);
