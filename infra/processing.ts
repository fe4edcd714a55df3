// The cloud half of the pipeline: the Lambda functions (process, timer, dispatch, notify, and
// attributes, which pulumi up invokes to set the SiteWise attribute values) built by
// `npm run build:lambdas`, the machine event store (DynamoDB, whose stream feeds dispatch the side
// effects of each commit), heartbeat timers (EventBridge Scheduler), alerts (SNS) and the dead-letter queues. Each function has its own role that allows
// exactly the calls lambdaServices.ts lists for it, on exactly this stack's resources.
// The constructor makes the stores, then the functions (their grants and environments are plain
// functions of ARNs and names, functionAccess.ts), then what triggers them.
import { join } from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { assumedBy, KMS_DATA_ACTIONS, policyDocument } from './iamDocument.ts';
import {
  functionEnvironment,
  LAMBDA_ENI_ACTIONS,
  serviceGrants,
  triggerGrants,
  type GrantTargets,
} from './functionAccess.ts';
import { FUNCTION_NAMES, functionCalls, type FunctionName, type TimeSeriesSink } from './lambdaServices.ts';
import type { AwsTarget } from './security.ts';
import { resourceName, stackTags, type StackIdentity } from './tagging.ts';

export type ProcessingArgs = {
  readonly identity: StackIdentity;
  readonly target: AwsTarget;
  /** The stack key: tables, queues, topics, logs and function environments are encrypted with it. */
  readonly keyArn: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly securityGroupId: pulumi.Input<string>;
  /** The telemetry stream the process function reads. */
  readonly streamArn: pulumi.Input<string>;
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
  /** The role EventBridge Scheduler invokes the timer function with. */
  readonly schedulerRole: aws.iam.Role;
  readonly functions: Readonly<Record<FunctionName, aws.lambda.Function>>;
  readonly functionNames: Readonly<Record<FunctionName, pulumi.Output<string>>>;
  readonly logGroups: Readonly<Record<FunctionName, aws.cloudwatch.LogGroup>>;
  readonly streamMapping: aws.lambda.EventSourceMapping;

  constructor(name: string, args: ProcessingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:processing:Processing', name, {}, opts);
    const { identity, keyArn } = args;
    const tags = stackTags(identity);
    const parent = { parent: this };
    const { region, account } = args.target;
    const functionName = (fn: FunctionName) => resourceName(identity, fn);
    const functionArn = (fn: FunctionName) =>
      pulumi.interpolate`arn:aws:lambda:${region}:${account}:function:${functionName(fn)}`;

    // The stores: the event table (with its outbox stream), the topics and the queues failures are parked in.
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
        serverSideEncryption: { enabled: true, kmsKeyArn: keyArn },
        deletionProtectionEnabled: identity.stack === 'prod',
        tags,
      },
      parent,
    );
    const topic = (what: string) =>
      new aws.sns.Topic(
        `${name}-${what}`,
        { name: resourceName(identity, what), kmsMasterKeyId: keyArn, tags },
        parent,
      );
    this.alertTopic = topic('alerts');
    this.notificationTopic = topic('notifications');
    if (args.alertEmail !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-notifications-email`,
        { topic: this.notificationTopic.arn, protocol: 'email', endpoint: args.alertEmail },
        parent,
      );
    }
    const queue = (what: string) =>
      new aws.sqs.Queue(
        `${name}-${what}`,
        { name: resourceName(identity, what), kmsMasterKeyId: keyArn, messageRetentionSeconds: 14 * 24 * 3600, tags },
        parent,
      );
    this.deadLetterQueue = queue('dead-letters');
    this.streamFailureQueue = queue('stream-failures');
    this.dispatchFailureQueue = queue('dispatch-failures');
    this.timerFailureQueue = queue('timer-failures');
    this.scheduleGroup = new aws.scheduler.ScheduleGroup(
      `${name}-timers`,
      { name: resourceName(identity, 'timers'), tags },
      parent,
    );

    // Scheduler invokes the timer function with this role.
    this.schedulerRole = new aws.iam.Role(
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
        role: this.schedulerRole.id,
        policy: policyDocument([
          { Sid: 'InvokeTimer', Action: ['lambda:InvokeFunction'], Resource: functionArn('timer') },
        ]),
      },
      parent,
    );

    const targets: GrantTargets = {
      region,
      account,
      eventTableArn: this.eventTable.arn,
      eventTableStreamArn: this.eventTable.streamArn,
      streamArn: args.streamArn,
      timestreamTableArns: args.timestreamTableArns,
      influxTokenSecretArn: args.influxTokenSecretArn,
      alertTopicArn: this.alertTopic.arn,
      notificationTopicArn: this.notificationTopic.arn,
      deadLetterQueueArn: this.deadLetterQueue.arn,
      streamFailureQueueArn: this.streamFailureQueue.arn,
      timerFailureQueueArn: this.timerFailureQueue.arn,
      dispatchFailureQueueArn: this.dispatchFailureQueue.arn,
      scheduleGroupName: this.scheduleGroup.name,
      schedulerRoleArn: this.schedulerRole.arn,
      riskEndpointArn: args.riskEndpoint?.arn,
    };
    const environment = functionEnvironment({
      eventTableName: this.eventTable.name,
      deadLetterQueueUrl: this.deadLetterQueue.url,
      alertTopicArn: this.alertTopic.arn,
      notificationTopicArn: this.notificationTopic.arn,
      scheduleGroupName: this.scheduleGroup.name,
      timerFunctionArn: functionArn('timer'),
      schedulerRoleArn: this.schedulerRole.arn,
      sitewiseAliasPrefix: args.sitewiseAliasPrefix,
      sinkEnvironment: args.sinkEnvironment,
      riskEndpointName: args.riskEndpoint?.name,
    });
    const { functions, logGroups } = this.createFunctions(name, args, targets, environment);
    this.functions = functions;
    this.functionNames = Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, functions[fn].name])) as Record<
      FunctionName,
      pulumi.Output<string>
    >;
    this.logGroups = logGroups;
    const { streamMapping, dispatchMapping } = this.createMappings(name, args);
    this.streamMapping = streamMapping;
    this.dispatchMapping = dispatchMapping;

    this.registerOutputs({
      eventTableName: this.eventTable.name,
      alertTopicArn: this.alertTopic.arn,
      functionNames: this.functionNames,
    });
  }

  /** Each function with its own log group and a role that allows exactly what it is triggered by and calls. */
  private createFunctions(
    name: string,
    args: ProcessingArgs,
    targets: GrantTargets,
    environment: Readonly<Record<FunctionName, Record<string, pulumi.Input<string>>>>,
  ) {
    const { identity, keyArn } = args;
    const tags = stackTags(identity);
    const parent = { parent: this };
    const grants = serviceGrants(targets);
    const triggers = triggerGrants(targets);
    const logGroups: Partial<Record<FunctionName, aws.cloudwatch.LogGroup>> = {};
    const functions: Partial<Record<FunctionName, aws.lambda.Function>> = {};
    for (const fn of FUNCTION_NAMES) {
      const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-${fn}`,
        {
          name: `/aws/lambda/${resourceName(identity, fn)}`,
          retentionInDays: args.logRetentionDays,
          kmsKeyId: keyArn,
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
            { Sid: 'StackKey', Action: [...KMS_DATA_ACTIONS], Resource: keyArn },
            ...triggers[fn],
            ...calls.flatMap((call) => grants[call]),
          ]),
        },
        parent,
      );
      functions[fn] = new aws.lambda.Function(
        `${name}-${fn}`,
        {
          name: resourceName(identity, fn),
          runtime: 'nodejs22.x',
          architectures: ['arm64'],
          handler: 'index.handler',
          // A FileArchive is only a path until upload, so previews and tests run without the bundle.
          code: new pulumi.asset.FileArchive(join(args.lambdaAssetDir, fn)),
          role: role.arn,
          memorySize: args.memoryMb,
          timeout: fn === 'process' || fn === 'attributes' ? 60 : 30,
          environment: { variables: environment[fn] },
          kmsKeyArn: keyArn,
          vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
          loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
          tags,
        },
        { parent: this, dependsOn: [policy, logGroup] },
      );
      logGroups[fn] = logGroup;
    }
    return {
      functions: functions as Record<FunctionName, aws.lambda.Function>,
      logGroups: logGroups as Record<FunctionName, aws.cloudwatch.LogGroup>,
    };
  }

  /** What invokes the functions: the telemetry stream, the event table's stream of commits, Scheduler, SNS. */
  private createMappings(name: string, args: ProcessingArgs) {
    const tags = stackTags(args.identity);
    const parent = { parent: this };
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

    const streamMapping = new aws.lambda.EventSourceMapping(
      `${name}-process-stream`,
      {
        functionName: this.functions.process.arn,
        eventSourceArn: args.streamArn,
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
    const dispatchMapping = new aws.lambda.EventSourceMapping(
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
    return { streamMapping, dispatchMapping };
  }
}
