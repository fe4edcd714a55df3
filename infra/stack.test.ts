// The whole program under Pulumi mocks, for the dev and the prod stack files (with the test site
// fixture): which resources exist, how they are wired, and that the policy pack passes on them.
import { readFileSync } from 'node:fs';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { parse } from 'yaml';
import { iotPolicyDocument } from '../domain/policy/iotPolicy.ts';
import { TOPIC_RULES } from '../domain/rules/topicRules.ts';
import { decodeStackConfig, type StackConfig } from './config.ts';
import { calledServices, ENDPOINTS, FUNCTION_NAMES } from './lambdaServices.ts';
import { OEE_METRICS } from './oeeFormulas.ts';
import { everyBucketLockedDown, RESOURCE_POLICIES } from './policies.ts';
import { runResourcePolicy, runStackPolicy } from './policyRunner.ts';
import { ACCOUNT, mockStack, REGION, settle, valueOf, type RecordedResource } from './stackHarness.ts';

type Deployed = { readonly config: StackConfig; readonly resources: RecordedResource[]; readonly outputs: Record<string, unknown> };

const stackConfig = (stack: string): StackConfig => {
  const raw = (parse(readFileSync(`Pulumi.${stack}.yaml`, 'utf8')) as { config: Record<string, unknown> }).config;
  const config = decodeStackConfig({ ...raw, 'factory:siteConfig': 'infra/fixtures/site.json', 'factory:certificateCsrDir': 'infra/fixtures/csr' });
  if (E.isLeft(config)) throw new Error(config.left.join('\n'));
  return config.right;
};

// One program import per file: the mocks are set before it, and each stack re-points them.
const deploy = async (stack: string, overrides: Partial<StackConfig> = {}): Promise<Deployed> => {
  const resources = await mockStack(stack);
  const { createFactoryPlatform } = await import('./platform.ts');
  const config = { ...stackConfig(stack === 'lab' ? 'dev' : stack), ...overrides };
  const platform = createFactoryPlatform(config);
  const outputs = await valueOf(platform.outputs as Record<string, unknown>);
  await settle();
  return { config, resources, outputs };
};

let dev: Deployed;
let prod: Deployed;
let lab: Deployed;
test.before(async () => {
  dev = await deploy('dev');
  prod = await deploy('prod');
  // The dev stack with the InfluxDB sink, as an account closed to Timestream LiveAnalytics would run it.
  lab = await deploy('lab', { timeSeriesSink: 'influxdb', influxdbPassword: 'not-a-real-password' });
});

