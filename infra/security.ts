// The stack's security base: one customer-managed KMS key every store is encrypted with, and a VPC
// of private subnets only (no internet gateway, no NAT) whose way out is VPC endpoints, one per
// service the Lambda functions call (lambdaServices.ts).
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { policyDocument } from './iamDocument.ts';
import { calledServices, ENDPOINTS, type TimeSeriesSink } from './lambdaServices.ts';
import { resourceName, stackTags, type StackIdentity } from './tagging.ts';

export type AwsTarget = { readonly region: pulumi.Input<string>; readonly account: pulumi.Input<string> };

export type SecurityArgs = {
  readonly identity: StackIdentity;
  readonly target: AwsTarget;
  readonly vpcCidr: string;
  readonly availabilityZones: number;
  readonly timeSeriesSink: TimeSeriesSink;
  /** factory:sagemaker: the functions call the risk endpoint, through a sagemaker.runtime endpoint. */
  readonly riskEndpoint?: boolean;
};

/** `10.20.0.0/16` → its i-th /20 (16 of them; we use at most 3). */
export const subnetCidr = (vpcCidr: string, index: number): string => {
  const [a, b] = vpcCidr.split('.');
  return `${a}.${b}.${index * 16}.0/20`;
};

export class Security extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly vpc: aws.ec2.Vpc;
  readonly privateSubnets: aws.ec2.Subnet[];
  readonly lambdaSecurityGroup: aws.ec2.SecurityGroup;
  readonly endpointSecurityGroup: aws.ec2.SecurityGroup;
  readonly endpoints: aws.ec2.VpcEndpoint[];
  readonly privateRouteTable: aws.ec2.RouteTable;
  /** Present with the influxdb sink: InfluxDB's port, from inside the VPC only. */
  readonly databaseSecurityGroup: aws.ec2.SecurityGroup | undefined;

  constructor(name: string, args: SecurityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:security:Security', name, {}, opts);
    const tags = stackTags(args.identity);
    const { region, account } = args.target;
    const root = pulumi.interpolate`arn:aws:iam::${account}:root`;

    this.key = new aws.kms.Key(`${name}-key`, {
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
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': pulumi.interpolate`arn:aws:logs:${region}:${account}:log-group:/aws/lambda/${args.identity.project}-${args.identity.stack}-*` } },
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
    }, { parent: this });
    new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${resourceName(args.identity, 'data')}`, targetKeyId: this.key.keyId }, { parent: this });

    this.vpc = new aws.ec2.Vpc(`${name}-vpc`, {
      cidrBlock: args.vpcCidr,
      // Interface endpoints answer the services' public names only with private DNS on.
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { ...tags, Name: resourceName(args.identity, 'vpc') },
    }, { parent: this });

    const zones = aws.getAvailabilityZonesOutput({ state: 'available' }, { parent: this });
    const routeTable = new aws.ec2.RouteTable(`${name}-private`, { vpcId: this.vpc.id, tags: { ...tags, Name: resourceName(args.identity, 'private') } }, { parent: this });
    this.privateSubnets = Array.from({ length: args.availabilityZones }, (_, i) => {
      const subnet = new aws.ec2.Subnet(`${name}-private-${i}`, {
        vpcId: this.vpc.id,
        cidrBlock: subnetCidr(args.vpcCidr, i),
        availabilityZone: zones.names.apply((names) => names[i % names.length] ?? `${i}`),
        mapPublicIpOnLaunch: false,
        tags: { ...tags, Name: resourceName(args.identity, `private-${i}`), tier: 'private' },
      }, { parent: this });
      new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: routeTable.id }, { parent: this });
      return subnet;
    });

    this.endpointSecurityGroup = new aws.ec2.SecurityGroup(`${name}-endpoints`, {
      vpcId: this.vpc.id,
      description: 'Interface VPC endpoints: HTTPS from inside the VPC only',
      ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [args.vpcCidr], description: 'HTTPS from the private subnets' }],
      tags,
    }, { parent: this });

    this.privateRouteTable = routeTable;
    const services = calledServices(args.timeSeriesSink, args.riskEndpoint ?? false);
    this.endpoints = services.map((service) => {
      const spec = ENDPOINTS[service];
      return new aws.ec2.VpcEndpoint(`${name}-${service}`, {
        vpcId: this.vpc.id,
        serviceName: pulumi.output(region).apply(spec.service),
        vpcEndpointType: spec.kind,
        ...(spec.kind === 'Gateway'
          ? { routeTableIds: [routeTable.id] }
          : { subnetIds: this.privateSubnets.map((s) => s.id), securityGroupIds: [this.endpointSecurityGroup.id], privateDnsEnabled: true }),
        tags: { ...tags, Name: resourceName(args.identity, service) },
      }, { parent: this });
    });
    const gatewayPrefixLists = this.endpoints.filter((_, i) => ENDPOINTS[services[i]!].kind === 'Gateway').map((e) => e.prefixListId);

    this.lambdaSecurityGroup = new aws.ec2.SecurityGroup(`${name}-lambda`, {
      vpcId: this.vpc.id,
      description: 'Lambda functions: no inbound; outbound HTTPS to the VPC endpoints only',
      egress: [
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [args.vpcCidr], description: 'interface endpoints' },
        { protocol: 'tcp', fromPort: 443, toPort: 443, prefixListIds: gatewayPrefixLists, description: 'gateway endpoints' },
        // InfluxDB (when it is the sink) listens inside the VPC on 8086.
        ...(args.timeSeriesSink === 'influxdb' ? [{ protocol: 'tcp', fromPort: 8086, toPort: 8086, cidrBlocks: [args.vpcCidr], description: 'Timestream for InfluxDB' }] : []),
      ],
      tags,
    }, { parent: this });

    this.databaseSecurityGroup = args.timeSeriesSink === 'influxdb'
      ? new aws.ec2.SecurityGroup(`${name}-influxdb`, {
        vpcId: this.vpc.id,
        description: 'Timestream for InfluxDB: port 8086 from the private subnets only',
        ingress: [{ protocol: 'tcp', fromPort: 8086, toPort: 8086, cidrBlocks: [args.vpcCidr], description: 'InfluxDB API from the Lambda functions' }],
        tags,
      }, { parent: this })
      : undefined;

    this.registerOutputs({ keyArn: this.key.arn, vpcId: this.vpc.id, privateSubnetIds: this.privateSubnets.map((s) => s.id) });
  }
}
