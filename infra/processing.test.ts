// Processing alone, under mocks, given plain ARNs for the stream and the key: which function reads
// what, which role may do what (the grants' laws for any ARNs: functionAccess.test.ts).
import test from 'ava';
import { FUNCTION_NAMES } from './lambdaServices.ts';
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