const ofType = (d: Deployed, type: string) => d.resources.filter((r) => r.type === type);
const one = (d: Deployed, type: string, name?: string): RecordedResource => {
  const found = ofType(d, type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ''}, found ${found.length}`);
  return found[0]!;
};
const countByType = (d: Deployed) => Object.fromEntries([...new Set(d.resources.map((r) => r.type))].map((type) => [type, ofType(d, type).length]));

// Types whose args take no tags in @pulumi/aws 7.48 (checked against their .d.ts).
const UNTAGGABLE = new Set([
  'aws:iot/thing:Thing', 'aws:iot/thingGroupMembership:ThingGroupMembership', 'aws:iot/certificate:Certificate',
  'aws:iot/thingPrincipalAttachment:ThingPrincipalAttachment', 'aws:iot/policyAttachment:PolicyAttachment',
  'aws:s3/bucketOwnershipControls:BucketOwnershipControls', 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'aws:s3/bucketPolicy:BucketPolicy',
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  'aws:ec2/routeTableAssociation:RouteTableAssociation', 'aws:iam/rolePolicy:RolePolicy', 'aws:kms/alias:Alias',
  'aws:glue/catalogTable:CatalogTable', 'aws:sns/topicSubscription:TopicSubscription', 'aws:lambda/permission:Permission',
  'aws:cloudwatch/dashboard:Dashboard',
]);

// Fixture site: 2 factories (1 gateway each), 3 lines, 4 machines.
const COMMON_COUNTS = {
  'aws:kms/key:Key': 1, 'aws:ec2/vpc:Vpc': 1,
  'aws:iot/thing:Thing': 6, 'aws:iot/thingGroup:ThingGroup': 2, 'aws:iot/thingType:ThingType': 2, 'aws:iot/policy:Policy': 2,
  'aws:iot/thingGroupMembership:ThingGroupMembership': 6, 'aws:iot/certificate:Certificate': 1, 'aws:iot/topicRule:TopicRule': TOPIC_RULES.length,
  'aws:kinesis/stream:Stream': 1, 'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream': 1, 'aws:glue/catalogTable:CatalogTable': 1,
  'aws:sqs/queue:Queue': 3, 'aws:dynamodb/table:Table': 1, 'aws:scheduler/scheduleGroup:ScheduleGroup': 1,
  'aws:lambda/function:Function': 3, 'aws:cloudwatch/logGroup:LogGroup': 3, 'aws:lambda/eventSourceMapping:EventSourceMapping': 1,
  'aws:timestreamwrite/database:Database': 1, 'aws:timestreamwrite/table:Table': 2,
  'aws-native:iotsitewise:AssetModel': 3, 'aws-native:iotsitewise:Asset': 4 + 3 + 2,
  'aws-native:greengrassv2:ComponentVersion': 1, 'aws-native:greengrassv2:Deployment': 2,
  'aws:s3/bucket:Bucket': 2, 'aws:cloudwatch/dashboard:Dashboard': 1,
  // 3 functions × (errors, throttles) + iterator age + 3 queues + 2 rules + Timestream rejections
  'aws:cloudwatch/metricAlarm:MetricAlarm': 13,
};

test('dev: every part of the architecture, counted', (t) => {
  const counts = countByType(dev);
  for (const [type, n] of Object.entries(COMMON_COUNTS)) t.is(counts[type], n, type);
  t.is(counts['aws:ec2/subnet:Subnet'], 2);
  t.is(counts['aws:sns/topic:Topic'], 3);
  t.is(counts['aws-native:quicksight:DataSource'], undefined);
  t.is(counts['aws:sagemaker/domain:Domain'], undefined);
  t.is(counts['aws:sns/topicSubscription:TopicSubscription'], 1, 'notify on alerts; no email in dev');
  // Private networking only: nothing that reaches or is reached from the internet.
  for (const type of ['aws:ec2/internetGateway:InternetGateway', 'aws:ec2/natGateway:NatGateway', 'aws:ec2/eip:Eip']) t.is(counts[type], undefined, type);
});

test('prod: more shards and zones, longer retention, QuickSight, SageMaker and email behind their flags', (t) => {
  const counts = countByType(prod);
  for (const [type, n] of Object.entries(COMMON_COUNTS)) t.is(counts[type], n, type);
  t.is(counts['aws:ec2/subnet:Subnet'], 3);
  t.is(one(prod, 'aws:kinesis/stream:Stream').inputs.shardCount, 4);
  t.is(one(dev, 'aws:kinesis/stream:Stream').inputs.shardCount, 1);
  t.is(one(prod, 'aws:kinesis/stream:Stream').inputs.retentionPeriod, 168);
  t.true(ofType(prod, 'aws:cloudwatch/logGroup:LogGroup').every((g) => g.inputs.retentionInDays === 90));
  t.true(ofType(prod, 'aws:timestreamwrite/table:Table').every((tb) => tb.inputs.retentionProperties.magneticStoreRetentionPeriodInDays === 1825));
  t.is(counts['aws-native:quicksight:DataSource'], 1);
  t.is(counts['aws-native:quicksight:DataSet'], 1);
  t.is(counts['aws:sagemaker/domain:Domain'], 1);
  t.is(counts['aws:sagemaker/modelPackageGroup:ModelPackageGroup'], 1);
  t.is(ofType(prod, 'aws:sns/topicSubscription:TopicSubscription').filter((s) => s.inputs.protocol === 'email').length, 2);
  t.true(one(prod, 'aws:dynamodb/table:Table').inputs.deletionProtectionEnabled);
});

for (const which of ['dev', 'prod'] as const) {
  const d = () => (which === 'dev' ? dev : prod);

  test(`${which}: topic rules are domain/rules' TOPIC_RULES, routed to the stream (keyed by machine) and the archive, errors to SQS`, (t) => {
    const stream = one(d(), 'aws:kinesis/stream:Stream');
    const firehose = one(d(), 'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream');
    const errors = one(d(), 'aws:sqs/queue:Queue', 'routing-rule-errors');
    for (const rule of TOPIC_RULES) {
      const deployed = one(d(), 'aws:iot/topicRule:TopicRule', `routing-${rule.name}`);
      t.is(deployed.inputs.sql, rule.sql);
      t.is(deployed.inputs.name, `${rule.name}_${which}`);
      t.is(deployed.inputs.errorAction.sqs.queueUrl, errors.state.url);
      if (rule.target === 'kinesis') {
        t.deepEqual(deployed.inputs.kineses.map((k: any) => [k.streamName, k.partitionKey]), [[stream.inputs.name, '${topic(2)}/${topic(3)}/${topic(4)}']]);
      } else {
        t.deepEqual(deployed.inputs.firehoses.map((f: any) => f.deliveryStreamName), [firehose.inputs.name]);
      }
    }
  });

  test(`${which}: the archive is Firehose → KMS-encrypted S3, gzip, partitioned by factory and date, with a Glue table over it`, (t) => {
    const s3 = one(d(), 'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream').inputs.extendedS3Configuration;
    const bucket = one(d(), 'aws:s3/bucket:Bucket', 'routing-archive');
    t.is(s3.bucketArn, bucket.state.arn);
    t.is(s3.compressionFormat, 'GZIP');
    t.is(s3.prefix, 'raw/factory=!{partitionKeyFromQuery:factory}/date=!{timestamp:yyyy-MM-dd}/');
    t.true(s3.dynamicPartitioningConfiguration.enabled);
    const table = one(d(), 'aws:glue/catalogTable:CatalogTable');
    t.is(table.inputs.storageDescriptor.location, `s3://${bucket.state.bucket}/raw/`);
    t.deepEqual(table.inputs.partitionKeys.map((k: any) => k.name), ['factory', 'date']);
    t.is(table.inputs.parameters['projection.factory.values'], 'f1,f2');
  });

  test(`${which}: stream → process function (bisect, partial batch failures, failures to SQS) → event table, Timestream, SiteWise`, (t) => {
    const stream = one(d(), 'aws:kinesis/stream:Stream');
    const fn = one(d(), 'aws:lambda/function:Function', 'processing-process');
    const mapping = one(d(), 'aws:lambda/eventSourceMapping:EventSourceMapping');
    t.is(mapping.inputs.eventSourceArn, stream.state.arn);
    t.is(mapping.inputs.functionName, fn.state.arn);
    t.true(mapping.inputs.bisectBatchOnFunctionError);
    t.deepEqual(mapping.inputs.functionResponseTypes, ['ReportBatchItemFailures']);
    t.is(mapping.inputs.destinationConfig.onFailure.destinationArn, one(d(), 'aws:sqs/queue:Queue', 'processing-stream-failures').state.arn);
    const table = one(d(), 'aws:dynamodb/table:Table');
    t.is(fn.inputs.environment.variables.EVENT_TABLE, table.inputs.name);
    t.is(fn.inputs.environment.variables.TIMESTREAM_DATABASE, one(d(), 'aws:timestreamwrite/database:Database').inputs.databaseName);
    t.deepEqual(table.inputs.ttl, { enabled: true, attributeName: 'expiresAt' });
    t.true(table.inputs.pointInTimeRecovery.enabled);
    // The process role reads exactly this stream and writes exactly this table.
    const policy = JSON.parse(one(d(), 'aws:iam/rolePolicy:RolePolicy', 'processing-process').inputs.policy);
    const bySid = (sid: string) => policy.Statement.find((s: any) => s.Sid === sid);
    t.is(bySid('ReadStream').Resource, stream.state.arn);
    t.is(bySid('EventStore').Resource, table.state.arn);
    t.deepEqual(bySid('WriteTimeSeries').Resource, ofType(d(), 'aws:timestreamwrite/table:Table').map((tb) => tb.state.arn));
    t.is(bySid('WriteOee').Resource.length, 4, 'the four machine assets');
  });

  test(`${which}: every Lambda is Node 22 on arm64, in the private subnets, logging to its own group with retention`, (t) => {
    const subnets = ofType(d(), 'aws:ec2/subnet:Subnet');
    const lambdaSg = one(d(), 'aws:ec2/securityGroup:SecurityGroup', 'security-lambda');
    t.true(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false));
    const functions = ofType(d(), 'aws:lambda/function:Function');
    t.deepEqual(functions.map((f) => f.name).sort(), FUNCTION_NAMES.map((n) => `processing-${n}`).sort());
    for (const fn of functions) {
      t.is(fn.inputs.runtime, 'nodejs22.x');
      t.deepEqual(fn.inputs.architectures, ['arm64']);
      t.deepEqual([...fn.inputs.vpcConfig.subnetIds].sort(), subnets.map((s) => s.id).sort(), fn.name);
      t.deepEqual(fn.inputs.vpcConfig.securityGroupIds, [lambdaSg.id]);
      const group = ofType(d(), 'aws:cloudwatch/logGroup:LogGroup').find((g) => g.inputs.name === fn.inputs.loggingConfig.logGroup);
      t.is(group?.inputs.retentionInDays, d().config.logRetentionDays, fn.name);
    }
  });

  test(`${which}: a VPC endpoint for every service the functions call (and S3 for SageMaker training), and no other`, (t) => {
    const endpoints = ofType(d(), 'aws:ec2/vpcEndpoint:VpcEndpoint').map((e) => e.inputs.serviceName).sort();
    const training = d().config.sagemaker ? [`com.amazonaws.${REGION}.s3`] : [];
    t.deepEqual(endpoints, [...calledServices(d().config.timeSeriesSink, d().config.sagemaker).map((s) => ENDPOINTS[s].service(REGION)), ...training].sort());
  });

  test(`${which}: every alarm notifies the alarm topic`, (t) => {
    const topic = one(d(), 'aws:sns/topic:Topic', 'insight-alarms');
    const alarms = ofType(d(), 'aws:cloudwatch/metricAlarm:MetricAlarm');
    t.true(alarms.length > 0);
    for (const alarm of alarms) t.deepEqual(alarm.inputs.alarmActions, [topic.state.arn], alarm.name);
    const metrics = alarms.map((a) => `${a.inputs.namespace}/${a.inputs.metricName}`);
    for (const needed of ['AWS/Lambda/Errors', 'AWS/Lambda/Throttles', 'AWS/Lambda/IteratorAge', 'AWS/SQS/ApproximateNumberOfMessagesVisible', 'AWS/IoT/Failure', 'SmartFactory/TimestreamRejectedRecords']) {
      t.true(metrics.includes(needed), needed);
    }
  });

  test(`${which}: the IoT policies deployed are domain/policy's iotPolicyDocument, the one the local broker enforces`, (t) => {
    for (const role of ['machine', 'gateway'] as const) {
      const deployed = one(d(), 'aws:iot/policy:Policy', `devices-${role}`);
      t.deepEqual(JSON.parse(deployed.inputs.policy), iotPolicyDocument(role, { region: REGION, account: ACCOUNT }));
    }
    const press = one(d(), 'aws:iot/thing:Thing', 'devices-f1.l1.press-01');
    t.is(press.inputs.name, 'f1:l1:press-01');
    t.deepEqual(press.inputs.attributes, { factoryId: 'f1', lineId: 'l1', machineId: 'press-01' });
    // The fixture has a CSR for gw-f1 only: it alone gets a certificate, with the gateway policy.
    t.is(one(d(), 'aws:iot/policyAttachment:PolicyAttachment').inputs.policy, one(d(), 'aws:iot/policy:Policy', 'devices-gateway').inputs.name);
    t.regex(one(d(), 'aws:iot/certificate:Certificate').inputs.csr, /BEGIN CERTIFICATE REQUEST/);
  });

  test(`${which}: the SiteWise machine model carries the OEE formulas; assets form Factory ▸ Line ▸ Machine`, (t) => {
    const model = one(d(), 'aws-native:iotsitewise:AssetModel', 'twins-machine');
    for (const [name, metric] of Object.entries(OEE_METRICS)) {
      const property = model.inputs.assetModelProperties.find((p: any) => p.name === name);
      t.is(property?.type.metric.expression, metric.expression, name);
    }
    const line = one(d(), 'aws-native:iotsitewise:Asset', 'twins-f1-l1');
    t.deepEqual(line.inputs.assetHierarchies.map((h: any) => h.childAssetId), ['twins-f1-l1-press-01-asset-id', 'twins-f1-l1-lathe-02-asset-id']);
    const factory = one(d(), 'aws-native:iotsitewise:Asset', 'twins-f1');
    t.deepEqual(factory.inputs.assetHierarchies.map((h: any) => h.childAssetId), ['twins-f1-l1-asset-id', 'twins-f1-l2-asset-id']);
    const press = one(d(), 'aws-native:iotsitewise:Asset', 'twins-f1-l1-press-01');
    t.true(press.inputs.assetProperties.some((p: any) => p.alias === '/f1/l1/press-01/run_time_s'));
  });

  test(`${which}: one Greengrass deployment of the gateway component per factory thing group`, (t) => {
    const groups = ofType(d(), 'aws:iot/thingGroup:ThingGroup');
    const deployments = ofType(d(), 'aws-native:greengrassv2:Deployment');
    t.deepEqual(deployments.map((x) => x.inputs.targetArn).sort(), groups.map((g) => g.state.arn).sort());
    for (const x of deployments) t.deepEqual(Object.keys(x.inputs.components), ['com.smartfactory.Gateway']);
    const recipe = JSON.parse(one(d(), 'aws-native:greengrassv2:ComponentVersion').inputs.inlineRecipe);
    t.regex(recipe.Manifests[0].Artifacts[0].Uri, /^s3:\/\/edge-artifacts-bucket\/components\/com\.smartfactory\.Gateway\/0\.1\.0\/index\.mjs$/);
  });

  test(`${which}: the policy pack passes on every resource of the stack`, async (t) => {
    const config = { stackKeyArns: [one(d(), 'aws:kms/key:Key').state.arn] };
    for (const policy of RESOURCE_POLICIES) t.deepEqual(await runResourcePolicy(policy, d().resources, config), [], policy.name);
    t.deepEqual(await runStackPolicy(everyBucketLockedDown, d().resources), []);
    t.is(one(d(), 'aws:kms/key:Key').inputs.enableKeyRotation, true);
  });

  test(`${which}: every taggable resource carries project and stack; a factory's resources carry factory`, (t) => {
    const tagged = d().resources.filter((r) => r.inputs.tags !== undefined);
    t.true(tagged.length > 60);
    for (const r of tagged) {
      const tags: Record<string, string> = Array.isArray(r.inputs.tags) ? Object.fromEntries(r.inputs.tags.map((x: any) => [x.key, x.value])) : r.inputs.tags;
      t.is(tags.project, 'smart-factory', r.name);
      t.is(tags.stack, which, r.name);
    }
    for (const type of ['aws:iot/thingGroup:ThingGroup', 'aws-native:greengrassv2:Deployment']) {
      t.deepEqual(ofType(d(), type).map((r) => r.inputs.tags.factory).sort(), ['f1', 'f2'], type);
    }
    const missing = d().resources.filter((r) => r.inputs.tags === undefined && !r.type.startsWith('smart-factory:') && !UNTAGGABLE.has(r.type));
    t.deepEqual(missing.map((r) => r.type), []);
  });

  test(`${which}: stack outputs name what a user needs`, (t) => {
    const o = d().outputs;
    for (const key of ['kmsKeyArn', 'telemetryStreamName', 'archiveBucket', 'eventTableName', 'alertTopicArn', 'alarmTopicArn', 'dashboardName', 'gatewayComponentArn']) {
      t.is(typeof o[key], 'string', key);
    }
    t.deepEqual(o.thingNames, ['gw-f1', 'gw-f2', 'f1:l1:press-01', 'f1:l1:lathe-02', 'f1:l2:press-03', 'f2:l1:mill-01']);
  });
}

