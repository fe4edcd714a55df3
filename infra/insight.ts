// What operators look at: a CloudWatch dashboard and alarms on every way the pipeline can silently
// fall behind or drop data, all to one KMS-encrypted SNS topic; QuickSight on Timestream and
// SageMaker behind their config flags (each needs an account-level subscription or costs per hour).
import * as aws from '@pulumi/aws';
import * as native from '@pulumi/aws-native';
import * as pulumi from '@pulumi/pulumi';
import { assumedBy, policyDocument } from './iamDocument.ts';
import { FUNCTION_NAMES, type FunctionName } from './lambdaServices.ts';
import type { BucketRef } from './privateBucket.ts';
import { resourceName, stackTags, tagList, type StackIdentity } from './tagging.ts';

export type InsightArgs = {
  readonly identity: StackIdentity;
  readonly region: pulumi.Input<string>;
  readonly account: pulumi.Input<string>;
  /** The stack key's ARN: what this component stores is encrypted with it. */
  readonly keyArn: pulumi.Input<string>;
  readonly alarmEmail: string | undefined;
  readonly functionNames: Readonly<Record<FunctionName, pulumi.Input<string>>>;
  /** The stack's functions outside Processing (the classify API's, the token rotation's): watched the same way. */
  readonly otherFunctionNames?: Readonly<Record<string, pulumi.Input<string>>>;
  readonly streamConsumer: FunctionName;
  /** Queues where failures are parked: a message waiting in one raises an alarm. */
  readonly queueNames: readonly pulumi.Input<string>[];
  readonly topicRuleNames: readonly pulumi.Input<string>[];
  readonly streamName: pulumi.Input<string>;
  readonly iteratorAgeAlarmMs: number;
  readonly timestream: { readonly databaseName: pulumi.Input<string> } | undefined;
  readonly quicksight: { readonly principalArn: string | undefined } | undefined;
  readonly sagemaker:
    | {
        readonly vpcId: pulumi.Input<string>;
        readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
        readonly securityGroupId: pulumi.Input<string>;
        readonly archiveBucket: BucketRef;
      }
    | undefined;
};

/** The process function reports Timestream's rejected records as this EMF metric (Powertools). */
export const REJECTED_RECORDS_METRIC = { namespace: 'SmartFactory', name: 'TimestreamRejectedRecords' } as const;

/** A rule's action failures, all action types summed (AWS/IoT Failure has dimensions RuleName and ActionType). */
export const ruleFailureQuery = (ruleName: pulumi.Input<string>): pulumi.Output<string> =>
  pulumi.interpolate`SELECT SUM(Failure) FROM SCHEMA("AWS/IoT", ActionType, RuleName) WHERE RuleName = '${ruleName}'`;

export class Insight extends pulumi.ComponentResource {
  readonly alarmTopic: aws.sns.Topic;
  readonly alarms: aws.cloudwatch.MetricAlarm[];
  readonly dashboard: aws.cloudwatch.Dashboard;

