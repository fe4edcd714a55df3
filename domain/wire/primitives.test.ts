import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { timestampMs } from './primitives.ts';

// The definition a string timestamp is held to: the ISO-8601 pattern with a zone, then Date.parse.
// timestampMs reads the common `toISOString` form field by field; these hold it to that definition.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const byDefinition = (text: string): number | undefined => {
  if (!ISO_8601.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
};

const digits = (length: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: length, maxLength: length }).map((d) => d.join(''));
// The toISOString shape with any digits in every field (month 13, day 31 in February, 24:00, second 60…),
// a character sometimes swapped for another, and real times from 1900 to 9999.
const isoShaped = fc
  .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
  .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
const mutated = fc
  .tuple(isoShaped, fc.nat(23), fc.constantFrom('-', 'T', ':', '.', 'Z', 'x', '+', ' ', '9', '０'))
  .map(([text, at, c]) => text.slice(0, at) + c + text.slice(at + 1));
const realTimes = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString());

testProp(
  'a timestamp string reads as the ISO-8601 pattern and Date.parse read it',
  [fc.oneof(isoShaped, mutated, realTimes, fc.string())],
  (t, text) => {
    t.is(timestampMs(text), byDefinition(text));
  },
  { numRuns: 5000 },
);

test('timestamps at the edges of the field-by-field reading read as Date.parse reads them', (t) => {
  for (const text of [
    '1970-01-01T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
    '2026-02-28T23:59:59.999Z',
    '2026-02-29T00:00:00.000Z',
    '2024-02-29T12:00:00.000Z',
    '2026-12-31T23:59:59.999Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T23:59:60.000Z',
    '0099-06-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
  ]) {
    t.is(timestampMs(text), byDefinition(text), text);
  }
});
