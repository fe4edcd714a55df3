// The cloud half of the pipeline: the Lambda functions (process, timer, dispatch, notify, and
// attributes, which pulumi up invokes to set the SiteWise attribute values) built by
// `npm run build:lambdas`, the machine event store (DynamoDB, whose stream feeds dispatch the side
// effects of each commit), heartbeat timers (EventBridge Scheduler), alerts (SNS) and the dead-letter queues. Each function has its own role that allows
// exactly the calls lambdaServices.ts lists for it, on exactly this stack's resources.
import { join } from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { assumedBy, KMS_DATA_ACTIONS, policyDocument, type Statement } from './iamDocument.ts';
import {
  FUNCTION_NAMES,
  functionCalls,
  type FunctionName,
  type ServiceCall,
  type TimeSeriesSink,
} from './lambdaServices.ts';
import type { AwsTarget } from './security.ts';
import { resourceName, stackTags, type StackIdentity } from './tagging.ts';

export type ProcessingArgs = {
  readonly identity: StackIdentity;
  readonly target: AwsTarget;
  readonly key: aws.kms.Key;
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly stream: aws.kinesis.Stream;
  readonly sink: TimeSeriesSink;
  readonly sinkEnvironment: Readonly<Record<string, pulumi.Input<string>>>;
  readonly timestreamTableArns: pulumi.Input<string>[];
  /** The InfluxDB token's secret (influxdb sink): the process function reads it at cold start. */
  readonly influxTokenSecretArn?: pulumi.Input<string> | undefined;
  /** Prepended to every SiteWise property alias the process function writes (twins.ts's aliases). */
  readonly sitewiseAliasPrefix: string;
  readonly lambdaAssetDir: string;
  readonly memoryMb: number;
  readonly batchSize: number;
  readonly logRetentionDays: number;
  readonly alertEmail: string | undefined;
  /** factory:sagemaker: the failure-risk endpoint process and timer score with (RISK_ENDPOINT_NAME). */
  readonly riskEndpoint?: { readonly name: pulumi.Input<string>; readonly arn: pulumi.Input<string> } | undefined;
};

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

export class Processing extends pulumi.ComponentResource {
  readonly eventTable: aws.dynamodb.Table;
  readonly alertTopic: aws.sns.Topic;
  readonly notificationTopic: aws.sns.Topic;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly streamFailureQueue: aws.sqs.Queue;
  /** Timer invocations that failed after Lambda's retries (Scheduler invokes asynchronously). */
  readonly timerFailureQueue: aws.sqs.Queue;
  /** Commits whose side effects could not be sent after the event source mapping's retries. */
  readonly dispatchFailureQueue: aws.sqs.Queue;
  readonly dispatchMapping: aws.lambda.EventSourceMapping;
  readonly scheduleGroup: aws.scheduler.ScheduleGroup;
  readonly functions: Readonly<Record<FunctionName, aws.lambda.Function>>;
  readonly logGroups: Readonly<Record<FunctionName, aws.cloudwatch.LogGroup>>;
  readonly streamMapping: aws.lambda.EventSourceMapping;

