import { SNSClient } from '@aws-sdk/client-sns';
import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import { startFakeSns } from '../testing/fakes/sns.ts';
import { snsAlertPublisher } from './snsAlertPublisher.ts';
import { alertPublisherContract, sampleAlert } from '../ports/alertPublisher.contract.ts';
import type { Alert, AlertPublisher } from '../ports/alertPublisher.ts';
import { sampleLetter } from '../ports/deadLetterQueue.contract.ts';
import type { DeadLetter, DeadLetterQueue } from '../ports/deadLetterQueue.ts';
import { alertPublisherOnFirstUse, deadLetterQueueOnFirstUse, onFirstUse } from './onFirstUse.ts';

alertPublisherContract(test, 'sns alert publisher loaded on first use', async () => {
  const fake = await startFakeSns();
  const client = new SNSClient({
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const publisher = alertPublisherOnFirstUse(async () =>
    snsAlertPublisher({ client, topicArn: 'arn:aws:sns:us-east-1:000000000000:factory-alerts' }),
  );
  return {
    publisher,
    delivered: async () => fake.published.map((p) => JSON.parse(p.message) as Alert),
    close: async () => {
      client.destroy();
      await fake.close();
    },
  };
});

// Deterministic adapters that refuse some items, so reports carry rejections to compare.
const refusingPublisher = (): AlertPublisher => ({
  publish: async (alerts) => {
    const rejected = alerts
      .filter((a) => a.at % 3 === 0)
      .map((item) => ({ item, retryable: item.at % 2 === 0, reason: `refused ${item.alertId}` }));
    return { accepted: alerts.length - rejected.length, rejected };
  },
});
const refusingQueue = (): DeadLetterQueue => ({
  send: async (letters) => {
    const rejected = letters
      .filter((l) => l.receivedAt % 3 === 0)
      .map((item) => ({ item, retryable: false, reason: `refused ${item.receivedAt}` }));
    return { accepted: letters.length - rejected.length, rejected };
  },
});

const batches = fc.array(fc.array(fc.nat({ max: 9 }), { maxLength: 5 }), { maxLength: 6 });

testProp(
  'an alert publisher loaded on first use reports what its adapter reports, batch by batch, and is loaded once, only when something is published',
  [batches],
  async (t, indices) => {
    const direct = refusingPublisher();
    let loads = 0;
    const lazy = alertPublisherOnFirstUse(async () => {
      loads += 1;
      return refusingPublisher();
    });
    for (const batch of indices) {
      const alerts = batch.map((i) => sampleAlert(i));
      t.deepEqual(await lazy.publish(alerts), await direct.publish(alerts));
    }
    t.is(loads, indices.some((b) => b.length > 0) ? 1 : 0);
  },
);

testProp(
  'a dead-letter queue loaded on first use reports what its adapter reports, batch by batch, and is loaded once, only when something is sent',
  [batches],
  async (t, indices) => {
    const direct = refusingQueue();
    let loads = 0;
    const lazy = deadLetterQueueOnFirstUse(async () => {
      loads += 1;
      return refusingQueue();
    });
    for (const batch of indices) {
      const letters: DeadLetter[] = batch.map((i) => sampleLetter(i));
      t.deepEqual(await lazy.send(letters), await direct.send(letters));
    }
    t.is(loads, indices.some((b) => b.length > 0) ? 1 : 0);
  },
);

test('concurrent first uses share one load, and a failed load is tried again at the next use', async (t) => {
  let loads = 0;
  const value = onFirstUse(async () => {
    loads += 1;
    if (loads === 1) throw new Error('module not found');
    return loads;
  });
  await t.throwsAsync(value(), { message: 'module not found' });
  t.deepEqual(await Promise.all([value(), value()]), [2, 2]);
  t.is(loads, 2);
});
