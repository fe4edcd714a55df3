// Processing alone, under mocks, given plain ARNs for the stream and the key: which function reads
// what, which role may do what. The grants and environments are plain functions of ARNs and names,
// so their laws are checked without mocks.
import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import { FUNCTION_NAMES, functionCalls } from './lambdaServices.ts';
import { functionEnvironment, serviceGrants, triggerGrants, type GrantTargets } from './processing.ts';
import {
  arnOf,
  constructAlone,
  IDENTITY,
  KEY_ARN,
  SUBNET_IDS,
  TARGET,
  type Constructed,
} from './testing/componentHarness.ts';

const STREAM_ARN = arnOf('kinesis', 'stream/telemetry');
const TABLE_ARNS = [arnOf('timestream', 'database/db/table/telemetry'), arnOf('timestream', 'database/db/table/oee')];
const RISK = { name: 'risk-endpoint', arn: arnOf('sagemaker', 'endpoint/risk-endpoint') };

let built: Constructed;
test.before(async () => {
  built = await constructAlone(async () => {
    const { Processing } = await import('./processing.ts');
    return new Processing('processing', {
      identity: IDENTITY,
      target: TARGET,
      keyArn: KEY_ARN,
      subnetIds: SUBNET_IDS,
      securityGroupId: 'sg-lambda',
      streamArn: STREAM_ARN,
      sink: 'timestream',
      sinkEnvironment: { TIMESTREAM_DATABASE: 'db' },
      timestreamTableArns: TABLE_ARNS,
      sitewiseAliasPrefix: '/smart-factory-test-factory',
      lambdaAssetDir: 'dist/lambdas',
      memoryMb: 512,
      batchSize: 1000,
      logRetentionDays: 30,
      alertEmail: undefined,
      riskEndpoint: RISK,
    });
  });
});

const bySid = (statements: ReturnType<Constructed['statements']>, sid: string) => statements.find((s) => s.Sid === sid);

test('the process function reads the stream it is given, and only the process role may read it', (t) => {
  const mapping = built.one('aws:lambda/eventSourceMapping:EventSourceMapping', 'processing-process-stream');
  t.is(mapping.inputs.eventSourceArn, STREAM_ARN);
  t.is(mapping.inputs.functionName, built.one('aws:lambda/function:Function', 'processing-process').state.arn);
  t.is(bySid(built.statements('processing-process'), 'ReadStream')?.Resource, STREAM_ARN);
  for (const fn of FUNCTION_NAMES.filter((f) => f !== 'process'))
    t.is(bySid(built.statements(`processing-${fn}`), 'ReadStream'), undefined, fn);
});

test('dispatch reads the event table stream of commits, and only dispatch', (t) => {
  const table = built.one('aws:dynamodb/table:Table');
  const mapping = built.one('aws:lambda/eventSourceMapping:EventSourceMapping', 'processing-dispatch-commits');
  t.is(mapping.inputs.eventSourceArn, table.state.streamArn);
  t.is(mapping.inputs.functionName, built.one('aws:lambda/function:Function', 'processing-dispatch').state.arn);
  t.is(bySid(built.statements('processing-dispatch'), 'ReadCommits')?.Resource, table.state.streamArn);
});

test('every store, log and function environment is encrypted with the key it is given', (t) => {
  t.is(built.one('aws:dynamodb/table:Table').inputs.serverSideEncryption.kmsKeyArn, KEY_ARN);
  for (const q of built.ofType('aws:sqs/queue:Queue')) t.is(q.inputs.kmsMasterKeyId, KEY_ARN, q.name);
  for (const topic of built.ofType('aws:sns/topic:Topic')) t.is(topic.inputs.kmsMasterKeyId, KEY_ARN, topic.name);
  for (const group of built.ofType('aws:cloudwatch/logGroup:LogGroup')) t.is(group.inputs.kmsKeyId, KEY_ARN);
  for (const fn of built.ofType('aws:lambda/function:Function')) t.is(fn.inputs.kmsKeyArn, KEY_ARN, fn.name);
  for (const fn of FUNCTION_NAMES) t.is(bySid(built.statements(`processing-${fn}`), 'StackKey')?.Resource, KEY_ARN);
});

test('process and timer score with exactly the risk endpoint they are given; no other role may', (t) => {
  for (const fn of FUNCTION_NAMES) {
    const scoring = bySid(built.statements(`processing-${fn}`), 'ScoreFailureRisk');
    const variables = built.one('aws:lambda/function:Function', `processing-${fn}`).inputs.environment.variables;
    if (fn === 'process' || fn === 'timer') {
      t.is(scoring?.Resource, RISK.arn, fn);
      t.is(variables.RISK_ENDPOINT_NAME, RISK.name, fn);
    } else {
      t.is(scoring, undefined, fn);
      t.is(variables.RISK_ENDPOINT_NAME, undefined, fn);
    }
  }
});

