import test from 'ava';
import { formatReading, metricSample } from './metricSample.ts';

const at = Date.UTC(2026, 10, 25, 6, 0, 0);

test('a sample yields the metric reading it carries, and nothing for other metrics or other inputs', (t) => {
  const input = { kind: 'sample', ts: at, messageId: 'm1', metrics: { spindle_temp: 92.4 } } as const;
  t.deepEqual(metricSample(input, 'spindle_temp'), { messageId: 'm1', ts: at, value: 92.4 });
  t.is(metricSample(input, 'pressure'), null);
  t.is(metricSample(input, 'toString'), null);
  t.is(metricSample({ kind: 'heard', ts: at, messageId: 'h' }, 'spindle_temp'), null);
  t.is(metricSample({ kind: 'tick', ts: at }, 'spindle_temp'), null);
});

test('non-finite values are no reading, and −0 reads as 0 so that a JSON snapshot restores it exactly', (t) => {
  for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    t.is(metricSample({ kind: 'sample', ts: at, messageId: 'm', metrics: { x: value } }, 'x'), null);
  }
  t.true(Object.is(metricSample({ kind: 'sample', ts: at, messageId: 'm', metrics: { x: -0 } }, 'x')?.value, 0));
});

test('a reading in a cause keeps six significant digits', (t) => {
  t.is(formatReading(25691.472152793278), '25691.5');
  t.is(formatReading(92.4), '92.4');
  t.is(formatReading(0.000123456789), '0.000123457');
});
