// Insight alone, under mocks, given the names of what it watches: an alarm on every function, queue
// and rule it is given, each notifying the alarm topic; the SageMaker role reads only the archive given.
import test from 'ava';
import { FUNCTION_NAMES, type FunctionName } from './lambdaServices.ts';
import { constructAlone, IDENTITY, KEY_ARN, REGION, ACCOUNT, type Constructed } from './testing/componentHarness.ts';

const FUNCTIONS = Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, `fn-${fn}`])) as Record<FunctionName, string>;
const QUEUES = ['rule-errors', 'dead-letters', 'stream-failures'];
const RULES = ['telemetry_test', 'archive_test'];
const ARCHIVE = { name: 'archive-bucket', arn: 'arn:aws:s3:::archive-bucket' };

let built: Constructed;
test.before(async () => {
  built = await constructAlone(async () => {
    const { Insight } = await import('./insight.ts');
    return new Insight('insight', {
      identity: IDENTITY,
      region: REGION,
      account: ACCOUNT,
      keyArn: KEY_ARN,
      alarmEmail: 'ops@example.com',
      functionNames: FUNCTIONS,
      streamConsumer: 'process',
      queueNames: QUEUES,
      topicRuleNames: RULES,
      streamName: 'telemetry',
      iteratorAgeAlarmMs: 60_000,
      timestream: { databaseName: 'factory' },
      quicksight: undefined,
      sagemaker: { vpcId: 'vpc-1', subnetIds: ['subnet-a'], securityGroupId: 'sg-1', archiveBucket: ARCHIVE },
    });
  });
});

const alarms = () => built.ofType('aws:cloudwatch/metricAlarm:MetricAlarm');

test('every function it is given has an errors and a throttles alarm; the stream consumer an iterator-age alarm', (t) => {
  for (const [fn, name] of Object.entries(FUNCTIONS)) {
    const metrics = alarms()
      .filter((a) => a.inputs.dimensions?.FunctionName === name)
      .map((a) => a.inputs.metricName)
      .sort();
    t.deepEqual(metrics, fn === 'process' ? ['Errors', 'IteratorAge', 'Throttles'] : ['Errors', 'Throttles'], fn);
  }
});

test('every queue given is alarmed on its depth, every rule given on its action failures', (t) => {
  t.deepEqual(
    alarms()
      .filter((a) => a.inputs.namespace === 'AWS/SQS')
      .map((a) => a.inputs.dimensions.QueueName),
    QUEUES,
  );
  const queries = alarms().flatMap((a) => (a.inputs.metricQueries ?? []).map((q: any) => q.expression as string));
  for (const rule of RULES)
    t.true(
      queries.some((q) => q.endsWith(`RuleName = '${rule}'`)),
      rule,
    );
});

test('every alarm notifies the alarm topic, which is encrypted with the key given and mails the address given', (t) => {
  const topic = built.one('aws:sns/topic:Topic');
  t.is(topic.inputs.kmsMasterKeyId, KEY_ARN);
  for (const alarm of alarms()) t.deepEqual(alarm.inputs.alarmActions, [topic.state.arn], alarm.name);
  t.is(built.one('aws:sns/topicSubscription:TopicSubscription').inputs.endpoint, 'ops@example.com');
});

test('the SageMaker role lists and reads the archive given (raw/ only) and nothing else', (t) => {
  t.deepEqual(
    built.statements('insight-sagemaker').map((s) => [s.Sid, s.Resource]),
    [
      ['ListArchive', ARCHIVE.arn],
      ['ReadArchive', `${ARCHIVE.arn}/raw/*`],
      ['StackKey', KEY_ARN],
    ],
  );
});