const SAGEMAKER_TYPES = ['aws:sagemaker/pipeline:Pipeline', 'aws:sagemaker/model:Model', 'aws:sagemaker/endpointConfiguration:EndpointConfiguration', 'aws:sagemaker/endpoint:Endpoint'];

test('dev (factory:sagemaker false): no training pipeline, model, endpoint, runtime VPC endpoint or scoring grant', (t) => {
  for (const type of SAGEMAKER_TYPES) t.is(ofType(dev, type).length, 0, type);
  t.false(ofType(dev, 'aws:ec2/vpcEndpoint:VpcEndpoint').some((e) => e.inputs.serviceName.includes('sagemaker')));
  for (const fn of ['process', 'timer']) {
    t.is(one(dev, 'aws:lambda/function:Function', `processing-${fn}`).inputs.environment.variables.RISK_ENDPOINT_NAME, undefined);
    t.false(one(dev, 'aws:iam/rolePolicy:RolePolicy', `processing-${fn}`).inputs.policy.includes('sagemaker:'));
  }
});

test('prod (factory:sagemaker true): a pipeline trains on the archive, a serverless endpoint serves it, and process scores with exactly that endpoint', (t) => {
  for (const type of SAGEMAKER_TYPES) t.is(ofType(prod, type).length, 1, type);
  const key = one(prod, 'aws:kms/key:Key').state.arn;
  const bucket = one(prod, 'aws:s3/bucket:Bucket', 'routing-archive').state.bucket;
  const endpoint = one(prod, 'aws:sagemaker/endpoint:Endpoint');
  const config = one(prod, 'aws:sagemaker/endpointConfiguration:EndpointConfiguration');
  const model = one(prod, 'aws:sagemaker/model:Model');
  t.is(endpoint.inputs.endpointConfigName, config.inputs.name);
  t.is(config.inputs.kmsKeyArn, key);
  t.deepEqual(config.inputs.productionVariants.map((v: any) => [v.modelName, v.serverlessConfig.memorySizeInMb, v.serverlessConfig.maxConcurrency]),
    [[model.inputs.name, prod.config.riskEndpointMemoryMb, prod.config.riskEndpointMaxConcurrency]]);
  t.regex(model.inputs.primaryContainer.image, /sagemaker-xgboost:1\.7-1$/);
  t.is(model.inputs.primaryContainer.modelDataUrl, `s3://${bucket}/models/maintenance/served/model.tar.gz`);

  const definition = JSON.parse(one(prod, 'aws:sagemaker/pipeline:Pipeline').inputs.pipelineDefinition);
  const training = definition.Steps[0].Arguments;
  t.is(definition.Parameters[0].DefaultValue, `s3://${bucket}/training/maintenance/`);
  t.is(training.OutputDataConfig.S3OutputPath, `s3://${bucket}/models/maintenance/`);
  t.deepEqual([training.OutputDataConfig.KmsKeyId, training.ResourceConfig.VolumeKmsKeyId], [key, key]);
  t.deepEqual([...training.VpcConfig.Subnets].sort(), ofType(prod, 'aws:ec2/subnet:Subnet').map((s) => s.id).sort());
  t.is(training.HyperParameters.objective, 'binary:logistic');

  const runtime = ofType(prod, 'aws:ec2/vpcEndpoint:VpcEndpoint').filter((e) => e.inputs.serviceName === `com.amazonaws.${REGION}.sagemaker.runtime`);
  t.is(runtime.length, 1);
  t.is(runtime[0]!.inputs.vpcEndpointType, 'Interface');
  for (const fn of ['process', 'timer']) {
    t.is(one(prod, 'aws:lambda/function:Function', `processing-${fn}`).inputs.environment.variables.RISK_ENDPOINT_NAME, endpoint.inputs.name, fn);
    const statements = JSON.parse(one(prod, 'aws:iam/rolePolicy:RolePolicy', `processing-${fn}`).inputs.policy).Statement;
    const scoring = statements.filter((s: any) => String(s.Action).includes('sagemaker:'));
    t.deepEqual(scoring.map((s: any) => [s.Action, s.Resource]), [[['sagemaker:InvokeEndpoint'], endpoint.state.arn]], fn);
  }
  t.false(one(prod, 'aws:iam/rolePolicy:RolePolicy', 'processing-notify').inputs.policy.includes('sagemaker:'));
  t.is(prod.outputs.riskEndpointName, endpoint.inputs.name);
});

