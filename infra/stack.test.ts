// The whole program under Pulumi mocks, for the dev and the prod stack files (with the test site
// fixture): how the components are wired to each other (which function reads which stream, which role
// may do what), what the flags switch on, and that the policy pack passes on every resource. What one
// component makes is tested with that component alone (infra/<component>.test.ts).
import { readFileSync } from 'node:fs';
import test, { type ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { parse } from 'yaml';
import { coreDevicePolicyDocument, iotPolicyDocument } from '../domain/policy/iotPolicy.ts';
import { TOPIC_RULES } from '../domain/rules/topicRules.ts';
import { decodeStackConfig, type StackConfig } from './config.ts';
import { gatewayRecipe, shippedRecipe, RECIPE_BUCKET_PLACEHOLDER } from './edge.ts';
import { calledServices, ENDPOINTS, FUNCTION_NAMES } from './lambdaServices.ts';
import { OEE_METRICS } from './oeeFormulas.ts';
import { everyBucketLockedDown, RESOURCE_POLICIES } from './policies.ts';
import { runResourcePolicy, runStackPolicy } from './testing/policyRunner.ts';
import { loadSiteTopology, type SiteTopology } from './siteTopology.ts';
import { ACCOUNT, mockStack, REGION, settle, valueOf, type RecordedResource } from './testing/stackHarness.ts';

type Deployed = {
  readonly config: StackConfig;
  readonly resources: RecordedResource[];
  readonly outputs: Record<string, unknown>;
};

const stackConfig = (stack: string): StackConfig => {
  const raw = (parse(readFileSync(`Pulumi.${stack}.yaml`, 'utf8')) as { config: Record<string, unknown> }).config;
  const config = decodeStackConfig({
    ...raw,
    'factory:siteConfig': 'infra/fixtures/site.json',
    'factory:certificateCsrDir': 'infra/fixtures/csr',
    // Set with `pulumi config set --secret`, never in the stack file.
    'factory:influxdbPassword': 'not-a-real-password',
  });
  if (E.isLeft(config)) throw new Error(config.left.join('\n'));
  return config.right;
};

// One program import per file: the mocks are set before it, and each stack re-points them.
const deploy = async (
  stack: string,
  file: string,
  overrides: Partial<StackConfig> = {},
  site?: SiteTopology,
): Promise<Deployed> => {
  const resources = await mockStack(stack);
  const { createFactoryPlatform } = await import('./platform.ts');
  const config = { ...stackConfig(file), ...overrides };
  const platform = createFactoryPlatform(config, site);
  const outputs = await valueOf(platform.outputs as Record<string, unknown>);
  await settle();
  return { config, resources, outputs };
};

let dev: Deployed;
let prod: Deployed;
let live: Deployed;
test.before(async () => {
  dev = await deploy('dev', 'dev');
  prod = await deploy('prod', 'prod');
  // An account that has Timestream LiveAnalytics (in cell2), with QuickSight on it and a published risk model.
  live = await deploy('live', 'prod', {
    timeSeriesSink: 'timestream',
    timestreamCell: 'cell2',
    quicksight: true,
    riskModelPublished: true,
  });
});

const ofType = (d: Deployed, type: string) => d.resources.filter((r) => r.type === type);
const one = (d: Deployed, type: string, name?: string): RecordedResource => {
  const found = ofType(d, type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ''}, found ${found.length}`);
  return found[0]!;
};
const none = (d: Deployed, type: string): boolean => ofType(d, type).length === 0;

// Types whose args take no tags in @pulumi/aws 7.48 (checked against their .d.ts).
const UNTAGGABLE = new Set([
  'aws:apigatewayv2/integration:Integration',
  'aws:apigatewayv2/route:Route',
  'aws:iot/thing:Thing',
  'aws:iot/thingGroupMembership:ThingGroupMembership',
  'aws:iot/certificate:Certificate',
  'aws:iot/thingPrincipalAttachment:ThingPrincipalAttachment',
  'aws:iot/policyAttachment:PolicyAttachment',
  'aws:s3/bucketOwnershipControls:BucketOwnershipControls',
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
  'aws:s3/bucketPolicy:BucketPolicy',
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  'aws:ec2/routeTableAssociation:RouteTableAssociation',
  'aws:iam/rolePolicy:RolePolicy',
  'aws:kms/alias:Alias',
  'aws:glue/catalogTable:CatalogTable',
  'aws:sns/topicSubscription:TopicSubscription',
  'aws:lambda/permission:Permission',
  'aws:cloudwatch/dashboard:Dashboard',
  'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig',
  'aws:lambda/invocation:Invocation',
  'aws:secretsmanager/secretVersion:SecretVersion',
  'aws:secretsmanager/secretRotation:SecretRotation',
]);

const COMPONENTS = [
  'smart-factory:security:Security',
  'smart-factory:devices:Devices',
  'smart-factory:routing:Routing',
  'smart-factory:timeseries:TimeSeries',
  'smart-factory:twins:Twins',
  'smart-factory:processing:Processing',
  'smart-factory:edge:Edge',
  'smart-factory:insight:Insight',
  'smart-factory:downtime:ClassifyApi',
];
const site = (): SiteTopology => loadSiteTopology('infra/fixtures/site.json');

test('dev: every component is there, and nothing reaches or is reached from the internet', (t) => {
  for (const type of COMPONENTS) t.is(ofType(dev, type).length, 1, type);
  t.true(none(dev, 'smart-factory:maintenance:MaintenanceScoring'), 'behind factory:sagemaker');
  t.is(one(dev, 'awsx:ec2:Vpc').inputs.numberOfAvailabilityZones, 2);
  t.true(none(dev, 'aws-native:quicksight:DataSource'));
  t.true(none(dev, 'aws:sagemaker/domain:Domain'));
  t.deepEqual(
    ofType(dev, 'aws:sns/topicSubscription:TopicSubscription').map((s) => s.inputs.protocol),
    ['lambda'],
    'notify on alerts; no email in dev',
  );
  // Private networking only: nothing that reaches or is reached from the internet.
  for (const type of ['aws:ec2/internetGateway:InternetGateway', 'aws:ec2/natGateway:NatGateway', 'aws:ec2/eip:Eip'])
    t.true(none(dev, type), type);
});

test("dev: the site drives the devices and twins: a thing per gateway and machine in its factory's group, an asset per factory, line and machine", (t) => {
  const { factories, machines } = site();
  const gateways = factories.flatMap((f) => f.gatewayIds);
  t.deepEqual(
    ofType(dev, 'aws:iot/thing:Thing')
      .map((th) => th.inputs.name)
      .sort(),
    [...gateways, ...machines.map((m) => `${m.factoryId}:${m.lineId}:${m.machineId}`)].sort(),
  );
  const groups = ofType(dev, 'aws:iot/thingGroup:ThingGroup');
  t.deepEqual(
    ofType(dev, 'aws-native:greengrassv2:Deployment').map((dp) => dp.inputs.targetArn),
    groups.map((g) => g.state.arn),
    'one gateway deployment per factory group',
  );
  const assets = ofType(dev, 'aws-native:iotsitewise:Asset').map((a) => a.name);
  t.deepEqual(
    assets.sort(),
    [
      ...machines.map((m) => `twins-${m.factoryId}-${m.lineId}-${m.machineId}`),
      ...factories.flatMap((f) => f.lineIds.map((l) => `twins-${f.id}-${l}`)),
      ...factories.map((f) => `twins-${f.id}`),
    ].sort(),
  );
});

test('prod: more shards and zones, longer retention, SageMaker and email behind their flags', (t) => {
  for (const type of [...COMPONENTS, 'smart-factory:maintenance:MaintenanceScoring'])
    t.is(ofType(prod, type).length, 1, type);
  t.is(one(prod, 'awsx:ec2:Vpc').inputs.numberOfAvailabilityZones, 3);
  t.is(one(prod, 'aws:kinesis/stream:Stream').inputs.shardCount, 4);
  t.is(one(dev, 'aws:kinesis/stream:Stream').inputs.shardCount, 1);
  t.is(one(prod, 'aws:kinesis/stream:Stream').inputs.retentionPeriod, 168);
  t.true(ofType(prod, 'aws:cloudwatch/logGroup:LogGroup').every((g) => g.inputs.retentionInDays === 90));
  t.true(
    ofType(live, 'aws:timestreamwrite/table:Table').every(
      (tb) => tb.inputs.retentionProperties.magneticStoreRetentionPeriodInDays === 1825,
    ),
  );
  t.true(none(prod, 'aws-native:quicksight:DataSource'), 'QuickSight reads LiveAnalytics only');
  one(live, 'aws-native:quicksight:DataSource');
  one(live, 'aws-native:quicksight:DataSet');
  one(prod, 'aws:sagemaker/domain:Domain');
  one(prod, 'aws:sagemaker/modelPackageGroup:ModelPackageGroup');
  t.deepEqual(
    ofType(prod, 'aws:sns/topicSubscription:TopicSubscription')
      .filter((s) => s.inputs.protocol === 'email')
      .map((s) => s.inputs.topic)
      .sort(),
    [one(prod, 'aws:sns/topic:Topic', 'insight-alarms'), one(prod, 'aws:sns/topic:Topic', 'processing-notifications')]
      .map((topic) => topic.state.arn)
      .sort(),
    'alarms and notifications are mailed',
  );
  t.true(one(prod, 'aws:dynamodb/table:Table').inputs.deletionProtectionEnabled);
});

for (const which of ['dev', 'prod', 'live'] as const) {
  const d = () => ({ dev, prod, live })[which];

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
        t.deepEqual(
          deployed.inputs.kineses.map((k: any) => [k.streamName, k.partitionKey]),
          [[stream.inputs.name, '${topic(2)}/${topic(3)}/${topic(4)}']],
        );
      } else {
        t.deepEqual(
          deployed.inputs.firehoses.map((f: any) => f.deliveryStreamName),
          [firehose.inputs.name],
        );
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
    // One newline per record, from the rule's separator: Firehose appends none (else blank lines).
    t.deepEqual(
      s3.processingConfiguration.processors.map((p: any) => p.type),
      ['MetadataExtraction'],
    );
    const archiveRule = TOPIC_RULES.find((r) => r.target !== 'kinesis')!;
    t.deepEqual(
      one(d(), 'aws:iot/topicRule:TopicRule', `routing-${archiveRule.name}`).inputs.firehoses.map(
        (f: any) => f.separator,
      ),
      ['\n'],
    );
    const table = one(d(), 'aws:glue/catalogTable:CatalogTable');
    t.is(table.inputs.storageDescriptor.location, `s3://${bucket.state.bucket}/raw/`);
    t.deepEqual(
      table.inputs.partitionKeys.map((k: any) => k.name),
      ['factory', 'date'],
    );
    t.is(table.inputs.parameters['projection.factory.values'], 'f1,f2');
  });

  test(`${which}: stream → process function (bisect, partial batch failures, failures to SQS) → event table, time series, SiteWise`, (t) => {
    const stream = one(d(), 'aws:kinesis/stream:Stream');
    const fn = one(d(), 'aws:lambda/function:Function', 'processing-process');
    const mapping = one(d(), 'aws:lambda/eventSourceMapping:EventSourceMapping', 'processing-process-stream');
    t.is(mapping.inputs.eventSourceArn, stream.state.arn);
    t.is(mapping.inputs.functionName, fn.state.arn);
    t.true(mapping.inputs.bisectBatchOnFunctionError);
    t.deepEqual(mapping.inputs.functionResponseTypes, ['ReportBatchItemFailures']);
    t.is(
      mapping.inputs.destinationConfig.onFailure.destinationArn,
      one(d(), 'aws:sqs/queue:Queue', 'processing-stream-failures').state.arn,
    );
    const table = one(d(), 'aws:dynamodb/table:Table');
    t.is(fn.inputs.environment.variables.EVENT_TABLE, table.inputs.name);
    if (d().config.timeSeriesSink === 'timestream') {
      t.is(
        fn.inputs.environment.variables.TIMESTREAM_DATABASE,
        one(d(), 'aws:timestreamwrite/database:Database').inputs.databaseName,
      );
    }
    t.true(table.inputs.pointInTimeRecovery.enabled);
    // The process function sends no side effect: dispatch does, from the table's stream of commits.
    t.false(
      JSON.stringify(JSON.parse(one(d(), 'aws:iam/rolePolicy:RolePolicy', 'processing-process').inputs.policy)).match(
        /sns:|scheduler:|iotsitewise:/,
      ) !== null,
    );
    // The process role reads exactly this stream and writes exactly this table.
    const policy = JSON.parse(one(d(), 'aws:iam/rolePolicy:RolePolicy', 'processing-process').inputs.policy);
    const bySid = (sid: string) => policy.Statement.find((s: any) => s.Sid === sid);
    t.is(bySid('ReadStream').Resource, stream.state.arn);
    t.is(bySid('EventStore').Resource, table.state.arn);
    if (d().config.timeSeriesSink === 'timestream')
      t.deepEqual(
        bySid('WriteTimeSeries').Resource,
        ofType(d(), 'aws:timestreamwrite/table:Table').map((tb) => tb.state.arn),
      );
    // Every asset of the account's region by one pattern (dispatch writes them): the policy does not grow with the machines.
    const dispatch = JSON.parse(one(d(), 'aws:iam/rolePolicy:RolePolicy', 'processing-dispatch').inputs.policy);
    t.is(
      dispatch.Statement.find((s: any) => s.Sid === 'WriteOee').Resource,
      `arn:aws:iotsitewise:${REGION}:${ACCOUNT}:asset/*`,
    );
    t.is(
      one(d(), 'aws:lambda/function:Function', 'processing-dispatch').inputs.environment.variables
        .SITEWISE_ALIAS_PREFIX,
      `/smart-factory-${which}-factory`,
    );
  });

  test(`${which}: every Lambda is Node 22 on arm64, in the isolated subnets, logging to its own group with retention`, (t) => {
    const subnets = one(d(), 'awsx:ec2:Vpc').state.isolatedSubnetIds as string[];
    const lambdaSg = one(d(), 'aws:ec2/securityGroup:SecurityGroup', 'security-lambda');
    const functions = ofType(d(), 'aws:lambda/function:Function');
    const rotation = d().config.timeSeriesSink === 'influxdb' ? ['influx-token-rotation'] : [];
    t.deepEqual(
      functions.map((f) => f.name).sort(),
      [...FUNCTION_NAMES.map((n) => `processing-${n}`), 'classify-function', ...rotation].sort(),
    );
    for (const fn of functions) {
      t.is(fn.inputs.runtime, 'nodejs22.x');
      t.deepEqual(fn.inputs.architectures, ['arm64']);
      t.deepEqual([...fn.inputs.vpcConfig.subnetIds].sort(), [...subnets].sort(), fn.name);
      t.deepEqual(fn.inputs.vpcConfig.securityGroupIds, [lambdaSg.id]);
      const group = ofType(d(), 'aws:cloudwatch/logGroup:LogGroup').find(
        (g) => g.inputs.name === fn.inputs.loggingConfig.logGroup,
      );
      t.is(group?.inputs.retentionInDays, d().config.logRetentionDays, fn.name);
    }
  });

  test(`${which}: an awsx VPC of isolated subnets without NAT, with an endpoint for every service the functions call (and S3 for training), and no other`, (t) => {
    const vpc = one(d(), 'awsx:ec2:Vpc').inputs;
    t.deepEqual(
      vpc.subnetSpecs.map((s: any) => s.type),
      ['Isolated'],
    );
    t.is(vpc.natGateways.strategy, 'None');
    t.is(vpc.subnetStrategy, 'Auto');
    t.is(vpc.vpcEndpointStrategy, 'Auto', 'awsx puts the endpoints in its subnets and on its route tables');
    const { config } = d();
    const target = { region: REGION, timestreamCell: config.timestreamCell };
    const training = config.sagemaker ? [`com.amazonaws.${REGION}.s3`] : [];
    const services = calledServices(config.timeSeriesSink, config.sagemaker && config.riskModelPublished);
    t.deepEqual(
      vpc.vpcEndpointSpecs.map((e: any) => e.serviceName).sort(),
      [...services.map((s) => ENDPOINTS[s].service(target)), ...training].sort(),
    );
    for (const spec of vpc.vpcEndpointSpecs)
      t.is(spec.privateDnsEnabled, spec.vpcEndpointType === 'Interface' ? true : undefined, spec.serviceName);
    // The interface endpoints get the VPC's default group, taken over to allow HTTPS from the VPC only.
    const endpoints = one(d(), 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup').inputs;
    t.is(endpoints.vpcId, `vpc-security-vpc`);
    t.deepEqual(
      endpoints.ingress.map((r: any) => [r.fromPort, r.cidrBlocks]),
      [[443, [config.vpcCidr]]],
    );
    t.deepEqual(endpoints.egress, []);
  });

  test(`${which}: the outbox: the event table's stream of new commits → dispatch (retried, then parked in SQS), which alone sends alerts, SiteWise values and timers`, (t) => {
    const table = one(d(), 'aws:dynamodb/table:Table');
    t.true(table.inputs.streamEnabled);
    t.is(table.inputs.streamViewType, 'NEW_IMAGE');
    const mapping = one(d(), 'aws:lambda/eventSourceMapping:EventSourceMapping', 'processing-dispatch-commits');
    t.is(mapping.inputs.eventSourceArn, table.state.streamArn);
    t.is(mapping.inputs.functionName, one(d(), 'aws:lambda/function:Function', 'processing-dispatch').state.arn);
    t.deepEqual(JSON.parse(mapping.inputs.filterCriteria.filters[0].pattern), { eventName: ['INSERT'] });
    t.deepEqual(mapping.inputs.functionResponseTypes, ['ReportBatchItemFailures']);
    t.is(
      mapping.inputs.destinationConfig.onFailure.destinationArn,
      one(d(), 'aws:sqs/queue:Queue', 'processing-dispatch-failures').state.arn,
    );
    const policy = JSON.parse(one(d(), 'aws:iam/rolePolicy:RolePolicy', 'processing-dispatch').inputs.policy);
    const actions = policy.Statement.flatMap((x: any) => [x.Action].flat());
    for (const needed of [
      'dynamodb:GetRecords',
      'sns:Publish',
      'iotsitewise:BatchPutAssetPropertyValue',
      'scheduler:CreateSchedule',
      'iam:PassRole',
    ])
      t.true(actions.includes(needed), needed);
    t.false(actions.includes('dynamodb:PutItem'), 'dispatch never writes the event table');
  });

  test(`${which}: every alarm notifies the alarm topic`, (t) => {
    const topic = one(d(), 'aws:sns/topic:Topic', 'insight-alarms');
    const alarms = ofType(d(), 'aws:cloudwatch/metricAlarm:MetricAlarm');
    t.true(alarms.length > 0);
    for (const alarm of alarms) t.deepEqual(alarm.inputs.alarmActions, [topic.state.arn], alarm.name);
    const metrics = alarms
      .filter((a) => a.inputs.metricName !== undefined)
      .map((a) => `${a.inputs.namespace}/${a.inputs.metricName}`);
    const expected = [
      'AWS/Lambda/Errors',
      'AWS/Lambda/Throttles',
      'AWS/Lambda/IteratorAge',
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      ...(d().config.timeSeriesSink === 'timestream' ? ['SmartFactory/TimestreamRejectedRecords'] : []),
    ];
    for (const needed of expected) t.true(metrics.includes(needed), needed);
    // Every function of the stack, every queue where something is parked and every topic rule is watched.
    const watched = (dimension: string) => new Set(alarms.map((a) => a.inputs.dimensions?.[dimension]));
    for (const fn of ofType(d(), 'aws:lambda/function:Function'))
      t.true(watched('FunctionName').has(fn.inputs.name), fn.name);
    for (const queue of ofType(d(), 'aws:sqs/queue:Queue'))
      t.true(watched('QueueName').has(queue.inputs.name), queue.name);
    const queries = alarms.flatMap((a) => (a.inputs.metricQueries ?? []).map((q: any) => String(q.expression)));
    for (const rule of ofType(d(), 'aws:iot/topicRule:TopicRule'))
      t.true(
        queries.some((q) => q.endsWith(`RuleName = '${rule.inputs.name}'`)),
        rule.name,
      );
  });

  test(`${which}: a topic rule's failure alarm reads AWS/IoT Failure by RuleName and ActionType, the dimensions IoT publishes it with`, (t) => {
    for (const rule of TOPIC_RULES) {
      const name = `${rule.name}_${which}`;
      const alarm = ofType(d(), 'aws:cloudwatch/metricAlarm:MetricAlarm').find((a) =>
        (a.inputs.metricQueries ?? []).some((q: any) => String(q.expression).includes(`'${name}'`)),
      );
      t.truthy(alarm, name);
      t.is(alarm?.inputs.dimensions, undefined, 'no RuleName-only metric');
      t.deepEqual(
        alarm?.inputs.metricQueries.map((q: any) => [q.expression, q.period, q.returnData]),
        [[`SELECT SUM(Failure) FROM SCHEMA("AWS/IoT", ActionType, RuleName) WHERE RuleName = '${name}'`, 300, true]],
      );
      t.is(alarm?.inputs.period, undefined, "the period is the query's");
    }
  });

  test(`${which}: a failed timer is not lost: Scheduler invokes it asynchronously, Lambda retries, then the event goes to the timer failure queue`, (t) => {
    const invokeConfig = one(d(), 'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig');
    const queue = one(d(), 'aws:sqs/queue:Queue', 'processing-timer-failures');
    t.is(invokeConfig.inputs.functionName, one(d(), 'aws:lambda/function:Function', 'processing-timer').inputs.name);
    t.is(invokeConfig.inputs.destinationConfig.onFailure.destination, queue.state.arn);
    const timerPolicy = JSON.parse(one(d(), 'aws:iam/rolePolicy:RolePolicy', 'processing-timer').inputs.policy);
    t.deepEqual(
      timerPolicy.Statement.filter((x: any) => x.Sid === 'TimerFailures').map((x: any) => x.Resource),
      [queue.state.arn],
      "Lambda sends to the destination with the function's role",
    );
    t.true(
      ofType(d(), 'aws:cloudwatch/metricAlarm:MetricAlarm').some(
        (a) => a.inputs.dimensions?.QueueName === queue.inputs.name,
      ),
      'its depth is alarmed',
    );
  });

  test(`${which}: least privilege: the timer role has no Scheduler action, every role may describe the subnets its ENIs go in`, (t) => {
    const timer = JSON.parse(one(d(), 'aws:iam/rolePolicy:RolePolicy', 'processing-timer').inputs.policy);
    t.false(
      timer.Statement.some((x: any) =>
        [x.Action].flat().some((a: string) => a.startsWith('scheduler:') || a === 'iam:PassRole'),
      ),
    );
    for (const fn of FUNCTION_NAMES) {
      const policy = JSON.parse(one(d(), 'aws:iam/rolePolicy:RolePolicy', `processing-${fn}`).inputs.policy);
      t.true(
        policy.Statement.find((x: any) => x.Sid === 'VpcNetworkInterfaces').Action.includes('ec2:DescribeSubnets'),
        fn,
      );
    }
  });

  test(`${which}: stack-scoped names: SiteWise aliases, the gateway component and every named resource carry the stack; thing names are claimed per account`, (t) => {
    for (const asset of ofType(d(), 'aws-native:iotsitewise:Asset').filter(
      (a) => a.inputs.assetProperties !== undefined,
    )) {
      for (const p of asset.inputs.assetProperties)
        t.true(String(p.alias).startsWith(`/smart-factory-${which}-factory/`), p.alias);
    }
    const recipe = JSON.parse(one(d(), 'aws-native:greengrassv2:ComponentVersion').inputs.inlineRecipe);
    t.is(recipe.ComponentName, `com.smartfactory.Gateway.smart-factory-${which}`);
    for (const x of ofType(d(), 'aws-native:greengrassv2:Deployment'))
      t.deepEqual(Object.keys(x.inputs.components), [recipe.ComponentName]);
    // Thing names are the wire identity, the same in every stack: the first stack of an account claims them.
    const claim = one(d(), 'aws:ssm/parameter:Parameter');
    t.is(claim.inputs.name, '/smart-factory/iot-things-owner');
    t.is(claim.inputs.insecureValue, `smart-factory-${which}-devices`);
  });

  test(`${which}: the IoT policies deployed are domain/policy's, the ones the local broker enforces: the machines' with variables, one literal policy per core device`, (t) => {
    const target = { region: REGION, account: ACCOUNT };
    t.deepEqual(
      JSON.parse(one(d(), 'aws:iot/policy:Policy', 'devices-machine').inputs.policy),
      iotPolicyDocument('machine', target),
    );
    const alias = one(d(), 'aws:iot/roleAlias:RoleAlias').inputs.alias;
    for (const [gatewayId, factoryId] of [
      ['gw-f1', 'f1'],
      ['gw-f2', 'f2'],
    ] as const) {
      const core = one(d(), 'aws:iot/policy:Policy', `devices-core-${gatewayId}`);
      t.deepEqual(
        JSON.parse(core.inputs.policy),
        coreDevicePolicyDocument({ thingName: gatewayId, factoryId }, target, alias),
      );
      t.false(
        core.inputs.policy.includes('${iot:Connection.Thing'),
        "no thing policy variable in a core device's policy",
      );
      t.is(core.inputs.tags.factory, factoryId);
    }
    const press = one(d(), 'aws:iot/thing:Thing', 'devices-f1.l1.press-01');
    t.is(press.inputs.name, 'f1:l1:press-01');
    t.deepEqual(press.inputs.attributes, { factoryId: 'f1', lineId: 'l1', machineId: 'press-01' });
    // The fixture has a CSR for gw-f1 only: it alone gets a certificate, with its own core device policy.
    t.is(
      one(d(), 'aws:iot/policyAttachment:PolicyAttachment').inputs.policy,
      one(d(), 'aws:iot/policy:Policy', 'devices-core-gw-f1').inputs.name,
    );
    t.regex(one(d(), 'aws:iot/certificate:Certificate').inputs.csr, /BEGIN CERTIFICATE REQUEST/);
  });

  test(`${which}: the SiteWise machine model carries the OEE formulas; assets form Factory ▸ Line ▸ Machine`, (t) => {
    const model = one(d(), 'aws-native:iotsitewise:AssetModel', 'twins-machine');
    for (const [name, metric] of Object.entries(OEE_METRICS)) {
      const property = model.inputs.assetModelProperties.find((p: any) => p.name === name);
      t.is(property?.type.metric.expression, metric.expression, name);
    }
    const line = one(d(), 'aws-native:iotsitewise:Asset', 'twins-f1-l1');
    t.deepEqual(
      line.inputs.assetHierarchies.map((h: any) => h.childAssetId),
      ['twins-f1-l1-press-01-asset-id', 'twins-f1-l1-lathe-02-asset-id'],
    );
    const factory = one(d(), 'aws-native:iotsitewise:Asset', 'twins-f1');
    t.deepEqual(
      factory.inputs.assetHierarchies.map((h: any) => h.childAssetId),
      ['twins-f1-l1-asset-id', 'twins-f1-l2-asset-id'],
    );
    const press = one(d(), 'aws-native:iotsitewise:Asset', 'twins-f1-l1-press-01');
    t.true(
      press.inputs.assetProperties.some(
        (p: any) => p.alias === `/smart-factory-${which}-factory/f1/l1/press-01/run_time_s`,
      ),
    );
    // Performance and OEE read the ideal time the process function writes, each part at its product's rate.
    for (const measurement of ['ideal_time_s', 'ideal_good_time_s']) {
      t.truthy(
        model.inputs.assetModelProperties.find((p: any) => p.name === measurement && p.type.typeName === 'Measurement'),
        measurement,
      );
      t.true(
        press.inputs.assetProperties.some(
          (p: any) => p.alias === `/smart-factory-${which}-factory/f1/l1/press-01/${measurement}`,
        ),
        measurement,
      );
    }
  });

  test(`${which}: each machine asset gets the site's ideal cycle time in its attribute (written by pulumi up), not the model's default of 1`, (t) => {
    const invocation = one(d(), 'aws:lambda/invocation:Invocation');
    t.is(invocation.inputs.functionName, one(d(), 'aws:lambda/function:Function', 'processing-attributes').inputs.name);
    const prefix = `/smart-factory-${which}-factory`;
    t.deepEqual(JSON.parse(invocation.inputs.input), {
      values: [
        { alias: `${prefix}/f1/l1/press-01/ideal_cycle_time_s`, value: 1 },
        { alias: `${prefix}/f1/l1/lathe-02/ideal_cycle_time_s`, value: 12.5 },
        { alias: `${prefix}/f1/l2/press-03/ideal_cycle_time_s`, value: 1.2 },
        { alias: `${prefix}/f2/l1/mill-01/ideal_cycle_time_s`, value: 30 },
      ],
    });
    // Each of those aliases is the attribute property of that machine's asset.
    for (const { alias } of JSON.parse(invocation.inputs.input).values) {
      t.true(
        ofType(d(), 'aws-native:iotsitewise:Asset').some((a) =>
          (a.inputs.assetProperties ?? []).some((p: any) => p.alias === alias && p.logicalId === 'idealcycletimes'),
        ),
        alias,
      );
    }
    t.is(
      invocation.inputs.triggers.assets,
      ofType(d(), 'aws-native:iotsitewise:Asset')
        .filter((a) => a.name.split('-').length > 3)
        .map((a) => a.state.assetId)
        .join(','),
      'a replaced asset is written again',
    );
    const policy = JSON.parse(one(d(), 'aws:iam/rolePolicy:RolePolicy', 'processing-attributes').inputs.policy);
    t.deepEqual(
      policy.Statement.filter((x: any) => x.Sid === 'WriteOee').map((x: any) => x.Action),
      [['iotsitewise:BatchPutAssetPropertyValue']],
    );
  });

  test(`${which}: one Greengrass deployment of the gateway component per factory thing group`, (t) => {
    const groups = ofType(d(), 'aws:iot/thingGroup:ThingGroup');
    const deployments = ofType(d(), 'aws-native:greengrassv2:Deployment');
    t.deepEqual(deployments.map((x) => x.inputs.targetArn).sort(), groups.map((g) => g.state.arn).sort());
    const component = `com.smartfactory.Gateway.smart-factory-${which}`;
    for (const x of deployments) t.deepEqual(Object.keys(x.inputs.components), [component]);
    // Each factory's deployment merges its factory id into the gateway configuration.
    t.deepEqual(
      deployments
        .map((x) => JSON.parse(x.inputs.components[component].configurationUpdate.merge))
        .sort((a, b) => a.gateway.factoryId.localeCompare(b.gateway.factoryId)),
      [{ gateway: { factoryId: 'f1' } }, { gateway: { factoryId: 'f2' } }],
    );
  });

  test(`${which}: the component's recipe is edge/greengrass/recipe.yaml, with only its version and its artifacts' bucket set`, (t) => {
    const inline = JSON.parse(one(d(), 'aws-native:greengrassv2:ComponentVersion').inputs.inlineRecipe);
    t.deepEqual(
      inline,
      JSON.parse(
        JSON.stringify(
          gatewayRecipe(`com.smartfactory.Gateway.smart-factory-${which}`, '0.1.0', 'edge-artifacts-bucket'),
        ),
      ),
    );
    const shipped = shippedRecipe();
    // Undo the two settings: what is left is the shipped file, field for field.
    const undone = {
      ...inline,
      ComponentName: shipped.ComponentName,
      ComponentVersion: shipped.ComponentVersion,
      Manifests: inline.Manifests.map((m: any) => ({
        ...m,
        Artifacts: m.Artifacts.map((a: any) => ({
          ...a,
          URI: a.URI.replace('s3://edge-artifacts-bucket/', `s3://${RECIPE_BUCKET_PLACEHOLDER}/`)
            .replace('/0.1.0/', `/${shipped.ComponentVersion}/`)
            .replace(`.smart-factory-${which}/`, '/'),
        })),
      })),
    };
    t.deepEqual(undone, JSON.parse(JSON.stringify(shipped)));
    t.deepEqual(
      inline.Manifests[0].Artifacts.map((a: any) => a.URI),
      [
        `s3://edge-artifacts-bucket/components/com.smartfactory.Gateway.smart-factory-${which}/0.1.0/gateway.mjs`,
        `s3://edge-artifacts-bucket/components/com.smartfactory.Gateway.smart-factory-${which}/0.1.0/package.json`,
      ],
    );
    // Each artifact is uploaded where the recipe looks for it, from the build's output.
    const uploads = ofType(d(), 'aws:s3/bucketObjectv2:BucketObjectv2').filter((o) =>
      o.name.startsWith('edge-gateway-'),
    );
    t.deepEqual(uploads.map((o) => o.inputs.key).sort(), [
      `components/com.smartfactory.Gateway.smart-factory-${which}/0.1.0/gateway.mjs`,
      `components/com.smartfactory.Gateway.smart-factory-${which}/0.1.0/package.json`,
    ]);
  });

  test(`${which}: the policy pack passes on every resource of the stack`, async (t) => {
    const config = { stackKeyArns: [one(d(), 'aws:kms/key:Key').state.arn] };
    for (const policy of RESOURCE_POLICIES)
      t.deepEqual(await runResourcePolicy(policy, d().resources, config), [], policy.name);
    t.deepEqual(await runStackPolicy(everyBucketLockedDown, d().resources), []);
    t.is(one(d(), 'aws:kms/key:Key').inputs.enableKeyRotation, true);
  });

  test(`${which}: every taggable resource carries project and stack; a factory's resources carry factory`, (t) => {
    const tagged = d().resources.filter((r) => r.inputs.tags !== undefined);
    t.true(tagged.length > 60);
    for (const r of tagged) {
      const tags: Record<string, string> = Array.isArray(r.inputs.tags)
        ? Object.fromEntries(r.inputs.tags.map((x: any) => [x.key, x.value]))
        : r.inputs.tags;
      t.is(tags.project, 'smart-factory', r.name);
      t.is(tags.stack, which, r.name);
    }
    for (const type of ['aws:iot/thingGroup:ThingGroup', 'aws-native:greengrassv2:Deployment']) {
      t.deepEqual(
        ofType(d(), type)
          .map((r) => r.inputs.tags.factory)
          .sort(),
        ['f1', 'f2'],
        type,
      );
    }
    const missing = d().resources.filter(
      (r) => r.inputs.tags === undefined && !r.type.startsWith('smart-factory:') && !UNTAGGABLE.has(r.type),
    );
    t.deepEqual(
      missing.map((r) => r.type),
      [],
    );
  });

  test(`${which}: stack outputs name what a user needs`, (t) => {
    const o = d().outputs;
    for (const key of [
      'kmsKeyArn',
      'telemetryStreamName',
      'archiveBucket',
      'eventTableName',
      'alertTopicArn',
      'alarmTopicArn',
      'dashboardName',
      'gatewayComponentArn',
    ]) {
      t.is(typeof o[key], 'string', key);
    }
    t.deepEqual(o.thingNames, [
      'gw-f1',
      'gw-f2',
      'f1:l1:press-01',
      'f1:l1:lathe-02',
      'f1:l2:press-03',
      'f2:l1:mill-01',
    ]);
  });
}

