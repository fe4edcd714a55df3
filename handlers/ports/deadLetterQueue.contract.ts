// One suite, every dead-letter queue: SQS and the local table keep each letter whole, JSON or bytes.
import type { TestFn } from 'ava';
import type { DeadLetter, DeadLetterQueue } from './deadLetterQueue.ts';

export type DeadLetterQueueUnderTest = {
  readonly queue: DeadLetterQueue;
  readonly received: () => Promise<readonly DeadLetter[]>;
  readonly close: () => Promise<void>;
};

export const sampleLetter = (i: number): DeadLetter =>
  i % 2 === 0
    ? {
        source: 'process',
        reason: `telemetry ${i}: metrics.temp: expected a number`,
        topic: 'dt/f1/l1/press-01/telemetry',
        payload: { v: 1, id: `m${i}`, metrics: { temp: 'hot' } },
        receivedAt: 1_700_000_000_000 + i,
      }
    : {
        source: 'iot-rule',
        reason: 'payload is not JSON',
        payloadB64: Buffer.from([0xff, 0x00, i]).toString('base64'),
        receivedAt: 1_700_000_000_000 + i,
      };

export const deadLetterQueueContract = (
  test: TestFn,
  name: string,
  make: () => Promise<DeadLetterQueueUnderTest>,
): void => {
  test(`${name}: 23 letters, JSON and raw bytes, all arrive whole`, async (t) => {
    const { queue, received, close } = await make();
    const letters = Array.from({ length: 23 }, (_, i) => sampleLetter(i));
    t.deepEqual(await queue.send(letters), { accepted: 23, rejected: [] });
    const got = [...(await received())].sort((a, b) => a.receivedAt - b.receivedAt);
    t.deepEqual(got, letters);
    await close();
  });
};