  constructor(name: string, args: InsightArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:insight:Insight', name, {}, opts);
    const { identity, keyArn } = args;
    const tags = stackTags(identity);
    const parent = { parent: this };

    this.alarmTopic = new aws.sns.Topic(
      `${name}-alarms`,
      { name: resourceName(identity, 'alarms'), kmsMasterKeyId: keyArn, tags },
      parent,
    );
    if (args.alarmEmail !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-alarms-email`,
        { topic: this.alarmTopic.arn, protocol: 'email', endpoint: args.alarmEmail },
        parent,
      );
    }

    const alarm = (
      id: string,
      description: string,
      spec: Pick<
        aws.cloudwatch.MetricAlarmArgs,
        'namespace' | 'metricName' | 'dimensions' | 'statistic' | 'threshold' | 'metricQueries'
      >,
    ) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${id}`,
        {
          name: resourceName(identity, id),
          alarmDescription: description,
          comparisonOperator: 'GreaterThanThreshold',
          evaluationPeriods: 1,
          ...(spec.metricQueries === undefined ? { period: 300 } : {}),
          treatMissingData: 'notBreaching',
          alarmActions: [this.alarmTopic.arn],
          okActions: [this.alarmTopic.arn],
          tags,
          ...spec,
        },
        parent,
      );

    const watchedFunctions: Array<[string, pulumi.Input<string>]> = [
      ...FUNCTION_NAMES.map((fn): [string, pulumi.Input<string>] => [fn, args.functionNames[fn]]),
      ...Object.entries(args.otherFunctionNames ?? {}),
    ];
    this.alarms = [
      ...watchedFunctions.flatMap(([fn, functionName]) => [
        alarm(`${fn}-errors`, `${fn} function invocations failed`, {
          namespace: 'AWS/Lambda',
          metricName: 'Errors',
          dimensions: { FunctionName: functionName },
          statistic: 'Sum',
          threshold: 0,
        }),
        alarm(`${fn}-throttles`, `${fn} function was throttled`, {
          namespace: 'AWS/Lambda',
          metricName: 'Throttles',
          dimensions: { FunctionName: functionName },
          statistic: 'Sum',
          threshold: 0,
        }),
      ]),
      alarm('iterator-age', `processing is more than ${args.iteratorAgeAlarmMs} ms behind the stream`, {
        namespace: 'AWS/Lambda',
        metricName: 'IteratorAge',
        dimensions: { FunctionName: args.functionNames[args.streamConsumer] },
        statistic: 'Maximum',
        threshold: args.iteratorAgeAlarmMs,
      }),
      ...args.queueNames.map((queueName, i) =>
        alarm(`dead-letters-${i}`, 'messages are waiting in a dead-letter queue', {
          namespace: 'AWS/SQS',
          metricName: 'ApproximateNumberOfMessagesVisible',
          dimensions: { QueueName: queueName },
          statistic: 'Maximum',
          threshold: 0,
        }),
      ),
      // IoT Core publishes a failed rule action as Failure with the dimensions RuleName and ActionType
      // together (no series by RuleName alone), so an alarm on RuleName alone never sees a value. The
      // alarm sums every action type of the rule with a Metrics Insights query instead.
      ...args.topicRuleNames.map((ruleName, i) =>
        alarm(`rule-errors-${i}`, 'a topic rule action failed (its message went to the error action)', {
          threshold: 0,
          metricQueries: [
            {
              id: 'failures',
              period: 300,
              returnData: true,
              label: 'rule action failures',
              expression: ruleFailureQuery(ruleName),
            },
          ],
        }),
      ),
      ...(args.timestream !== undefined
        ? [
            alarm(
              'timestream-rejected',
              'Timestream rejected records (see the rejected-records report in the archive bucket)',
              {
                namespace: REJECTED_RECORDS_METRIC.namespace,
                metricName: REJECTED_RECORDS_METRIC.name,
                dimensions: { service: 'process' },
                statistic: 'Sum',
                threshold: 0,
              },
            ),
          ]
        : []),
    ];

    this.dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: resourceName(identity, 'pipeline'),
        dashboardBody: pulumi.jsonStringify({
          widgets: [
            {
              type: 'metric',
              x: 0,
              y: 0,
              width: 12,
              height: 6,
              properties: {
                title: 'Messages into the stream',
                region: args.region,
                stat: 'Sum',
                period: 60,
                metrics: [['AWS/Kinesis', 'IncomingRecords', 'StreamName', args.streamName]],
              },
            },
            {
              type: 'metric',
              x: 12,
              y: 0,
              width: 12,
              height: 6,
              properties: {
                title: 'Processing lag (ms)',
                region: args.region,
                stat: 'Maximum',
                period: 60,
                metrics: [['AWS/Lambda', 'IteratorAge', 'FunctionName', args.functionNames[args.streamConsumer]]],
              },
            },
            {
              type: 'metric',
              x: 0,
              y: 6,
              width: 24,
              height: 6,
              properties: {
                title: 'Function errors',
                region: args.region,
                stat: 'Sum',
                period: 300,
                metrics: FUNCTION_NAMES.map((fn) => ['AWS/Lambda', 'Errors', 'FunctionName', args.functionNames[fn]]),
              },
            },
            {
              type: 'alarm',
              x: 0,
              y: 12,
              width: 24,
              height: 6,
              properties: { title: 'Alarms', alarms: this.alarms.map((a) => a.arn) },
            },
          ],
        }),
      },
      parent,
    );

    if (args.quicksight !== undefined && args.timestream !== undefined)
      this.quicksight(name, args, args.timestream.databaseName, args.quicksight.principalArn);
    if (args.sagemaker !== undefined) this.sagemaker(name, args, args.sagemaker);

    this.registerOutputs({ alarmTopicArn: this.alarmTopic.arn, dashboardName: this.dashboard.dashboardName });
  }

  private quicksight(
    name: string,
    args: InsightArgs,
    databaseName: pulumi.Input<string>,
    principalArn: string | undefined,
  ): void {
    const tags = tagList(stackTags(args.identity));
    const readers = principalArn === undefined ? [] : [principalArn];
    const source = new native.quicksight.DataSource(
      `${name}-timestream`,
      {
        awsAccountId: args.account,
        dataSourceId: resourceName(args.identity, 'timestream'),
        name: resourceName(args.identity, 'timestream'),
        type: 'TIMESTREAM',
        permissions: readers.map((principal) => ({
          principal,
          actions: [
            'quicksight:DescribeDataSource',
            'quicksight:DescribeDataSourcePermissions',
            'quicksight:PassDataSource',
          ],
        })),
        tags,
      },
      { parent: this },
    );
    new native.quicksight.DataSet(
      `${name}-oee`,
      {
        awsAccountId: args.account,
        dataSetId: resourceName(args.identity, 'oee'),
        name: resourceName(args.identity, 'oee'),
        importMode: 'DIRECT_QUERY',
        physicalTableMap: {
          oee: {
            customSql: {
              dataSourceArn: source.arn,
              name: 'oee',
              sqlQuery: pulumi.interpolate`SELECT time, factoryId, lineId, machineId, availability, performance, quality, oee FROM "${databaseName}"."oee" WHERE time > ago(90d)`,
              columns: [
                { name: 'time', type: 'DATETIME' },
                { name: 'factoryId', type: 'STRING' },
                { name: 'lineId', type: 'STRING' },
                { name: 'machineId', type: 'STRING' },
                { name: 'availability', type: 'DECIMAL' },
                { name: 'performance', type: 'DECIMAL' },
                { name: 'quality', type: 'DECIMAL' },
                { name: 'oee', type: 'DECIMAL' },
              ],
            },
          },
        },
        permissions: readers.map((principal) => ({
          principal,
          actions: [
            'quicksight:DescribeDataSet',
            'quicksight:DescribeDataSetPermissions',
            'quicksight:PassDataSet',
            'quicksight:DescribeIngestion',
            'quicksight:ListIngestions',
          ],
        })),
        tags,
      },
      { parent: this },
    );
  }

  private sagemaker(name: string, args: InsightArgs, sm: NonNullable<InsightArgs['sagemaker']>): void {
    const tags = stackTags(args.identity);
    const role = new aws.iam.Role(
      `${name}-sagemaker`,
      { assumeRolePolicy: assumedBy('sagemaker.amazonaws.com'), tags },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-sagemaker`,
      {
        role: role.id,
        policy: policyDocument([
          // Training reads the raw archive (README.md: the ML and replay source) and nothing else.
          // ListBucket is a bucket action, GetObject an object action: each on its own resource.
          { Sid: 'ListArchive', Action: ['s3:ListBucket'], Resource: sm.archiveBucket.arn },
          { Sid: 'ReadArchive', Action: ['s3:GetObject'], Resource: pulumi.interpolate`${sm.archiveBucket.arn}/raw/*` },
          { Sid: 'StackKey', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: args.keyArn },
        ]),
      },
      { parent: this },
    );
    new aws.sagemaker.Domain(
      `${name}-sagemaker`,
      {
        domainName: resourceName(args.identity, 'ml'),
        authMode: 'IAM',
        vpcId: sm.vpcId,
        subnetIds: sm.subnetIds,
        appNetworkAccessType: 'VpcOnly',
        kmsKeyId: args.keyArn,
        defaultUserSettings: { executionRole: role.arn, securityGroups: [sm.securityGroupId] },
        tags,
      },
      { parent: this },
    );
    new aws.sagemaker.ModelPackageGroup(
      `${name}-maintenance-models`,
      {
        modelPackageGroupName: resourceName(args.identity, 'maintenance'),
        modelPackageGroupDescription: 'Predictive-maintenance models trained from the raw archive',
        tags,
      },
      { parent: this },
    );
  }
}
