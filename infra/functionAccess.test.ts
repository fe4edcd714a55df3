// The processing functions' grants and environments are plain functions of ARNs and names: their laws
// hold for any ARNs, checked without mocks.
import { fc, testProp } from '@fast-check/ava';
import { functionEnvironment, serviceGrants, triggerGrants, type GrantTargets } from './functionAccess.ts';
import { FUNCTION_NAMES, functionCalls } from './lambdaServices.ts';

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
