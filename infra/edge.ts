// The edge gateway as a Greengrass v2 component: the bundled edge/ gateway as an artifact in a
// private bucket, a recipe that runs it with Node, and one deployment per factory's thing group, so
// every gateway of a factory runs the same version.
import { join } from 'node:path';
import * as aws from '@pulumi/aws';
import * as native from '@pulumi/aws-native';
import * as pulumi from '@pulumi/pulumi';
import { assumedBy, KMS_DATA_ACTIONS, policyDocument } from './iamDocument.ts';
import { privateBucket } from './privateBucket.ts';
import { factoryTags, resourceName, stackTags, type StackIdentity } from './tagging.ts';

export type EdgeArgs = {
  readonly identity: StackIdentity;
  readonly key: aws.kms.Key;
  readonly gatewayAssetDir: string;
  readonly componentVersion: string;
  readonly thingGroups: Readonly<Record<string, aws.iot.ThingGroup>>;
};

export const GATEWAY_COMPONENT = 'com.smartfactory.Gateway';

/** Component names are unique per account and region: each stack deploys its own. */
export const gatewayComponentName = (identity: StackIdentity): string => `${GATEWAY_COMPONENT}.${identity.project}-${identity.stack}`;

/** The Greengrass recipe (format 2020-01-25) of the gateway component. */
export const gatewayRecipe = <U>(componentName: string, version: string, artifactUri: U) => ({
  RecipeFormatVersion: '2020-01-25',
  ComponentName: componentName,
  ComponentVersion: version,
  ComponentDescription: 'Smart-factory edge gateway: reads machines, runs edge detectors, store-and-forward to IoT Core (DESIGN §8)',
  ComponentPublisher: 'smart-factory',
  ComponentConfiguration: { DefaultConfiguration: { configPath: '/greengrass/v2/config/gateway.json' } },
  Manifests: [{
    Platform: { os: 'linux' },
    Lifecycle: { Run: 'node {artifacts:path}/index.mjs gateway --config {configuration:/configPath}' },
    Artifacts: [{ Uri: artifactUri, Unarchive: 'NONE' }],
  }],
});

export class Edge extends pulumi.ComponentResource {
  readonly artifactBucket: aws.s3.Bucket;
  readonly component: native.greengrassv2.ComponentVersion;
  readonly deployments: native.greengrassv2.Deployment[];
  readonly roleAlias: aws.iot.RoleAlias;

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:edge:Edge', name, {}, opts);
    const { identity, key } = args;
    const tags = stackTags(identity);
    const parent = { parent: this };

    this.artifactBucket = privateBucket(`${name}-artifacts`, { key, tags }, this);
    const componentName = gatewayComponentName(identity);
    const artifactKey = `components/${componentName}/${args.componentVersion}/index.mjs`;
    const artifact = new aws.s3.BucketObjectv2(`${name}-gateway`, {
      bucket: this.artifactBucket.id,
      key: artifactKey,
      source: new pulumi.asset.FileAsset(join(args.gatewayAssetDir, 'index.mjs')),
      serverSideEncryption: 'aws:kms',
      kmsKeyId: key.arn,
      tags,
    }, parent);

    // Core devices fetch artifacts with this role through the IoT credentials provider (role alias).
    const tokenExchangeRole = new aws.iam.Role(`${name}-token-exchange`, { assumeRolePolicy: assumedBy('credentials.iot.amazonaws.com'), tags }, parent);
    new aws.iam.RolePolicy(`${name}-token-exchange`, {
      role: tokenExchangeRole.id,
      policy: policyDocument([
        { Sid: 'FetchGatewayArtifact', Action: ['s3:GetObject'], Resource: pulumi.interpolate`${this.artifactBucket.arn}/components/*` },
        { Sid: 'DecryptArtifact', Action: [KMS_DATA_ACTIONS[0]], Resource: key.arn },
      ]),
    }, parent);
    this.roleAlias = new aws.iot.RoleAlias(`${name}-token-exchange`, {
      alias: resourceName(identity, 'gateway-token-exchange'), roleArn: tokenExchangeRole.arn, credentialDuration: 3600, tags,
    }, parent);

    this.component = new native.greengrassv2.ComponentVersion(`${name}-gateway`, {
      inlineRecipe: pulumi.jsonStringify(gatewayRecipe(componentName, args.componentVersion, pulumi.interpolate`s3://${this.artifactBucket.bucket}/${artifactKey}`)),
      tags,
    }, { parent: this, dependsOn: [artifact] });

    this.deployments = Object.entries(args.thingGroups).map(([factoryId, group]) => new native.greengrassv2.Deployment(`${name}-${factoryId}`, {
      deploymentName: resourceName(identity, `gateway-${factoryId}`),
      targetArn: group.arn,
      components: { [componentName]: { componentVersion: this.component.componentVersion } },
      deploymentPolicies: { failureHandlingPolicy: 'ROLLBACK', componentUpdatePolicy: { action: 'NOTIFY_COMPONENTS', timeoutInSeconds: 60 } },
      tags: factoryTags(identity, factoryId),
    }, parent));

    this.registerOutputs({ componentArn: this.component.arn, artifactBucket: this.artifactBucket.bucket });
  }
}
