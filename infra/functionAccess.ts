// What each function of the processing component may do and is told, as plain functions of the ARNs
// and names of the resources it uses: the grants of its role (what triggers it, and every service
// lambdaServices.ts says it calls) and the variables of its environment. processing.ts gives them the
// component's resources; the tests give them any ARNs.
import * as pulumi from '@pulumi/pulumi';
import type { Statement } from './iamDocument.ts';
import type { FunctionName, ServiceCall } from './lambdaServices.ts';

// A VPC function's ENIs are made by Lambda in the function's name; ec2:Describe* takes no resource
// and AWS documents these six with "*" (AWSLambdaVPCAccessExecutionRole).
export const LAMBDA_ENI_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
] as const;

/** The ARNs and names the functions' grants point at: this component's resources and the stack's inputs. */
export type GrantTargets = {
  readonly region: pulumi.Input<string>;
  readonly account: pulumi.Input<string>;
  readonly eventTableArn: pulumi.Input<string>;
  readonly eventTableStreamArn: pulumi.Input<string>;
  readonly streamArn: pulumi.Input<string>;
  readonly timestreamTableArns: pulumi.Input<string>[];
  readonly influxTokenSecretArn?: pulumi.Input<string> | undefined;
  readonly alertTopicArn: pulumi.Input<string>;
  readonly notificationTopicArn: pulumi.Input<string>;
  readonly deadLetterQueueArn: pulumi.Input<string>;
  readonly streamFailureQueueArn: pulumi.Input<string>;
  readonly timerFailureQueueArn: pulumi.Input<string>;
  readonly dispatchFailureQueueArn: pulumi.Input<string>;
  readonly scheduleGroupName: pulumi.Input<string>;
  readonly schedulerRoleArn: pulumi.Input<string>;
  readonly riskEndpointArn?: pulumi.Input<string> | undefined;
};

/** What each service a function calls is granted on (lambdaServices.ts says which function calls which). */
export const serviceGrants = (t: GrantTargets): Readonly<Record<ServiceCall, Statement[]>> => ({
  dynamodb: [
    {
      Sid: 'EventStore',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
      Resource: t.eventTableArn,
    },
  ],
  'timestream-ingest': [
    { Sid: 'WriteTimeSeries', Action: ['timestream:WriteRecords'], Resource: t.timestreamTableArns },
    // No timestream:DescribeEndpoints: the function writes to the cell endpoint it is given, never discovers one.
  ],
  // One ARN pattern whatever the number of machines: a list of every asset ARN outgrows IAM's 10 KB
  // inline-policy limit past about a hundred machines.
  'iotsitewise-data': [
    {
      Sid: 'WriteOee',
      Action: ['iotsitewise:BatchPutAssetPropertyValue'],
      Resource: pulumi.interpolate`arn:aws:iotsitewise:${t.region}:${t.account}:asset/*`,
    },
  ],
  secretsmanager:
    t.influxTokenSecretArn === undefined
      ? []
      : [{ Sid: 'ReadInfluxToken', Action: ['secretsmanager:GetSecretValue'], Resource: t.influxTokenSecretArn }],
  sns: [{ Sid: 'PublishAlerts', Action: ['sns:Publish'], Resource: t.alertTopicArn }],
  sqs: [{ Sid: 'DeadLetters', Action: ['sqs:SendMessage'], Resource: t.deadLetterQueueArn }],
  scheduler: [
    {
      Sid: 'HeartbeatTimers',
      Action: [
        'scheduler:CreateSchedule',
        'scheduler:UpdateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
      ],
      Resource: pulumi.interpolate`arn:aws:scheduler:${t.region}:${t.account}:schedule/${t.scheduleGroupName}/*`,
    },
    { Sid: 'HandTimerRoleToScheduler', Action: ['iam:PassRole'], Resource: t.schedulerRoleArn },
  ],
  'sagemaker-runtime':
    t.riskEndpointArn === undefined
      ? []
      : [{ Sid: 'ScoreFailureRisk', Action: ['sagemaker:InvokeEndpoint'], Resource: t.riskEndpointArn }],
});

/** Per function: what it is triggered by (reading) and where its failures go, on top of what it calls. */
export const triggerGrants = (t: GrantTargets): Readonly<Record<FunctionName, Statement[]>> => ({
  process: [
    {
      Sid: 'ReadStream',
      Action: [
        'kinesis:DescribeStream',
        'kinesis:DescribeStreamSummary',
        'kinesis:GetRecords',
        'kinesis:GetShardIterator',
        'kinesis:ListShards',
      ],
      Resource: t.streamArn,
    },
    { Sid: 'StreamFailures', Action: ['sqs:SendMessage'], Resource: t.streamFailureQueueArn },
  ],
  // Scheduler invokes the timer asynchronously: a failed invocation goes to its failure queue.
  timer: [{ Sid: 'TimerFailures', Action: ['sqs:SendMessage'], Resource: t.timerFailureQueueArn }],
  dispatch: [
    {
      Sid: 'ReadCommits',
      Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
      Resource: t.eventTableStreamArn,
    },
    { Sid: 'DispatchFailures', Action: ['sqs:SendMessage'], Resource: t.dispatchFailureQueueArn },
  ],
  // notify turns machine-readable alerts into messages for people.
  notify: [{ Sid: 'PublishNotifications', Action: ['sns:Publish'], Resource: t.notificationTopicArn }],
  attributes: [],
});

/** What each function's environment names: the resources it uses, as the handlers read them (handlers/lambdaEnvironment.ts). */
export type EnvironmentTargets = Pick<
  GrantTargets,
  'alertTopicArn' | 'notificationTopicArn' | 'scheduleGroupName' | 'schedulerRoleArn'
> & {
  readonly eventTableName: pulumi.Input<string>;
  readonly deadLetterQueueUrl: pulumi.Input<string>;
  readonly timerFunctionArn: pulumi.Input<string>;
  readonly sitewiseAliasPrefix: string;
  readonly sinkEnvironment: Readonly<Record<string, pulumi.Input<string>>>;
  readonly riskEndpointName?: pulumi.Input<string> | undefined;
};

export const functionEnvironment = (
  e: EnvironmentTargets,
): Readonly<Record<FunctionName, Record<string, pulumi.Input<string>>>> => {
  const risk: Record<string, pulumi.Input<string>> = e.riskEndpointName === undefined
    ? {}
    : { RISK_ENDPOINT_NAME: e.riskEndpointName };
  return {
    process: {
      EVENT_TABLE: e.eventTableName,
      DEAD_LETTER_QUEUE_URL: e.deadLetterQueueUrl,
      ...e.sinkEnvironment,
      ...risk,
    },
    timer: { EVENT_TABLE: e.eventTableName, ...risk },
    dispatch: {
      ALERT_TOPIC_ARN: e.alertTopicArn,
      SCHEDULE_GROUP: e.scheduleGroupName,
      TIMER_FUNCTION_ARN: e.timerFunctionArn,
      SCHEDULER_ROLE_ARN: e.schedulerRoleArn,
      SITEWISE_ALIAS_PREFIX: e.sitewiseAliasPrefix,
      ...e.sinkEnvironment,
    },
    notify: { NOTIFICATION_TOPIC_ARN: e.notificationTopicArn },
    // The aliases it writes come in the invocation's event.
    attributes: {},
  };
};
