import test from 'ava';
import { jobPieces, type JobSpan } from './jobSpans.ts';

const job = (product: string) => ({ order: 'O-1', product, targetQuantity: null });

test('two jobs started at the same instant: the first ran for no time, so it gets no piece', (t) => {
  const spans: JobSpan[] = [
    { fromMs: 100, job: job('a') },
    { fromMs: 200, job: job('a') },
    { fromMs: 200, job: job('b') },
  ];
  t.deepEqual(jobPieces(spans, 150, 300), [
    { fromMs: 150, toMs: 200, job: job('a') },
    { fromMs: 200, toMs: 300, job: job('b') },
  ]);
  t.deepEqual(jobPieces(spans, 50, 150), [
    { fromMs: 50, toMs: 100, job: null },
    { fromMs: 100, toMs: 150, job: job('a') },
  ]);
});