const SERVING_TYPES = [
  'aws:sagemaker/model:Model',
  'aws:sagemaker/endpointConfiguration:EndpointConfiguration',
  'aws:sagemaker/endpoint:Endpoint',
];
const SAGEMAKER_TYPES = ['aws:sagemaker/pipeline:Pipeline', ...SERVING_TYPES];

const noScoring = (d: Deployed, t: ExecutionContext) => {
  t.false((one(d, 'awsx:ec2:Vpc').inputs.vpcEndpointSpecs as any[]).some((e) => e.serviceName.includes('sagemaker')));
  for (const fn of ['process', 'timer']) {
    t.is(
      one(d, 'aws:lambda/function:Function', `processing-${fn}`).inputs.environment.variables.RISK_ENDPOINT_NAME,
      undefined,
    );
    t.false(one(d, 'aws:iam/rolePolicy:RolePolicy', `processing-${fn}`).inputs.policy.includes('sagemaker:'));
  }
};

test('dev (factory:sagemaker false): no training pipeline, model, endpoint, runtime VPC endpoint or scoring grant', (t) => {
  for (const type of SAGEMAKER_TYPES) t.is(ofType(dev, type).length, 0, type);
  noScoring(dev, t);
});

test('prod on a first deploy (sagemaker, no model published yet): the pipeline only — no Model pointing at a model.tar.gz nothing has made', (t) => {
  t.is(ofType(prod, 'aws:sagemaker/pipeline:Pipeline').length, 1);
  for (const type of SERVING_TYPES) t.is(ofType(prod, type).length, 0, type);
  noScoring(prod, t);
  t.is(prod.outputs.riskEndpointName, undefined);
  t.is(typeof prod.outputs.trainingPipelineName, 'string');
});

