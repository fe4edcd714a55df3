// The smart-factory platform: every component of the stack, composed from one decoded stack
// configuration. infra/index.ts (the program Pulumi runs) calls it; the stack tests call it under
// `pulumi.runtime.setMocks`.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from './config.ts';
import { Devices } from './devices.ts';
import { Edge } from './edge.ts';
import { Insight } from './insight.ts';
import { MaintenanceScoring } from './maintenanceScoring.ts';
import { bucketRef } from './privateBucket.ts';
import { Processing } from './processing.ts';
import { ClassifyApi } from './classifyApi.ts';
import { Routing } from './routing.ts';
import { Security } from './security.ts';
import { loadSiteTopology, type SiteTopology } from './siteTopology.ts';
import type { StackIdentity } from './tagging.ts';
import { InfluxToken } from './influxToken.ts';
import { INFLUX_ADMIN_USER, INFLUX_BUCKET, INFLUX_ORG, TimeSeries } from './timeSeries.ts';
import { aliasPrefix, machineAttributeValues, Twins } from './twins.ts';

/** The version of the gateway component this release deploys (Greengrass versions are immutable). */
export const GATEWAY_COMPONENT_VERSION = '0.1.0';

export type FactoryPlatform = {
  readonly security: Security;
  readonly devices: Devices;
  readonly routing: Routing;
  readonly timeSeries: TimeSeries;
  /** influxdb sink: the write token's rotation (and so its first token). */
  readonly influxToken: InfluxToken | undefined;
  readonly twins: Twins;
  /** pulumi up's write of each machine asset's attribute values (twins.ts machineAttributeValues). */
  readonly attributes: aws.lambda.Invocation;
  readonly processing: Processing;
  readonly classifyApi: ClassifyApi;
  readonly edge: Edge;
  readonly insight: Insight;
  /** factory:sagemaker: training pipeline and serverless risk endpoint. */
  readonly maintenanceScoring: MaintenanceScoring | undefined;
  /** What `pulumi stack output` shows. */
  readonly outputs: Readonly<Record<string, pulumi.Input<unknown>>>;
};

