// The stack's security base: one customer-managed KMS key every store is encrypted with, and a VPC
// (awsx.ec2.Vpc) of isolated subnets only — no internet gateway, no NAT — whose way out is VPC
// endpoints, one per service the Lambda functions (lambdaServices.ts) and SageMaker training call.
import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import * as pulumi from '@pulumi/pulumi';
import { policyDocument } from './iamDocument.ts';
import {
  calledServices,
  ENDPOINTS,
  type EndpointTarget,
  type ServiceCall,
  type TimeSeriesSink,
} from './lambdaServices.ts';
import { resourceName, stackTags, type StackIdentity } from './tagging.ts';

export type AwsTarget = { readonly region: pulumi.Input<string>; readonly account: pulumi.Input<string> };

export type SecurityArgs = {
  readonly identity: StackIdentity;
  readonly target: AwsTarget;
  /** The stack's region (aws:region) and Timestream cell: endpoint service names are plain strings in awsx. */
  readonly endpointTarget: EndpointTarget;
  readonly vpcCidr: string;
  readonly availabilityZones: number;
  readonly timeSeriesSink: TimeSeriesSink;
  /** factory:sagemaker: the functions call the risk endpoint, through a sagemaker.runtime endpoint. */
  readonly riskEndpoint?: boolean;
  /** factory:sagemaker: training in the private subnets reads and writes S3 through a gateway endpoint. */
  readonly training?: boolean;
};

/** A VPC endpoint the stack makes, named for what calls through it. */
export type EndpointNeed = {
  readonly call: ServiceCall | 's3';
  readonly kind: 'Gateway' | 'Interface';
  readonly serviceName: string;
};

export const endpointNeeds = (
  args: Pick<SecurityArgs, 'endpointTarget' | 'timeSeriesSink' | 'riskEndpoint' | 'training'>,
): readonly EndpointNeed[] => [
  ...calledServices(args.timeSeriesSink, args.riskEndpoint ?? false).map((call) => ({
    call,
    kind: ENDPOINTS[call].kind,
    serviceName: ENDPOINTS[call].service(args.endpointTarget),
  })),
  ...(args.training === true
    ? [{ call: 's3' as const, kind: 'Gateway' as const, serviceName: `com.amazonaws.${args.endpointTarget.region}.s3` }]
    : []),
];

/** The /20 subnets of the /16: one isolated subnet per availability zone. */
export const SUBNET_MASK = 20;