test('the training role may run the jobs SageMaker Pipelines starts (pipelines-*) and no others', (t) => {
  const policy = JSON.parse(one(prod, 'aws:iam/rolePolicy:RolePolicy', 'maintenance-role').inputs.policy);
  t.is(
    policy.Statement.find((x: any) => x.Sid === 'RunTraining').Resource,
    `arn:aws:sagemaker:${REGION}:${ACCOUNT}:training-job/pipelines-*`,
  );
});

test('factory:riskModelPublished: a serverless endpoint serves the published model, and process and timer score with exactly that endpoint', (t) => {
  const d = live;
  for (const type of SAGEMAKER_TYPES) t.is(ofType(d, type).length, 1, type);
  const key = one(d, 'aws:kms/key:Key').state.arn;
  const bucket = one(d, 'aws:s3/bucket:Bucket', 'routing-archive').state.bucket;
  const endpoint = one(d, 'aws:sagemaker/endpoint:Endpoint');
  const config = one(d, 'aws:sagemaker/endpointConfiguration:EndpointConfiguration');
  const model = one(d, 'aws:sagemaker/model:Model');
  t.is(endpoint.inputs.endpointConfigName, config.inputs.name);
  t.is(config.inputs.kmsKeyArn, key);
  t.deepEqual(
    config.inputs.productionVariants.map((v: any) => [
      v.modelName,
      v.serverlessConfig.memorySizeInMb,
      v.serverlessConfig.maxConcurrency,
    ]),
    [[model.inputs.name, d.config.riskEndpointMemoryMb, d.config.riskEndpointMaxConcurrency]],
  );
  t.regex(model.inputs.primaryContainer.image, /sagemaker-xgboost:1\.7-1$/);
  t.is(model.inputs.primaryContainer.modelDataUrl, `s3://${bucket}/models/maintenance/served/model.tar.gz`);

  const definition = JSON.parse(one(d, 'aws:sagemaker/pipeline:Pipeline').inputs.pipelineDefinition);
  const training = definition.Steps[0].Arguments;
  t.is(definition.Parameters[0].DefaultValue, `s3://${bucket}/training/maintenance/`);
  t.is(training.OutputDataConfig.S3OutputPath, `s3://${bucket}/models/maintenance/`);
  t.deepEqual([training.OutputDataConfig.KmsKeyId, training.ResourceConfig.VolumeKmsKeyId], [key, key]);
  t.deepEqual([...training.VpcConfig.Subnets].sort(), [...one(d, 'awsx:ec2:Vpc').state.isolatedSubnetIds].sort());
  t.is(training.HyperParameters.objective, 'binary:logistic');

  const runtime = (one(d, 'awsx:ec2:Vpc').inputs.vpcEndpointSpecs as any[]).filter(
    (e) => e.serviceName === `com.amazonaws.${REGION}.sagemaker.runtime`,
  );
  t.deepEqual(
    runtime.map((e) => e.vpcEndpointType),
    ['Interface'],
  );
  for (const fn of ['process', 'timer']) {
    t.is(
      one(d, 'aws:lambda/function:Function', `processing-${fn}`).inputs.environment.variables.RISK_ENDPOINT_NAME,
      endpoint.inputs.name,
      fn,
    );
    const statements = JSON.parse(one(d, 'aws:iam/rolePolicy:RolePolicy', `processing-${fn}`).inputs.policy).Statement;
    const scoring = statements.filter((x: any) => String(x.Action).includes('sagemaker:'));
    t.deepEqual(
      scoring.map((x: any) => [x.Action, x.Resource]),
      [[['sagemaker:InvokeEndpoint'], endpoint.state.arn]],
      fn,
    );
  }
  t.false(one(d, 'aws:iam/rolePolicy:RolePolicy', 'processing-notify').inputs.policy.includes('sagemaker:'));
  t.is(d.outputs.riskEndpointName, endpoint.inputs.name);
});

