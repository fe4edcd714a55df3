// From IoT Core to the pipeline: the topic rules of domain/rules/topicRules.ts (the same ones the
// local stack evaluates), a Kinesis stream keyed by machine for processing, Firehose to the S3 raw
// archive partitioned by factory and date (with its Glue table for Athena), and an SQS queue that
// every rule's error action writes to.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { TOPIC_RULES, type TopicRuleDefinition } from '../domain/rules/topicRules.ts';
import { assumedBy, KMS_DATA_ACTIONS, policyDocument } from './iamDocument.ts';
import { privateBucket } from './privateBucket.ts';
import { resourceName, stackTags, type StackIdentity } from './tagging.ts';

export type RoutingArgs = {
  readonly identity: StackIdentity;
  /** The stack key's ARN: what this component stores is encrypted with it. */
  readonly keyArn: pulumi.Input<string>;
  readonly factoryIds: readonly string[];
  readonly kinesisShards: number;
  readonly kinesisRetentionHours: number;
  readonly archiveRetentionDays: number;
};

/** Where Firehose writes: Hive-style partitions Athena reads by projection, no crawler needed. */
export const ARCHIVE_PREFIX = 'raw/factory=!{partitionKeyFromQuery:factory}/date=!{timestamp:yyyy-MM-dd}/';

/** One JSON document per line in the archive (Athena's JSON SerDe reads lines). */
export const ARCHIVE_RECORD_SEPARATOR = '\n';

/** IoT rule names allow only `[a-zA-Z0-9_]`; the stack name is appended so stacks can share an account. */
export const ruleName = (rule: TopicRuleDefinition, stack: string): string =>
  `${rule.name}_${stack.replace(/[^a-zA-Z0-9_]/g, '_')}`;

// Columns of the archived JSON: the wire payload (docs/wire-contract.md) plus the rule's enrichment fields.
const ARCHIVE_COLUMNS = [
  ['v', 'int'],
  ['id', 'string'],
  ['ts', 'string'],
  ['seq', 'bigint'],
  ['metrics', 'string'],
  ['state', 'string'],
  ['reason', 'string'],
  ['total', 'bigint'],
  ['reject', 'bigint'],
  ['order', 'string'],
  ['product', 'string'],
  ['targetquantity', 'bigint'],
  ['factoryid', 'string'],
  ['lineid', 'string'],
  ['machineid', 'string'],
  ['messagetype', 'string'],
  ['receivedat', 'bigint'],
  ['clientid', 'string'],
] as const;

export class Routing extends pulumi.ComponentResource {
  readonly stream: aws.kinesis.Stream;
  readonly archiveBucket: aws.s3.Bucket;
  readonly deliveryStream: aws.kinesis.FirehoseDeliveryStream;
  readonly errorQueue: aws.sqs.Queue;
  readonly topicRules: aws.iot.TopicRule[];
  readonly glueTable: aws.glue.CatalogTable;