test('the process role writes the Timestream tables it is given; each function runs in the subnets given', (t) => {
  t.deepEqual(bySid(built.statements('processing-process'), 'WriteTimeSeries')?.Resource, TABLE_ARNS);
  for (const fn of built.ofType('aws:lambda/function:Function'))
    t.deepEqual(fn.inputs.vpcConfig, { subnetIds: SUBNET_IDS, securityGroupIds: ['sg-lambda'] }, fn.name);
});

test('a timer invocation that keeps failing is parked in the timer failure queue, not dropped', (t) => {
  const config = built.one('aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig');
  t.is(config.inputs.functionName, built.one('aws:lambda/function:Function', 'processing-timer').state.name);
  t.is(
    config.inputs.destinationConfig.onFailure.destination,
    built.one('aws:sqs/queue:Queue', 'processing-timer-failures').state.arn,
  );
});

// The pure halves, for any ARNs.
const arn = fc.stringMatching(/^arn:aws:[a-z]{2,8}:[a-z0-9-]{0,12}:[0-9]{12}:[A-Za-z0-9/_-]{1,20}$/);
const targets: fc.Arbitrary<GrantTargets> = fc.record({
  region: fc.constantFrom('eu-central-1', 'us-east-1'),
  account: fc.stringMatching(/^[0-9]{12}$/),
  eventTableArn: arn,
  eventTableStreamArn: arn,
  streamArn: arn,
  timestreamTableArns: fc.array(arn, { maxLength: 3 }),
  influxTokenSecretArn: fc.option(arn, { nil: undefined }),
  alertTopicArn: arn,
  notificationTopicArn: arn,
  deadLetterQueueArn: arn,
  streamFailureQueueArn: arn,
  timerFailureQueueArn: arn,
  dispatchFailureQueueArn: arn,
  scheduleGroupName: fc.stringMatching(/^[a-z-]{1,20}$/),
  schedulerRoleArn: arn,
  riskEndpointArn: fc.option(arn, { nil: undefined }),
});

testProp(
  'every service a function calls is granted, on named resources only (a "*" resource is never a grant)',
  [targets, fc.constantFrom('timestream' as const, 'influxdb' as const)],
  (t, target, sink) => {
    const grants = serviceGrants(target);
    for (const fn of FUNCTION_NAMES) {
      const calls = functionCalls(fn, sink, target.riskEndpointArn !== undefined);
      for (const call of calls) {
        const given = call === 'secretsmanager' ? target.influxTokenSecretArn !== undefined : true;
        t.is(grants[call].length > 0, given, `${fn} calls ${call}`);
        for (const statement of grants[call]) t.not(statement.Resource, '*');
      }
      for (const statement of triggerGrants(target)[fn]) t.not(statement.Resource, '*');
    }
  },
);

testProp(
  'each function is told the resources it uses, and the risk endpoint only when there is one',
  [
    fc.record({
      eventTableName: fc.string(),
      deadLetterQueueUrl: fc.string(),
      alertTopicArn: arn,
      notificationTopicArn: arn,
      scheduleGroupName: fc.string(),
      timerFunctionArn: arn,
      schedulerRoleArn: arn,
      sitewiseAliasPrefix: fc.string(),
      sinkEnvironment: fc.dictionary(fc.constantFrom('TIMESTREAM_DATABASE', 'INFLUXDB_URL'), fc.string()),
      riskEndpointName: fc.option(fc.string(), { nil: undefined }),
    }),
  ],
  (t, targets) => {
    const env = functionEnvironment(targets);
    t.is(env.process.EVENT_TABLE, targets.eventTableName);
    t.is(env.timer.EVENT_TABLE, targets.eventTableName);
    t.is(env.process.DEAD_LETTER_QUEUE_URL, targets.deadLetterQueueUrl);
    t.is(env.dispatch.TIMER_FUNCTION_ARN, targets.timerFunctionArn);
    t.is(env.notify.NOTIFICATION_TOPIC_ARN, targets.notificationTopicArn);
    for (const fn of FUNCTION_NAMES)
      t.is(env[fn].RISK_ENDPOINT_NAME, fn === 'process' || fn === 'timer' ? targets.riskEndpointName : undefined, fn);
    for (const [name, value] of Object.entries(targets.sinkEnvironment)) {
      t.is(env.process[name], value);
      t.is(env.dispatch[name], value);
    }
  },
);
