// Test support: runs the program under Pulumi mocks and records every resource registered, with
// its inputs (what the engine would send to the provider) and the outputs the mock made up. Mock
// outputs are deterministic ARNs and ids, so the tests can follow wiring: the ARN a rule targets is
// the ARN the stream was given.
import * as pulumi from '@pulumi/pulumi';
// Not in the typings, but the runtime's own helper: resolves when every outstanding registration has answered.
import * as settings from '@pulumi/pulumi/runtime/settings.js';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-central-1';

export type RecordedResource = {
  readonly type: string;
  readonly name: string;
  readonly id: string;
  readonly inputs: Record<string, any>;
  readonly state: Record<string, any>;
};

const serviceOf = (type: string): string => type.split(':')[1]?.split('/')[0] ?? 'unknown';

const outputsFor = (
  type: string,
  name: string,
  inputs: Record<string, any>,
): { id: string; state: Record<string, any> } => {
  const physical = String(inputs.name ?? name);
  const arn = `arn:aws:${serviceOf(type)}:${REGION}:${ACCOUNT}:${physical}`;
  switch (type) {
    case 'aws:kms/key:Key':
      return {
        id: `${name}-key-id`,
        state: { arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${name}-key-id`, keyId: `${name}-key-id` },
      };
    case 'aws:s3/bucket:Bucket':
      return { id: `${name}-bucket`, state: { bucket: `${name}-bucket`, arn: `arn:aws:s3:::${name}-bucket` } };
    case 'aws:sqs/queue:Queue':
      return {
        id: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${physical}`,
        state: {
          arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${physical}`,
          url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${physical}`,
        },
      };
    case 'aws:ec2/vpcEndpoint:VpcEndpoint':
      return { id: `${name}-id`, state: { prefixListId: `pl-${name}`, arn } };
    case 'aws:iot/certificate:Certificate':
      return {
        id: `${name}-id`,
        state: {
          arn: `arn:aws:iot:${REGION}:${ACCOUNT}:cert/${name}`,
          certificatePem: `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----`,
        },
      };
    case 'aws-native:iotsitewise:AssetModel':
      return { id: `${name}-id`, state: { assetModelId: `${name}-model-id`, assetModelArn: arn } };
    case 'aws-native:iotsitewise:Asset':
      return {
        id: `${name}-id`,
        state: {
          assetId: `${name}-asset-id`,
          assetArn: `arn:aws:iotsitewise:${REGION}:${ACCOUNT}:asset/${name}-asset-id`,
        },
      };
    case 'aws-native:greengrassv2:ComponentVersion':
      return { id: `${name}-id`, state: { arn, componentName: 'com.smartfactory.Gateway', componentVersion: '0.1.0' } };
    case 'aws:timestreaminfluxdb/dbInstance:DbInstance':
      return { id: `${name}-id`, state: { arn, endpoint: `${name}.influxdb.local`, port: 8086 } };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { id: physical, state: { arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${physical}` } };
    // The provider's id of a secret is its ARN.
    case 'aws:secretsmanager/secret:Secret': {
      const secretArn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${physical}-AbCdEf`;
      return { id: secretArn, state: { arn: secretArn } };
    }
    // A remote component: under mocks it is one resource whose outputs are what this returns.
    case 'awsx:ec2:Vpc':
      return {
        id: `${name}-id`,
        state: {
          vpcId: `vpc-${name}`,
          isolatedSubnetIds: Array.from(
            { length: Number(inputs.numberOfAvailabilityZones ?? 3) },
            (_, i) => `subnet-${name}-${i}`,
          ),
          privateSubnetIds: [],
          publicSubnetIds: [],
        },
      };
    default:
      return { id: `${name}-id`, state: { arn } };
  }
};

/** The mocks: every resource registered is recorded in `resources`, every provider function answered. */
export const recordingMocks = (resources: RecordedResource[]): pulumi.runtime.Mocks => ({
  newResource: (args) => {
    const { id, state } = outputsFor(args.type, args.name, args.inputs);
    const recorded = { type: args.type, name: args.name, id, inputs: args.inputs, state: { ...args.inputs, ...state } };
    resources.push(recorded);
    return { id, state: recorded.state };
  },
  call: (args) => {
    switch (args.token) {
      case 'aws:index/getCallerIdentity:getCallerIdentity':
        return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: 'mock', id: ACCOUNT };
      case 'aws:index/getRegion:getRegion':
        return { region: REGION, name: REGION, id: REGION };
      case 'aws:sagemaker/getPrebuiltEcrImage:getPrebuiltEcrImage':
        return {
          registryId: '492215442770',
          registryPath: `492215442770.dkr.ecr.${REGION}.amazonaws.com/${String(args.inputs.repositoryName)}:${String(args.inputs.imageTag)}`,
          id: REGION,
          repositoryName: args.inputs.repositoryName,
        };
      case 'aws:index/getAvailabilityZones:getAvailabilityZones':
        return {
          names: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
          zoneIds: ['euc1-az1', 'euc1-az2', 'euc1-az3'],
          id: REGION,
        };
      case 'aws:ec2/getPrefixList:getPrefixList':
        return { id: `pl-${String(args.inputs.name)}`, name: args.inputs.name, cidrBlocks: [] };
      default:
        throw new Error(`stackHarness: no mock for call ${args.token}; add one`);
    }
  },
});

/** Sets the mocks for a stack; import the program only after this resolves. */
export const mockStack = async (stack: string): Promise<RecordedResource[]> => {
  const resources: RecordedResource[] = [];
  await pulumi.runtime.setMocks(recordingMocks(resources), 'smart-factory', stack, false);
  return resources;
};

/** Waits until every resource the program started registering has been registered. */
export const settle = async (): Promise<void> => {
  await (settings as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
};

export const valueOf = <T>(output: pulumi.Output<T> | pulumi.Input<T>): Promise<T> =>
  new Promise((resolve) =>
    pulumi.output(output).apply((value) => {
      resolve(value as T);
      return value;
    }),
  );
