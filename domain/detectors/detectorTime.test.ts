import test from 'ava';
import { formatDuration, formatInstant, secondsToMs } from './detectorTime.ts';

test('seconds become whole milliseconds, so fractional specs meet integer timestamps exactly', (t) => {
  t.is(secondsToMs(0.1 * 3), 300);
  t.is(secondsToMs(30), 30_000);
  t.is(secondsToMs(0), 0);
});

test('durations and instants read as a person expects, and an instant no Date can hold does not throw', (t) => {
  t.is(formatDuration(30_000), '30 s');
  t.is(formatDuration(1_500), '1.5 s');
  t.is(formatInstant(Date.UTC(2026, 10, 25, 6, 1, 40)), '2026-11-25T06:01:40.000Z');
  t.is(formatInstant(9e15), '9000000000000000 ms');
});
