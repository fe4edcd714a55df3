// A Lambda function of the stack outside Processing (the classify API's, the InfluxDB token rotation's):
// Node 22 on arm64 in the isolated subnets, its own KMS-encrypted log group, and a role that may write
// its logs, manage its network interfaces, use the stack key, and do what `statements` grant — nothing more.
import { join } from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { assumedBy, KMS_DATA_ACTIONS, policyDocument, type Statement } from './iamDocument.ts';
import { LAMBDA_ENI_ACTIONS } from './functionAccess.ts';
import { resourceName, stackTags, type StackIdentity } from './tagging.ts';

export type VpcFunctionArgs = {
  readonly identity: StackIdentity;
  readonly keyArn: pulumi.Input<string>;
  /** The bundle's folder under `lambdaAssetDir` (handlers/build.ts), also the function's name in the stack. */
  readonly bundle: string;
  readonly lambdaAssetDir: string;
  readonly logRetentionDays: number;
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly timeoutS: number;
  readonly environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** What the function does beyond logging, networking and the stack key. */
  readonly statements: readonly Statement[];
};

/** The function, its log group and role, named `resource` under `parent`. */
export const vpcFunction = (resource: string, args: VpcFunctionArgs, parent: pulumi.Resource) => {
  const { identity, keyArn } = args;
  const tags = stackTags(identity);
  const functionName = resourceName(identity, args.bundle);
  const logGroup = new aws.cloudwatch.LogGroup(
    resource,
    { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays, kmsKeyId: keyArn, tags },
    { parent },
  );
  const role = new aws.iam.Role(resource, { assumeRolePolicy: assumedBy('lambda.amazonaws.com'), tags }, { parent });
  const policy = new aws.iam.RolePolicy(
    resource,
    {
      role: role.id,
      policy: policyDocument([
        {
          Sid: 'OwnLogs',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: pulumi.interpolate`${logGroup.arn}:*`,
        },
        { Sid: 'VpcNetworkInterfaces', Action: [...LAMBDA_ENI_ACTIONS], Resource: '*' },
        { Sid: 'StackKey', Action: [...KMS_DATA_ACTIONS], Resource: keyArn },
        ...args.statements,
      ]),
    },
    { parent },
  );
  const fn = new aws.lambda.Function(
    resource,
    {
      name: functionName,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      code: new pulumi.asset.FileArchive(join(args.lambdaAssetDir, args.bundle)),
      role: role.arn,
      memorySize: 256,
      timeout: args.timeoutS,
      environment: { variables: args.environment },
      kmsKeyArn: keyArn,
      vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
      loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
      tags,
    },
    { parent, dependsOn: [policy, logGroup] },
  );
  return { function: fn, logGroup, role };
};
