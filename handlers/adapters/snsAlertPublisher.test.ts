import test from 'ava';
import { SNSClient } from '@aws-sdk/client-sns';
import { alertPublisherContract, sampleAlert } from '../ports/alertPublisher.contract.ts';
import type { Alert } from '../ports/alertPublisher.ts';
import { startFakeSns } from '../testing/fakes/sns.ts';
import { snsAlertPublisher } from './snsAlertPublisher.ts';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:factory-alerts';
const setup = async () => {
  const fake = await startFakeSns();
  const client = new SNSClient({
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    fake,
    client,
    publisher: snsAlertPublisher({ client, topicArn: TOPIC }),
    close: async () => {
      client.destroy();
      await fake.close();
    },
  };
};

alertPublisherContract(test, 'sns alert publisher', async () => {
  const { fake, publisher, close } = await setup();
  return { publisher, close, delivered: async () => fake.published.map((p) => JSON.parse(p.message) as Alert) };
});

test('sns alert publisher: one Publish per alert, with machine and detector message attributes', async (t) => {
  const { fake, publisher, close } = await setup();
  await publisher.publish([sampleAlert(1), sampleAlert(2)]);
  t.is(fake.requests.length, 2);
  t.deepEqual(fake.published[0]!.attributes, {
    machine: 'f1/l1/press-01',
    detector: 'threshold:spindle_temp',
    status: 'RAISED',
  });
  t.is(fake.published[0]!.topicArn, TOPIC);
  t.false(fake.requests[0]!.body.includes('MessageDeduplicationId'));
  await close();
});

test('sns alert publisher: a failed Publish is reported with the alert id and the others still go out', async (t) => {
  const { fake, publisher, close } = await setup();
  fake.failNext(1);
  const report = await publisher.publish([sampleAlert(1), sampleAlert(2)]);
  t.is(report.accepted, 1);
  t.regex(report.rejected[0]!.reason, /alert a-1-RAISED .*InvalidParameter/);
  t.is(fake.published.length, 1);
  await close();
});