test('influxdb sink: a private InfluxDB in the private subnets replaces Timestream, its endpoint and its alarm', (t) => {
  const counts = countByType(lab);
  t.is(counts['aws:timestreamwrite/database:Database'], undefined);
  t.is(counts['aws:timestreamwrite/table:Table'], undefined);
  const influx = one(lab, 'aws:timestreaminfluxdb/dbInstance:DbInstance');
  t.false(influx.inputs.publiclyAccessible);
  t.deepEqual([...influx.inputs.vpcSubnetIds].sort(), ofType(lab, 'aws:ec2/subnet:Subnet').map((s) => s.id).sort());
  t.deepEqual(influx.inputs.vpcSecurityGroupIds, [one(lab, 'aws:ec2/securityGroup:SecurityGroup', 'security-influxdb').id]);
  const process = one(lab, 'aws:lambda/function:Function', 'processing-process');
  t.is(process.inputs.environment.variables.INFLUXDB_ENDPOINT, influx.state.endpoint);
  t.false(ofType(lab, 'aws:ec2/vpcEndpoint:VpcEndpoint').some((e) => e.inputs.serviceName.includes('timestream')));
  t.false(ofType(lab, 'aws:cloudwatch/metricAlarm:MetricAlarm').some((a) => a.inputs.metricName === 'TimestreamRejectedRecords'));
  const policy = JSON.parse(one(lab, 'aws:iam/rolePolicy:RolePolicy', 'processing-process').inputs.policy);
  t.false(policy.Statement.some((s: any) => String(s.Action).includes('timestream')));
});

test('the program entry refuses a bad stack configuration before creating anything, naming the key', async (t) => {
  const pulumi = await import('@pulumi/pulumi');
  const { default: main } = await import('./index.ts');
  const before = lab.resources.length;
  pulumi.runtime.setAllConfig({ 'factory:kinesisShards': '0' });
  const error = await t.throwsAsync(main());
  t.regex(error?.message ?? '', /the stack configuration is invalid:\nfactory:kinesisShards: expected a whole number >= 1, got 0/);
  t.is(lab.resources.length, before);
});