export class Security extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly vpc: awsx.ec2.Vpc;
  readonly vpcId: pulumi.Output<string>;
  /** The isolated subnets, one per availability zone. */
  readonly subnetIds: pulumi.Output<string[]>;
  readonly lambdaSecurityGroup: aws.ec2.SecurityGroup;
  /** The VPC's default security group, which the interface endpoints get: HTTPS from inside the VPC only. */
  readonly endpointSecurityGroup: aws.ec2.DefaultSecurityGroup;
  readonly endpoints: readonly EndpointNeed[];
  /** Present with the influxdb sink: InfluxDB's port, from inside the VPC only. */
  readonly databaseSecurityGroup: aws.ec2.SecurityGroup | undefined;

  constructor(name: string, args: SecurityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:security:Security', name, {}, opts);
    const tags = stackTags(args.identity);
    const { region, account } = args.target;
    const root = pulumi.interpolate`arn:aws:iam::${account}:root`;

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `${resourceName(args.identity, 'data')}: encrypts every store of the stack`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        // In a key policy `Resource: "*"` means "this key" (AWS KMS key policy docs); it cannot be
        // narrower. The account statement is AWS's default: without it IAM policies cannot grant use
        // of the key and the key becomes unmanageable.
        policy: policyDocument([
          { Sid: 'EnableIamPolicies', Principal: { AWS: root }, Action: ['kms:*'], Resource: '*' },
          {
            Sid: 'CloudWatchLogsEncrypt',
            Principal: { Service: pulumi.interpolate`logs.${region}.amazonaws.com` },
            Action: [
              'kms:Encrypt',
              'kms:Decrypt',
              'kms:ReEncryptFrom',
              'kms:ReEncryptTo',
              'kms:GenerateDataKey',
              'kms:GenerateDataKeyWithoutPlaintext',
              'kms:DescribeKey',
            ],
            Resource: '*',
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': pulumi.interpolate`arn:aws:logs:${region}:${account}:log-group:/aws/lambda/${args.identity.project}-${args.identity.stack}-*`,
              },
            },
          },
          {
            // CloudWatch alarms publish to the KMS-encrypted alarm topic.
            Sid: 'CloudWatchAlarmsPublish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': account } },
          },
        ]),
        tags,
      },
      { parent: this },
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { name: `alias/${resourceName(args.identity, 'data')}`, targetKeyId: this.key.keyId },
      { parent: this },
    );

    this.endpoints = endpointNeeds(args);
    // awsx lays out one isolated /20 per zone and, with the Auto endpoint strategy, puts each interface
    // endpoint in those subnets and each gateway endpoint on their route tables.
    this.vpc = new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.vpcCidr,
        numberOfAvailabilityZones: args.availabilityZones,
        // Interface endpoints answer the services' public names only with private DNS on.
        enableDnsHostnames: true,
        enableDnsSupport: true,
        subnetStrategy: 'Auto',
        subnetSpecs: [{ type: 'Isolated', name: 'private', cidrMask: SUBNET_MASK, tags: { ...tags, tier: 'private' } }],
        natGateways: { strategy: 'None' },
        vpcEndpointStrategy: 'Auto',
        vpcEndpointSpecs: this.endpoints.map((e) => ({
          serviceName: e.serviceName,
          vpcEndpointType: e.kind,
          ...(e.kind === 'Interface' ? { privateDnsEnabled: true } : {}),
          tags: { ...tags, Name: resourceName(args.identity, e.call) },
        })),
        tags: { ...tags, Name: resourceName(args.identity, 'vpc') },
      },
      { parent: this },
    );
    this.vpcId = this.vpc.vpcId;
    this.subnetIds = this.vpc.isolatedSubnetIds;

    // Interface endpoints made by the VPC component get the VPC's default security group (their specs
    // cannot name a group of this VPC before it exists): it is taken over here and allows HTTPS from
    // inside the VPC, nothing else in or out.
    this.endpointSecurityGroup = new aws.ec2.DefaultSecurityGroup(
      `${name}-endpoints`,
      {
        vpcId: this.vpcId,
        ingress: [
          {
            protocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            cidrBlocks: [args.vpcCidr],
            description: 'HTTPS to the interface endpoints from the private subnets',
          },
        ],
        egress: [],
        tags: { ...tags, Name: resourceName(args.identity, 'endpoints') },
      },
      { parent: this },
    );

    // Gateway endpoints are reached through their service's managed prefix list.
    const gatewayPrefixLists = this.endpoints
      .filter((e) => e.kind === 'Gateway' && e.call !== 's3')
      .map((e) => aws.ec2.getPrefixListOutput({ name: e.serviceName }, { parent: this }).id);

    this.lambdaSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-lambda`,
      {
        vpcId: this.vpcId,
        description: 'Lambda functions: no inbound; outbound HTTPS to the VPC endpoints only',
        egress: [
          {
            protocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            cidrBlocks: [args.vpcCidr],
            description: 'interface endpoints',
          },
          {
            protocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            prefixListIds: gatewayPrefixLists,
            description: 'gateway endpoints',
          },
          // InfluxDB (when it is the sink) listens inside the VPC on 8086.
          ...(args.timeSeriesSink === 'influxdb'
            ? [
                {
                  protocol: 'tcp',
                  fromPort: 8086,
                  toPort: 8086,
                  cidrBlocks: [args.vpcCidr],
                  description: 'Timestream for InfluxDB',
                },
              ]
            : []),
        ],
        tags,
      },
      { parent: this },
    );

    this.databaseSecurityGroup =
      args.timeSeriesSink === 'influxdb'
        ? new aws.ec2.SecurityGroup(
            `${name}-influxdb`,
            {
              vpcId: this.vpcId,
              description: 'Timestream for InfluxDB: port 8086 from the private subnets only',
              ingress: [
                {
                  protocol: 'tcp',
                  fromPort: 8086,
                  toPort: 8086,
                  cidrBlocks: [args.vpcCidr],
                  description: 'InfluxDB API from the Lambda functions',
                },
              ],
              tags,
            },
            { parent: this },
          )
        : undefined;

    this.registerOutputs({ keyArn: this.key.arn, vpcId: this.vpcId, privateSubnetIds: this.subnetIds });
  }
}