test('influxdb sink (the default): a private InfluxDB in the isolated subnets, its URL with scheme and port, its token in Secrets Manager behind an endpoint', (t) => {
  const d = dev;
  t.true(none(d, 'aws:timestreamwrite/database:Database'));
  t.true(none(d, 'aws:timestreamwrite/table:Table'));
  const influx = one(d, 'aws:timestreaminfluxdb/dbInstance:DbInstance');
  t.false(influx.inputs.publiclyAccessible);
  t.deepEqual([...influx.inputs.vpcSubnetIds].sort(), [...one(d, 'awsx:ec2:Vpc').state.isolatedSubnetIds].sort());
  t.deepEqual(influx.inputs.vpcSecurityGroupIds, [
    one(d, 'aws:ec2/securityGroup:SecurityGroup', 'security-influxdb').id,
  ]);
  const env = one(d, 'aws:lambda/function:Function', 'processing-process').inputs.environment.variables;
  t.is(env.INFLUXDB_URL, `https://${influx.state.endpoint}:8086`);
  t.notThrows(() => new URL(`${env.INFLUXDB_URL}/api/v2/write`));
  const secret = one(d, 'aws:secretsmanager/secret:Secret', 'timeseries-influxdb-token');
  t.is(env.INFLUXDB_TOKEN_SECRET_ARN, secret.state.arn);
  t.is(env.INFLUXDB_TOKEN, undefined, 'no token in the environment');
  t.is(secret.inputs.kmsKeyId, one(d, 'aws:kms/key:Key').state.arn);
  const policy = JSON.parse(one(d, 'aws:iam/rolePolicy:RolePolicy', 'processing-process').inputs.policy);
  t.deepEqual(
    policy.Statement.filter((x: any) => x.Sid === 'ReadInfluxToken').map((x: any) => [x.Action, x.Resource]),
    [[['secretsmanager:GetSecretValue'], secret.state.arn]],
  );
  t.false(policy.Statement.some((x: any) => String(x.Action).includes('timestream')));
  const specs = (one(d, 'awsx:ec2:Vpc').inputs.vpcEndpointSpecs as any[]).map((e) => e.serviceName);
  t.true(specs.includes(`com.amazonaws.${REGION}.secretsmanager`));
  t.false(specs.some((e) => e.includes('timestream')));
  t.false(
    ofType(d, 'aws:cloudwatch/metricAlarm:MetricAlarm').some(
      (a) => a.inputs.metricName === 'TimestreamRejectedRecords',
    ),
  );
});