  constructor(name: string, args: RoutingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:routing:Routing', name, {}, opts);
    const { identity, keyArn } = args;
    const tags = stackTags(identity);
    const parent = { parent: this };

    this.errorQueue = new aws.sqs.Queue(
      `${name}-rule-errors`,
      {
        name: resourceName(identity, 'rule-errors'),
        kmsMasterKeyId: keyArn,
        messageRetentionSeconds: 14 * 24 * 3600,
        tags,
      },
      parent,
    );

    this.stream = new aws.kinesis.Stream(
      `${name}-telemetry`,
      {
        name: resourceName(identity, 'telemetry'),
        shardCount: args.kinesisShards,
        retentionPeriod: args.kinesisRetentionHours,
        streamModeDetails: { streamMode: 'PROVISIONED' },
        encryptionType: 'KMS',
        kmsKeyId: keyArn,
        tags,
      },
      parent,
    );

    this.archiveBucket = privateBucket(
      `${name}-archive`,
      { keyArn, tags, expireAfterDays: args.archiveRetentionDays },
      this,
    );

    const firehoseRole = new aws.iam.Role(
      `${name}-firehose`,
      { assumeRolePolicy: assumedBy('firehose.amazonaws.com'), tags },
      parent,
    );
    const firehosePolicy = new aws.iam.RolePolicy(
      `${name}-firehose`,
      {
        role: firehoseRole.id,
        policy: policyDocument([
          // Firehose's S3 destination actions: bucket actions on the bucket, object actions on its objects.
          {
            Sid: 'ArchiveBucket',
            Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
            Resource: this.archiveBucket.arn,
          },
          {
            Sid: 'WriteArchive',
            Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
            Resource: pulumi.interpolate`${this.archiveBucket.arn}/*`,
          },
          { Sid: 'EncryptArchive', Action: [...KMS_DATA_ACTIONS], Resource: keyArn },
        ]),
      },
      parent,
    );

    this.deliveryStream = new aws.kinesis.FirehoseDeliveryStream(
      `${name}-archive`,
      {
        name: resourceName(identity, 'archive'),
        destination: 'extended_s3',
        serverSideEncryption: { enabled: true, keyType: 'CUSTOMER_MANAGED_CMK', keyArn: keyArn },
        extendedS3Configuration: {
          bucketArn: this.archiveBucket.arn,
          roleArn: firehoseRole.arn,
          prefix: ARCHIVE_PREFIX,
          errorOutputPrefix: 'errors/!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/',
          compressionFormat: 'GZIP',
          kmsKeyArn: keyArn,
          // Dynamic partitioning requires a buffer of at least 64 MiB (Firehose quota).
          bufferingSize: 64,
          bufferingInterval: 300,
          dynamicPartitioningConfiguration: { enabled: true },
          processingConfiguration: {
            enabled: true,
            processors: [
              {
                type: 'MetadataExtraction',
                parameters: [
                  { parameterName: 'MetadataExtractionQuery', parameterValue: '{factory: .factoryId}' },
                  { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
                ],
              },
            ],
          },
        },
        tags,
      },
      { parent: this, dependsOn: [firehosePolicy] },
    );

    const database = new aws.glue.CatalogDatabase(
      `${name}-archive`,
      { name: resourceName(identity, 'archive').replace(/-/g, '_'), tags },
      parent,
    );
    this.glueTable = new aws.glue.CatalogTable(
      `${name}-raw`,
      {
        databaseName: database.name,
        name: 'raw_messages',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          'projection.factory.type': 'enum',
          'projection.factory.values': args.factoryIds.join(','),
          'projection.date.type': 'date',
          'projection.date.format': 'yyyy-MM-dd',
          'projection.date.range': '2025-01-01,NOW',
          'storage.location.template': pulumi.interpolate`s3://${this.archiveBucket.bucket}/raw/factory=\${factory}/date=\${date}/`,
        },
        partitionKeys: [
          { name: 'factory', type: 'string' },
          { name: 'date', type: 'string' },
        ],
        storageDescriptor: {
          location: pulumi.interpolate`s3://${this.archiveBucket.bucket}/raw/`,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serDeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            parameters: { 'ignore.malformed.json': 'true' },
          },
          columns: ARCHIVE_COLUMNS.map(([columnName, type]) => ({ name: columnName, type })),
        },
      },
      parent,
    );

    const ruleRole = new aws.iam.Role(
      `${name}-rules`,
      { assumeRolePolicy: assumedBy('iot.amazonaws.com'), tags },
      parent,
    );
    const rulePolicy = new aws.iam.RolePolicy(
      `${name}-rules`,
      {
        role: ruleRole.id,
        policy: policyDocument([
          { Sid: 'ToStream', Action: ['kinesis:PutRecord'], Resource: this.stream.arn },
          {
            Sid: 'ToArchive',
            Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
            Resource: this.deliveryStream.arn,
          },
          { Sid: 'ToErrors', Action: ['sqs:SendMessage'], Resource: this.errorQueue.arn },
          // The stream and the queue are encrypted with the stack key; writers need a data key.
          { Sid: 'EncryptWrites', Action: [...KMS_DATA_ACTIONS], Resource: keyArn },
        ]),
      },
      parent,
    );

    this.topicRules = TOPIC_RULES.map(
      (rule) =>
        new aws.iot.TopicRule(
          `${name}-${rule.name}`,
          {
            name: ruleName(rule, identity.stack),
            description: rule.description,
            enabled: true,
            sql: rule.sql,
            sqlVersion: rule.sqlVersion,
            ...(rule.target === 'kinesis'
              ? { kineses: [{ streamName: this.stream.name, partitionKey: rule.partitionKey, roleArn: ruleRole.arn }] }
              : // The rule's separator ends each record with a newline: Firehose must not append another
                // (AppendDelimiterToRecord), or every other line of the archive is empty.
                {
                  firehoses: [
                    {
                      deliveryStreamName: this.deliveryStream.name,
                      separator: ARCHIVE_RECORD_SEPARATOR,
                      batchMode: false,
                      roleArn: ruleRole.arn,
                    },
                  ],
                }),
            errorAction: { sqs: { queueUrl: this.errorQueue.url, roleArn: ruleRole.arn, useBase64: false } },
            tags,
          },
          { parent: this, dependsOn: [rulePolicy] },
        ),
    );

    this.registerOutputs({
      streamName: this.stream.name,
      archiveBucket: this.archiveBucket.bucket,
      deliveryStreamName: this.deliveryStream.name,
      errorQueueUrl: this.errorQueue.url,
    });
  }
}
