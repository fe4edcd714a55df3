// The InfluxDB write token, made and rotated by the stack (influxdb sink): the token secret gets a
// Secrets Manager rotation whose function (handlers/influx-token) signs in to InfluxDB as the admin
// user and makes a write-only token for the telemetry bucket. The rotation runs as soon as it is
// created, so `pulumi up` leaves a token the process function reads at cold start, and every 30 days after.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { resourceName, stackTags, type StackIdentity } from './tagging.ts';
import { vpcFunction } from './vpcFunction.ts';

export const INFLUX_TOKEN_FUNCTION = 'influx-token';
export const TOKEN_ROTATION_DAYS = 30;

export type InfluxTokenArgs = {
  readonly identity: StackIdentity;
  /** The stack key's ARN: what this component stores is encrypted with it. */
  readonly keyArn: pulumi.Input<string>;
  /** The secret that holds the write token (a secret's ARN is also its id). */
  readonly tokenSecretArn: pulumi.Input<string>;
  readonly influx: {
    readonly url: pulumi.Input<string>;
    readonly org: string;
    readonly bucket: string;
    readonly username: string;
    readonly password: pulumi.Input<string>;
  };
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly lambdaAssetDir: string;
  readonly logRetentionDays: number;
};

export class InfluxToken extends pulumi.ComponentResource {
  readonly adminSecret: aws.secretsmanager.Secret;
  readonly function: aws.lambda.Function;
  readonly rotation: aws.secretsmanager.SecretRotation;

  constructor(name: string, args: InfluxTokenArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:timeseries:InfluxToken', name, {}, opts);
    const { identity, keyArn } = args;
    const tags = stackTags(identity);
    const parent = { parent: this };

    // The admin user the instance was made with; only the rotation function reads it.
    this.adminSecret = new aws.secretsmanager.Secret(
      `${name}-admin`,
      {
        name: resourceName(identity, 'influxdb-admin'),
        description: 'InfluxDB admin user of the telemetry instance: {"username","password"}',
        kmsKeyId: keyArn,
        tags,
      },
      parent,
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-admin`,
      {
        secretId: this.adminSecret.id,
        secretString: pulumi.secret(
          pulumi.jsonStringify({ username: args.influx.username, password: args.influx.password }),
        ),
      },
      parent,
    );

    this.function = vpcFunction(
      `${name}-rotation`,
      {
        identity,
        keyArn,
        bundle: INFLUX_TOKEN_FUNCTION,
        lambdaAssetDir: args.lambdaAssetDir,
        logRetentionDays: args.logRetentionDays,
        // In the VPC: InfluxDB listens only there; Secrets Manager through its interface endpoint.
        subnetIds: args.subnetIds,
        securityGroupId: args.securityGroupId,
        timeoutS: 60,
        environment: {
          INFLUXDB_URL: args.influx.url,
          INFLUXDB_ORG: args.influx.org,
          INFLUXDB_BUCKET: args.influx.bucket,
          INFLUXDB_ADMIN_SECRET_ARN: this.adminSecret.arn,
        },
        statements: [
          // The four calls of a rotation function, on the token secret only.
          {
            Sid: 'RotateToken',
            Action: [
              'secretsmanager:DescribeSecret',
              'secretsmanager:GetSecretValue',
              'secretsmanager:PutSecretValue',
              'secretsmanager:UpdateSecretVersionStage',
            ],
            Resource: args.tokenSecretArn,
          },
          { Sid: 'ReadAdmin', Action: ['secretsmanager:GetSecretValue'], Resource: this.adminSecret.arn },
        ],
      },
      this,
    ).function;
    const permission = new aws.lambda.Permission(
      `${name}-rotation`,
      {
        action: 'lambda:InvokeFunction',
        function: this.function.name,
        principal: 'secretsmanager.amazonaws.com',
        sourceArn: args.tokenSecretArn,
      },
      parent,
    );
    // Rotates when created (the first token) and then on schedule.
    this.rotation = new aws.secretsmanager.SecretRotation(
      `${name}-rotation`,
      {
        secretId: args.tokenSecretArn,
        rotationLambdaArn: this.function.arn,
        rotationRules: { automaticallyAfterDays: TOKEN_ROTATION_DAYS },
        rotateImmediately: true,
      },
      { parent: this, dependsOn: [permission] },
    );

    this.registerOutputs({ functionName: this.function.name });
  }
}