test('influxdb sink: the stack makes the write token — the token secret is rotated at once by a function that signs in as the admin user, then every 30 days', (t) => {
  const d = dev;
  const secret = one(d, 'aws:secretsmanager/secret:Secret', 'timeseries-influxdb-token');
  const admin = one(d, 'aws:secretsmanager/secret:Secret', 'influx-token-admin');
  const fn = one(d, 'aws:lambda/function:Function', 'influx-token-rotation');
  const rotation = one(d, 'aws:secretsmanager/secretRotation:SecretRotation');
  t.is(rotation.inputs.secretId, secret.id);
  t.is(rotation.inputs.rotationLambdaArn, fn.state.arn);
  t.deepEqual(rotation.inputs.rotationRules, { automaticallyAfterDays: 30 });
  t.true(rotation.inputs.rotateImmediately, 'the first token is made during pulumi up');
  const permission = ofType(d, 'aws:lambda/permission:Permission').find(
    (p) => p.inputs.principal === 'secretsmanager.amazonaws.com',
  );
  t.deepEqual([permission?.inputs.function, permission?.inputs.sourceArn], [fn.inputs.name, secret.state.arn]);
  const env = fn.inputs.environment.variables;
  const influx = one(d, 'aws:timestreaminfluxdb/dbInstance:DbInstance');
  t.deepEqual(env, {
    INFLUXDB_URL: `https://${influx.state.endpoint}:8086`,
    INFLUXDB_ORG: 'smart-factory',
    INFLUXDB_BUCKET: 'telemetry',
    INFLUXDB_ADMIN_SECRET_ARN: admin.state.arn,
  });
  t.deepEqual([...fn.inputs.vpcConfig.subnetIds].sort(), [...one(d, 'awsx:ec2:Vpc').state.isolatedSubnetIds].sort());
  t.is(admin.inputs.kmsKeyId, one(d, 'aws:kms/key:Key').state.arn);
  const policy = JSON.parse(one(d, 'aws:iam/rolePolicy:RolePolicy', 'influx-token-rotation').inputs.policy);
  const bySid = (sid: string) => policy.Statement.find((x: any) => x.Sid === sid);
  t.deepEqual(
    [bySid('RotateToken').Action, bySid('RotateToken').Resource],
    [
      [
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      secret.state.arn,
    ],
  );
  t.deepEqual(
    [bySid('ReadAdmin').Action, bySid('ReadAdmin').Resource],
    [['secretsmanager:GetSecretValue'], admin.state.arn],
  );
});

test("timestream sink (an account that has LiveAnalytics): the process function writes to its cell's endpoint, reached through that cell's VPC endpoint", (t) => {
  const env = one(live, 'aws:lambda/function:Function', 'processing-process').inputs.environment.variables;
  t.is(env.TIMESTREAM_INGEST_ENDPOINT, `https://ingest-cell2.timestream.${REGION}.amazonaws.com`);
  // Given its endpoint, the function never discovers one: no DescribeEndpoints grant (an action only granted on "*").
  t.false(
    one(live, 'aws:iam/rolePolicy:RolePolicy', 'processing-process').inputs.policy.includes(
      'timestream:DescribeEndpoints',
    ),
  );
  const specs = (one(live, 'awsx:ec2:Vpc').inputs.vpcEndpointSpecs as any[]).map((e) => e.serviceName);
  t.deepEqual(
    specs.filter((e) => e.includes('timestream')),
    [`com.amazonaws.${REGION}.timestream.ingest-cell2`],
  );
  t.true(none(live, 'aws:secretsmanager/secret:Secret'));
  t.true(none(live, 'aws:secretsmanager/secretRotation:SecretRotation'));
});

test("the process role's policy does not grow with the site: 150 machines fit IAM's 10,240-character inline policy limit", async (t) => {
  const machines = Array.from({ length: 150 }, (_, i) => ({
    factoryId: 'f1',
    lineId: `l${i % 10}`,
    machineId: `machine-${String(i).padStart(3, '0')}`,
    type: 'press',
    idealCycleTimeS: 1,
  }));
  const site: SiteTopology = {
    factories: [
      { id: 'f1', name: 'Big plant', lineIds: [...new Set(machines.map((m) => m.lineId))], gatewayIds: ['gw-f1'] },
    ],
    machines,
    metrics: {},
  };
  const big = await deploy('big', 'dev', {}, site);
  const policy = one(big, 'aws:iam/rolePolicy:RolePolicy', 'processing-process').inputs.policy as string;
  t.true(policy.replace(/\s/g, '').length < 10_240, `${policy.length} characters`);
  // 'big' and 'dev' are names of one length: the 150-machine policy is the 4-machine one, character for character.
  t.is(policy.length, (one(dev, 'aws:iam/rolePolicy:RolePolicy', 'processing-process').inputs.policy as string).length);
});

test('the program entry refuses a bad stack configuration before creating anything, naming the key', async (t) => {
  const pulumi = await import('@pulumi/pulumi');
  const { default: main } = await import('./index.ts');
  const before = live.resources.length;
  pulumi.runtime.setAllConfig({ 'factory:kinesisShards': '0' });
  const error = await t.throwsAsync(main());
  t.regex(
    error?.message ?? '',
    /the stack configuration is invalid:\nfactory:kinesisShards: expected a whole number >= 1, got 0/,
  );
  t.is(live.resources.length, before);
});
