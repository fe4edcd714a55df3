import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import { SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterQueueContract, sampleLetter } from '../ports/deadLetterQueue.contract.ts';
import type { DeadLetter } from '../ports/deadLetterQueue.ts';
import { startFakeSqs } from '../testing/fakes/sqs.ts';
import { MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, packBatches, sqsDeadLetterQueue } from './sqsDeadLetterQueue.ts';

const QUEUE = 'http://127.0.0.1/000000000000/factory-dead-letters';
const setup = async () => {
  const fake = await startFakeSqs();
  const client = new SQSClient({
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    fake,
    queue: sqsDeadLetterQueue({ client, queueUrl: QUEUE }),
    close: async () => {
      client.destroy();
      await fake.close();
    },
  };
};

deadLetterQueueContract(test, 'sqs dead letters', async () => {
  const { fake, queue, close } = await setup();
  return { queue, close, received: async () => fake.messages.map((m) => JSON.parse(m) as DeadLetter) };
});

testProp(
  'batches keep every body once, in order, within 10 entries and 256 KiB',
  [fc.array(fc.integer({ min: 1, max: MAX_BATCH_BYTES }), { maxLength: 60 })],
  (t, sizes) => {
    const batches = packBatches(sizes);
    t.deepEqual(
      batches.flat(),
      sizes.map((_, i) => i),
    );
    t.true(
      batches.every((b) => b.length <= MAX_BATCH_ENTRIES && b.reduce((n, i) => n + sizes[i]!, 0) <= MAX_BATCH_BYTES),
    );
  },
  { numRuns: 200 },
);

test('sqs dead letters: 23 letters take three SendMessageBatch calls; large ones split by bytes', async (t) => {
  const { fake, queue, close } = await setup();
  await queue.send(Array.from({ length: 23 }, (_, i) => sampleLetter(i)));
  t.is(fake.requests.length, 3);
  const big = (i: number): DeadLetter => ({
    source: 'process',
    reason: 'too big to parse',
    payloadB64: 'A'.repeat(100_000),
    receivedAt: i,
  });
  t.deepEqual(await queue.send([big(1), big(2), big(3)]), { accepted: 3, rejected: [] });
  t.is(fake.requests.length, 5, 'two 100 kB letters fit one 256 KiB batch, the third needs another');
  await close();
});

test('sqs dead letters: a letter over 256 KiB and an entry SQS fails are reported, the rest delivered', async (t) => {
  const { fake, queue, close } = await setup();
  fake.failIds.add('1');
  const huge: DeadLetter = {
    source: 'process',
    reason: 'huge',
    payloadB64: 'A'.repeat(MAX_BATCH_BYTES),
    receivedAt: 0,
  };
  const report = await queue.send([huge, sampleLetter(1), sampleLetter(2)]);
  t.is(report.accepted, 1);
  t.deepEqual(
    report.rejected.map((r) => [r.item.reason, r.retryable]),
    [
      ['huge', false],
      [sampleLetter(2).reason, true],
    ],
  );
  t.regex(report.rejected[0]!.reason, /262144/);
  await close();
});
