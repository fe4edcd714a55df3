// Routing alone, under mocks, with the stack key as a plain ARN: each topic rule sends where
// domain/rules says, through one role that may write exactly there.
import test from 'ava';
import { TOPIC_RULES } from '../domain/rules/topicRules.ts';
import { constructAlone, IDENTITY, KEY_ARN, type Constructed } from './testing/componentHarness.ts';

let built: Constructed;
test.before(async () => {
  built = await constructAlone(async () => {
    const { Routing } = await import('./routing.ts');
    return new Routing('routing', {
      identity: IDENTITY,
      keyArn: KEY_ARN,
      factoryIds: ['f1', 'f2'],
      kinesisShards: 2,
      kinesisRetentionHours: 48,
      archiveRetentionDays: 365,
    });
  });
});

test('each topic rule writes to the stream or the archive, and its errors to the error queue', (t) => {
  const stream = built.one('aws:kinesis/stream:Stream');
  const firehose = built.one('aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream');
  const errors = built.one('aws:sqs/queue:Queue');
  for (const rule of TOPIC_RULES) {
    const deployed = built.one('aws:iot/topicRule:TopicRule', `routing-${rule.name}`);
    t.is(deployed.inputs.sql, rule.sql);
    t.is(deployed.inputs.errorAction.sqs.queueUrl, errors.state.url);
    const targets =
      rule.target === 'kinesis'
        ? deployed.inputs.kineses.map((k: any) => k.streamName)
        : deployed.inputs.firehoses.map((f: any) => f.deliveryStreamName);
    t.deepEqual(targets, [rule.target === 'kinesis' ? stream.inputs.name : firehose.inputs.name], rule.name);
  }
});

test('the rules role may put records on exactly this stream, archive and error queue', (t) => {
  const statements = built.statements('routing-rules');
  const resourceOf = (sid: string) => statements.find((s) => s.Sid === sid)?.Resource;
  t.is(resourceOf('ToStream'), built.one('aws:kinesis/stream:Stream').state.arn);
  t.is(resourceOf('ToArchive'), built.one('aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream').state.arn);
  t.is(resourceOf('ToErrors'), built.one('aws:sqs/queue:Queue').state.arn);
  t.is(resourceOf('EncryptWrites'), KEY_ARN);
});

test('the stream, the error queue, the archive bucket and Firehose encrypt with the key given', (t) => {
  t.is(built.one('aws:kinesis/stream:Stream').inputs.kmsKeyId, KEY_ARN);
  t.is(built.one('aws:sqs/queue:Queue').inputs.kmsMasterKeyId, KEY_ARN);
  t.is(
    built.one('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration').inputs.rules[0]
      .applyServerSideEncryptionByDefault.kmsMasterKeyId,
    KEY_ARN,
  );
  t.is(
    built.one('aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream').inputs.serverSideEncryption.keyArn,
    KEY_ARN,
  );
});