export const createFactoryPlatform = (
  config: StackConfig,
  site: SiteTopology = loadSiteTopology(config.siteConfig),
): FactoryPlatform => {
  const identity: StackIdentity = { project: pulumi.getProject(), stack: pulumi.getStack() };
  const account = aws.getCallerIdentityOutput().accountId;
  const region = aws.getRegionOutput().region;
  const target = { account, region };

  // The risk endpoint exists once a model is published (factory:riskModelPublished), not before.
  const riskEndpoint = config.sagemaker && config.riskModelPublished;
  const security = new Security('security', {
    identity,
    target,
    endpointTarget: { region: config.region, timestreamCell: config.timestreamCell },
    vpcCidr: config.vpcCidr,
    availabilityZones: config.availabilityZones,
    timeSeriesSink: config.timeSeriesSink,
    riskEndpoint,
    training: config.sagemaker,
  });
  const keyArn = security.key.arn;
  const subnetIds = security.subnetIds;

  const devices = new Devices('devices', { identity, target, site, certificateCsrDir: config.certificateCsrDir });
  const routing = new Routing('routing', {
    identity,
    keyArn,
    factoryIds: site.factories.map((f) => f.id),
    kinesisShards: config.kinesisShards,
    kinesisRetentionHours: config.kinesisRetentionHours,
    archiveRetentionDays: config.archiveRetentionDays,
  });
  const timeSeries = new TimeSeries('timeseries', {
    identity,
    sink: config.timeSeriesSink,
    keyArn,
    rejectedRecordsBucketName: routing.archiveBucket.bucket,
    region: config.region,
    timestreamCell: config.timestreamCell,
    memoryRetentionHours: config.timestreamMemoryRetentionHours,
    magneticRetentionDays: config.timestreamMagneticRetentionDays,
    influxdb:
      config.timeSeriesSink === 'influxdb' && security.databaseSecurityGroup !== undefined
        ? {
            instanceType: config.influxdbInstanceType,
            password: config.influxdbPassword ?? '',
            subnetIds,
            securityGroupId: security.databaseSecurityGroup.id,
          }
        : undefined,
  });
  const twins = new Twins('twins', { identity, site });
  // The influxdb sink's write token: made by the first rotation during pulumi up, rotated every 30 days.
  const influxToken =
    timeSeries.influxdb === undefined || timeSeries.influxTokenSecret === undefined
      ? undefined
      : new InfluxToken(
          'influx-token',
          {
            identity,
            keyArn,
            tokenSecretArn: timeSeries.influxTokenSecret.arn,
            influx: {
              url: timeSeries.environment.INFLUXDB_URL!,
              org: INFLUX_ORG,
              bucket: INFLUX_BUCKET,
              username: INFLUX_ADMIN_USER,
              password: pulumi.secret(config.influxdbPassword ?? ''),
            },
            subnetIds,
            securityGroupId: security.lambdaSecurityGroup.id,
            lambdaAssetDir: config.lambdaAssetDir,
            logRetentionDays: config.logRetentionDays,
          },
          { dependsOn: [timeSeries.influxdb] },
        );
  const maintenanceScoring = config.sagemaker
    ? new MaintenanceScoring('maintenance', {
        identity,
        target,
        keyArn,
        archiveBucket: bucketRef(routing.archiveBucket),
        vpcId: security.vpcId,
        subnetIds,
        s3ServiceName: `com.amazonaws.${config.region}.s3`,
        memoryMb: config.riskEndpointMemoryMb,
        maxConcurrency: config.riskEndpointMaxConcurrency,
        modelPublished: config.riskModelPublished,
      })
    : undefined;
  const processing = new Processing('processing', {
    identity,
    target,
    keyArn,
    subnetIds,
    securityGroupId: security.lambdaSecurityGroup.id,
    streamArn: routing.stream.arn,
    sink: config.timeSeriesSink,
    sinkEnvironment: timeSeries.environment,
    timestreamTableArns: timeSeries.tables.map((t) => t.arn),
    influxTokenSecretArn: timeSeries.influxTokenSecret?.arn,
    sitewiseAliasPrefix: aliasPrefix(identity),
    lambdaAssetDir: config.lambdaAssetDir,
    memoryMb: config.lambdaMemoryMb,
    batchSize: config.processBatchSize,
    logRetentionDays: config.logRetentionDays,
    alertEmail: config.alarmEmail,
    riskEndpoint:
      maintenanceScoring?.serving === undefined
        ? undefined
        : { name: maintenanceScoring.serving.endpoint.name, arn: maintenanceScoring.serving.endpoint.arn },
  });
  // Every machine's ideal cycle time into its asset's attribute: written by a call, as SiteWise takes
  // attribute values, again whenever the site changes them (a new input is a new invocation) or an
  // asset is replaced (a new asset starts from the model's default).
  const attributes = new aws.lambda.Invocation(
    'twins-attributes',
    {
      functionName: processing.functions.attributes.name,
      input: JSON.stringify({ values: machineAttributeValues(identity, site) }),
      triggers: { assets: pulumi.all(twins.machineAssets.map((a) => a.assetId)).apply((ids) => ids.join(',')) },
    },
    { dependsOn: [...twins.machineAssets, processing.functions.attributes] },
  );
  // Reason coding after the fact: `POST /classify`, IAM-authorized, appends to the machine streams.
  const classifyApi = new ClassifyApi('classify', {
    identity,
    keyArn,
    eventTableArn: processing.eventTable.arn,
    eventTableName: processing.eventTable.name,
    subnetIds,
    securityGroupId: security.lambdaSecurityGroup.id,
    lambdaAssetDir: config.lambdaAssetDir,
    logRetentionDays: config.logRetentionDays,
  });
  const edge = new Edge('edge', {
    identity,
    keyArn,
    gatewayAssetDir: config.gatewayAssetDir,
    componentVersion: GATEWAY_COMPONENT_VERSION,
    thingGroupArns: Object.fromEntries(Object.entries(devices.thingGroups).map(([id, group]) => [id, group.arn])),
  });
  const insight = new Insight('insight', {
    identity,
    region,
    account,
    keyArn,
    alarmEmail: config.alarmEmail,
    functionNames: processing.functionNames,
    otherFunctionNames: {
      classify: classifyApi.function.name,
      ...(influxToken === undefined ? {} : { 'influx-token': influxToken.function.name }),
    },
    streamConsumer: 'process',
    queueNames: [
      routing.errorQueue,
      processing.deadLetterQueue,
      processing.streamFailureQueue,
      processing.timerFailureQueue,
      processing.dispatchFailureQueue,
    ].map((queue) => queue.name),
    topicRuleNames: routing.topicRules.map((rule) => rule.name),
    streamName: routing.stream.name,
    iteratorAgeAlarmMs: config.iteratorAgeAlarmMs,
    timestream: timeSeries.database === undefined ? undefined : { databaseName: timeSeries.database.databaseName },
    quicksight: config.quicksight ? { principalArn: config.quicksightPrincipalArn } : undefined,
    sagemaker: config.sagemaker
      ? {
          vpcId: security.vpcId,
          subnetIds,
          securityGroupId: security.lambdaSecurityGroup.id,
          archiveBucket: bucketRef(routing.archiveBucket),
        }
      : undefined,
  });

  const outputs = {
    kmsKeyArn: keyArn,
    vpcId: security.vpcId,
    iotPolicyNames: Object.fromEntries(Object.entries(devices.policies).map(([role, p]) => [role, p.name])),
    thingNames: Object.keys(devices.things),
    gatewayCertificatePems: pulumi.secret(
      Object.fromEntries(Object.entries(devices.certificates).map(([thing, c]) => [thing, c.certificatePem])),
    ),
    telemetryStreamName: routing.stream.name,
    archiveBucket: routing.archiveBucket.bucket,
    archiveGlueTable: routing.glueTable.name,
    ruleErrorQueueUrl: routing.errorQueue.url,
    deadLetterQueueUrl: processing.deadLetterQueue.url,
    eventTableName: processing.eventTable.name,
    alertTopicArn: processing.alertTopic.arn,
    classifyUrl: classifyApi.url,
    classifyRouteArn: classifyApi.routeArn,
    alarmTopicArn: insight.alarmTopic.arn,
    dashboardName: insight.dashboard.dashboardName,
    timeSeries: timeSeries.environment,
    gatewayComponentArn: edge.component.arn,
    gatewayRoleAlias: edge.roleAlias.alias,
    ...(timeSeries.influxTokenSecret === undefined
      ? {}
      : {
          influxdbTokenSecretName: timeSeries.influxTokenSecret.name,
          influxdbUrl: timeSeries.environment.INFLUXDB_URL,
        }),
    ...(maintenanceScoring === undefined ? {} : { trainingPipelineName: maintenanceScoring.pipeline.pipelineName }),
    ...(maintenanceScoring?.serving === undefined
      ? {}
      : { riskEndpointName: maintenanceScoring.serving.endpoint.name }),
  };
  return {
    security,
    devices,
    routing,
    timeSeries,
    influxToken,
    twins,
    attributes,
    processing,
    classifyApi,
    edge,
    insight,
    maintenanceScoring,
    outputs,
  };
};