  constructor(name: string, args: ProcessingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:processing:Processing', name, {}, opts);
    const { identity, key } = args;
    const tags = stackTags(identity);
    const parent = { parent: this };
    const { region, account } = args.target;

    this.eventTable = new aws.dynamodb.Table(
      `${name}-events`,
      {
        name: resourceName(identity, 'machine-events'),
        billingMode: 'PAY_PER_REQUEST',
        // handlers/adapters/dynamoEventStore.ts: pk = stream, sk = commit position; the head at pk = checkpoint#stream.
        hashKey: 'pk',
        rangeKey: 'sk',
        attributes: [
          { name: 'pk', type: 'S' },
          { name: 'sk', type: 'N' },
        ],
        // The outbox: each new commit item reaches the dispatch function with its effects.
        streamEnabled: true,
        streamViewType: 'NEW_IMAGE',
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
        deletionProtectionEnabled: identity.stack === 'prod',
        tags,
      },
      parent,
    );

    this.alertTopic = new aws.sns.Topic(
      `${name}-alerts`,
      { name: resourceName(identity, 'alerts'), kmsMasterKeyId: key.arn, tags },
      parent,
    );
    this.notificationTopic = new aws.sns.Topic(
      `${name}-notifications`,
      { name: resourceName(identity, 'notifications'), kmsMasterKeyId: key.arn, tags },
      parent,
    );
    if (args.alertEmail !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-notifications-email`,
        { topic: this.notificationTopic.arn, protocol: 'email', endpoint: args.alertEmail },
        parent,
      );
    }
    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dead-letters`,
      {
        name: resourceName(identity, 'dead-letters'),
        kmsMasterKeyId: key.arn,
        messageRetentionSeconds: 14 * 24 * 3600,
        tags,
      },
      parent,
    );
    this.streamFailureQueue = new aws.sqs.Queue(
      `${name}-stream-failures`,
      {
        name: resourceName(identity, 'stream-failures'),
        kmsMasterKeyId: key.arn,
        messageRetentionSeconds: 14 * 24 * 3600,
        tags,
      },
      parent,
    );
    this.dispatchFailureQueue = new aws.sqs.Queue(
      `${name}-dispatch-failures`,
      {
        name: resourceName(identity, 'dispatch-failures'),
        kmsMasterKeyId: key.arn,
        messageRetentionSeconds: 14 * 24 * 3600,
        tags,
      },
      parent,
    );
    this.timerFailureQueue = new aws.sqs.Queue(
      `${name}-timer-failures`,
      {
        name: resourceName(identity, 'timer-failures'),
        kmsMasterKeyId: key.arn,
        messageRetentionSeconds: 14 * 24 * 3600,
        tags,
      },
      parent,
    );
    this.scheduleGroup = new aws.scheduler.ScheduleGroup(
      `${name}-timers`,
      { name: resourceName(identity, 'timers'), tags },
      parent,
    );

    const functionName = (fn: FunctionName) => resourceName(identity, fn);
    const functionArn = (fn: FunctionName) =>
      pulumi.interpolate`arn:aws:lambda:${region}:${account}:function:${functionName(fn)}`;

    // Scheduler invokes the timer function with this role.
    const schedulerRole = new aws.iam.Role(
      `${name}-scheduler`,
      {
        assumeRolePolicy: assumedBy('scheduler.amazonaws.com', { StringEquals: { 'aws:SourceAccount': account } }),
        tags,
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-scheduler`,
      {
        role: schedulerRole.id,
        policy: policyDocument([
          { Sid: 'InvokeTimer', Action: ['lambda:InvokeFunction'], Resource: functionArn('timer') },
        ]),
      },
      parent,
    );

    const schedules = pulumi.interpolate`arn:aws:scheduler:${region}:${account}:schedule/${this.scheduleGroup.name}/*`;
    const grants: Readonly<Record<ServiceCall, Statement[]>> = {
      dynamodb: [
        {
          Sid: 'EventStore',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
          Resource: this.eventTable.arn,
        },
      ],
      'timestream-ingest': [
        { Sid: 'WriteTimeSeries', Action: ['timestream:WriteRecords'], Resource: args.timestreamTableArns },
        // No timestream:DescribeEndpoints: the function writes to the cell endpoint it is given, never discovers one.
      ],
      // One ARN pattern whatever the number of machines: a list of every asset ARN outgrows IAM's 10 KB
      // inline-policy limit past about a hundred machines.
      'iotsitewise-data': [
        {
          Sid: 'WriteOee',
          Action: ['iotsitewise:BatchPutAssetPropertyValue'],
          Resource: pulumi.interpolate`arn:aws:iotsitewise:${region}:${account}:asset/*`,
        },
      ],
      secretsmanager:
        args.influxTokenSecretArn === undefined
          ? []
          : [
              {
                Sid: 'ReadInfluxToken',
                Action: ['secretsmanager:GetSecretValue'],
                Resource: args.influxTokenSecretArn,
              },
            ],
      sns: [{ Sid: 'PublishAlerts', Action: ['sns:Publish'], Resource: this.alertTopic.arn }],
      sqs: [{ Sid: 'DeadLetters', Action: ['sqs:SendMessage'], Resource: this.deadLetterQueue.arn }],
      scheduler: [
        {
          Sid: 'HeartbeatTimers',
          Action: [
            'scheduler:CreateSchedule',
            'scheduler:UpdateSchedule',
            'scheduler:DeleteSchedule',
            'scheduler:GetSchedule',
          ],
          Resource: schedules,
        },
        { Sid: 'HandTimerRoleToScheduler', Action: ['iam:PassRole'], Resource: schedulerRole.arn },
      ],
      'sagemaker-runtime':
        args.riskEndpoint === undefined
          ? []
          : [{ Sid: 'ScoreFailureRisk', Action: ['sagemaker:InvokeEndpoint'], Resource: args.riskEndpoint.arn }],
    };
    const riskEnvironment: Record<string, pulumi.Input<string>> = args.riskEndpoint === undefined
      ? {}
      : { RISK_ENDPOINT_NAME: args.riskEndpoint.name };
    // Per function: what it is triggered by (reading) on top of what it calls.
    const triggerGrants: Readonly<Record<FunctionName, Statement[]>> = {
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
          Resource: args.stream.arn,
        },
        { Sid: 'StreamFailures', Action: ['sqs:SendMessage'], Resource: this.streamFailureQueue.arn },
      ],
      // Scheduler invokes the timer asynchronously: a failed invocation goes to its failure queue.
      timer: [{ Sid: 'TimerFailures', Action: ['sqs:SendMessage'], Resource: this.timerFailureQueue.arn }],
      dispatch: [
        {
          Sid: 'ReadCommits',
          Action: [
            'dynamodb:DescribeStream',
            'dynamodb:GetRecords',
            'dynamodb:GetShardIterator',
            'dynamodb:ListStreams',
          ],
          Resource: this.eventTable.streamArn,
        },
        { Sid: 'DispatchFailures', Action: ['sqs:SendMessage'], Resource: this.dispatchFailureQueue.arn },
      ],
      // notify turns machine-readable alerts into messages for people.
      notify: [{ Sid: 'PublishNotifications', Action: ['sns:Publish'], Resource: this.notificationTopic.arn }],
      attributes: [],
    };

    const environment: Readonly<Record<FunctionName, Record<string, pulumi.Input<string>>>> = {
      process: {
        EVENT_TABLE: this.eventTable.name,
        DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.url,
        ...args.sinkEnvironment,
        ...riskEnvironment,
      },
      timer: { EVENT_TABLE: this.eventTable.name, ...riskEnvironment },
      dispatch: {
        ALERT_TOPIC_ARN: this.alertTopic.arn,
        SCHEDULE_GROUP: this.scheduleGroup.name,
        TIMER_FUNCTION_ARN: functionArn('timer'),
        SCHEDULER_ROLE_ARN: schedulerRole.arn,
        SITEWISE_ALIAS_PREFIX: args.sitewiseAliasPrefix,
        ...args.sinkEnvironment,
      },
      notify: { NOTIFICATION_TOPIC_ARN: this.notificationTopic.arn },
      // The aliases it writes come in the invocation's event.
      attributes: {},
    };

    const logGroups: Partial<Record<FunctionName, aws.cloudwatch.LogGroup>> = {};
    const functions: Partial<Record<FunctionName, aws.lambda.Function>> = {};
    for (const fn of FUNCTION_NAMES) {
      const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-${fn}`,
        {
          name: `/aws/lambda/${functionName(fn)}`,
          retentionInDays: args.logRetentionDays,
          kmsKeyId: key.arn,
          tags,
        },
        parent,
      );
      const role = new aws.iam.Role(
        `${name}-${fn}`,
        { assumeRolePolicy: assumedBy('lambda.amazonaws.com'), tags },
        parent,
      );
      const calls = functionCalls(fn, args.sink, args.riskEndpoint !== undefined);
      const policy = new aws.iam.RolePolicy(
        `${name}-${fn}`,
        {
          role: role.id,
          policy: policyDocument([
            {
              Sid: 'OwnLogs',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Resource: pulumi.interpolate`${logGroup.arn}:*`,
            },
            { Sid: 'VpcNetworkInterfaces', Action: [...LAMBDA_ENI_ACTIONS], Resource: '*' },
            // Reading the encrypted stream, writing to encrypted queues, topics and tables.
            { Sid: 'StackKey', Action: [...KMS_DATA_ACTIONS], Resource: key.arn },
            ...triggerGrants[fn],
            ...calls.flatMap((call) => grants[call]),
          ]),
        },
        parent,
      );
      functions[fn] = new aws.lambda.Function(
        `${name}-${fn}`,
        {
          name: functionName(fn),
          runtime: 'nodejs22.x',
          architectures: ['arm64'],
          handler: 'index.handler',
          // A FileArchive is only a path until upload, so previews and tests run without the bundle.
          code: new pulumi.asset.FileArchive(join(args.lambdaAssetDir, fn)),
          role: role.arn,
          memorySize: args.memoryMb,
          timeout: fn === 'process' || fn === 'attributes' ? 60 : 30,
          environment: { variables: environment[fn] },
          kmsKeyArn: key.arn,
          vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
          loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
          tags,
        },
        { parent: this, dependsOn: [policy, logGroup] },
      );
      logGroups[fn] = logGroup;
    }
    this.functions = functions as Record<FunctionName, aws.lambda.Function>;
    this.logGroups = logGroups as Record<FunctionName, aws.cloudwatch.LogGroup>;

    // EventBridge Scheduler invokes the timer function asynchronously: Lambda retries a failed invocation
    // twice, then hands the event to this destination instead of dropping it.
    new aws.lambda.FunctionEventInvokeConfig(
      `${name}-timer-async`,
      {
        functionName: this.functions.timer.name,
        maximumRetryAttempts: 2,
        maximumEventAgeInSeconds: 6 * 3600,
        destinationConfig: { onFailure: { destination: this.timerFailureQueue.arn } },
      },
      parent,
    );

    this.streamMapping = new aws.lambda.EventSourceMapping(
      `${name}-process-stream`,
      {
        functionName: this.functions.process.arn,
        eventSourceArn: args.stream.arn,
        startingPosition: 'TRIM_HORIZON',
        batchSize: args.batchSize,
        // Up to 5 s to fill a batch: a commit per machine per invocation, so fuller batches write less
        // (BENCHMARKS.md: DynamoDB write units per message at 100 and at 1000 records a batch).
        maximumBatchingWindowInSeconds: 5,
        // A poison record is isolated by halving the batch, reported by id (partial batch response),
        // retried a bounded number of times and then parked in SQS instead of blocking its shard.
        bisectBatchOnFunctionError: true,
        functionResponseTypes: ['ReportBatchItemFailures'],
        maximumRetryAttempts: 5,
        maximumRecordAgeInSeconds: 24 * 3600,
        destinationConfig: { onFailure: { destinationArn: this.streamFailureQueue.arn } },
        tags,
      },
      parent,
    );

    // The outbox in the cloud: each commit's INSERT reaches dispatch in commit order per machine; a commit
    // whose effects cannot all be sent is retried from there, then parked in SQS, never dropped.
    this.dispatchMapping = new aws.lambda.EventSourceMapping(
      `${name}-dispatch-commits`,
      {
        functionName: this.functions.dispatch.arn,
        eventSourceArn: this.eventTable.streamArn,
        startingPosition: 'TRIM_HORIZON',
        batchSize: 100,
        maximumBatchingWindowInSeconds: 1,
        // Heads change at every commit and carry nothing to send: only new items are delivered.
        filterCriteria: { filters: [{ pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
        bisectBatchOnFunctionError: true,
        functionResponseTypes: ['ReportBatchItemFailures'],
        maximumRetryAttempts: 10,
        maximumRecordAgeInSeconds: 24 * 3600,
        destinationConfig: { onFailure: { destinationArn: this.dispatchFailureQueue.arn } },
        tags,
      },
      parent,
    );

    new aws.lambda.Permission(
      `${name}-notify-from-alerts`,
      {
        action: 'lambda:InvokeFunction',
        function: this.functions.notify.name,
        principal: 'sns.amazonaws.com',
        sourceArn: this.alertTopic.arn,
      },
      parent,
    );
    new aws.sns.TopicSubscription(
      `${name}-notify-alerts`,
      { topic: this.alertTopic.arn, protocol: 'lambda', endpoint: this.functions.notify.arn },
      parent,
    );

    this.registerOutputs({
      eventTableName: this.eventTable.name,
      alertTopicArn: this.alertTopic.arn,
      functionNames: Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, this.functions[fn].name])),
    });
  }
}
