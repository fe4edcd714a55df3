// The edge gateway as a Greengrass v2 component: its artifacts (`npm run build:gateway`) in a private
// bucket, the one recipe shipped in edge/greengrass/recipe.yaml (this stack sets only its version and
// the artifacts' bucket), and one deployment per factory's thing group, so every gateway of a factory
// runs the same version, with that factory's id merged into the component's configuration.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as aws from '@pulumi/aws';
import * as native from '@pulumi/aws-native';
import * as pulumi from '@pulumi/pulumi';
import { parse as parseYaml } from 'yaml';
import { assumedBy, KMS_DATA_ACTIONS, policyDocument } from './iamDocument.ts';
import { privateBucket } from './privateBucket.ts';
import { factoryTags, resourceName, stackTags, type StackIdentity } from './tagging.ts';

export type EdgeArgs = {
  readonly identity: StackIdentity;
  /** The stack key's ARN: what this component stores is encrypted with it. */
  readonly keyArn: pulumi.Input<string>;
  readonly gatewayAssetDir: string;
  readonly componentVersion: string;
  /** Each factory's thing group (by factory id): the gateway component is deployed to it. */
  readonly thingGroupArns: Readonly<Record<string, pulumi.Input<string>>>;
};

export const RECIPE_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'edge', 'greengrass', 'recipe.yaml');
/** The bucket name the shipped recipe's artifact URIs carry until a stack sets its own. */
export const RECIPE_BUCKET_PLACEHOLDER = 'ARTIFACT_BUCKET';

type Artifact = { readonly URI: string } & Readonly<Record<string, unknown>>;
export type GatewayRecipe = {
  readonly ComponentName: string;
  readonly ComponentVersion: string;
  readonly Manifests: readonly ({ readonly Artifacts: readonly Artifact[] } & Readonly<Record<string, unknown>>)[];
} & Readonly<Record<string, unknown>>;

/** edge/greengrass/recipe.yaml, as shipped. */
export const shippedRecipe = (): GatewayRecipe => parseYaml(readFileSync(RECIPE_FILE, 'utf8')) as GatewayRecipe;

export const GATEWAY_COMPONENT = shippedRecipe().ComponentName;

/** Component names are unique per account and region: each stack deploys its own, the shipped name suffixed with the stack. */
export const gatewayComponentName = (identity: StackIdentity): string =>
  `${GATEWAY_COMPONENT}.${identity.project}-${identity.stack}`;

/** Where an artifact of a component version lives in the artifacts bucket. */
export const artifactKey = (componentName: string, version: string, file: string): string =>
  `components/${componentName}/${version}/${file}`;

/** The artifacts `npm run build:gateway` writes, as the shipped recipe names them. */
export const GATEWAY_ARTIFACTS: readonly string[] = shippedRecipe().Manifests.flatMap((m) =>
  m.Artifacts.map((a) => basename(a.URI)),
);

/** The shipped recipe for this release: the stack's component name, its version, and its artifacts in this stack's bucket. Nothing else changes. */
export const gatewayRecipe = (componentName: string, version: string, bucket: string): GatewayRecipe => {
  const recipe = shippedRecipe();
  return {
    ...recipe,
    ComponentName: componentName,
    ComponentVersion: version,
    Manifests: recipe.Manifests.map((manifest) => ({
      ...manifest,
      Artifacts: manifest.Artifacts.map((artifact) => ({
        ...artifact,
        URI: `s3://${bucket}/${artifactKey(componentName, version, basename(artifact.URI))}`,
      })),
    })),
  };
};

/** The name of the IoT role alias core devices exchange their certificate through (their IoT policy names it). */
export const tokenExchangeRoleAliasName = (identity: StackIdentity): string =>
  resourceName(identity, 'gateway-token-exchange');

export class Edge extends pulumi.ComponentResource {
  readonly artifactBucket: aws.s3.Bucket;
  readonly component: native.greengrassv2.ComponentVersion;
  readonly deployments: native.greengrassv2.Deployment[];
  readonly roleAlias: aws.iot.RoleAlias;

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:edge:Edge', name, {}, opts);
    const { identity, keyArn } = args;
    const tags = stackTags(identity);
    const parent = { parent: this };

    this.artifactBucket = privateBucket(`${name}-artifacts`, { keyArn, tags }, this);
    const componentName = gatewayComponentName(identity);
    const artifacts = GATEWAY_ARTIFACTS.map(
      (file) =>
        new aws.s3.BucketObjectv2(
          `${name}-gateway-${file}`,
          {
            bucket: this.artifactBucket.id,
            key: artifactKey(componentName, args.componentVersion, file),
            source: new pulumi.asset.FileAsset(join(args.gatewayAssetDir, file)),
            serverSideEncryption: 'aws:kms',
            kmsKeyId: keyArn,
            tags,
          },
          parent,
        ),
    );

    // Core devices fetch artifacts with this role through the IoT credentials provider (role alias).
    const tokenExchangeRole = new aws.iam.Role(
      `${name}-token-exchange`,
      { assumeRolePolicy: assumedBy('credentials.iot.amazonaws.com'), tags },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-token-exchange`,
      {
        role: tokenExchangeRole.id,
        policy: policyDocument([
          {
            Sid: 'FetchGatewayArtifact',
            Action: ['s3:GetObject'],
            Resource: pulumi.interpolate`${this.artifactBucket.arn}/components/*`,
          },
          { Sid: 'DecryptArtifact', Action: [KMS_DATA_ACTIONS[0]], Resource: keyArn },
        ]),
      },
      parent,
    );
    this.roleAlias = new aws.iot.RoleAlias(
      `${name}-token-exchange`,
      {
        alias: tokenExchangeRoleAliasName(identity),
        roleArn: tokenExchangeRole.arn,
        credentialDuration: 3600,
        tags,
      },
      parent,
    );

    this.component = new native.greengrassv2.ComponentVersion(
      `${name}-gateway`,
      {
        inlineRecipe: this.artifactBucket.bucket.apply((bucket) =>
          JSON.stringify(gatewayRecipe(componentName, args.componentVersion, bucket)),
        ),
        tags,
      },
      { parent: this, dependsOn: artifacts },
    );

    this.deployments = Object.entries(args.thingGroupArns).map(
      ([factoryId, groupArn]) =>
        new native.greengrassv2.Deployment(
          `${name}-${factoryId}`,
          {
            deploymentName: resourceName(identity, `gateway-${factoryId}`),
            targetArn: groupArn,
            components: {
              [componentName]: {
                componentVersion: this.component.componentVersion,
                // The machines of each gateway are the plant's to add (edge/README.md); the factory is known here.
                configurationUpdate: { merge: JSON.stringify({ gateway: { factoryId } }) },
              },
            },
            deploymentPolicies: {
              failureHandlingPolicy: 'ROLLBACK',
              componentUpdatePolicy: { action: 'NOTIFY_COMPONENTS', timeoutInSeconds: 60 },
            },
            tags: factoryTags(identity, factoryId),
          },
          parent,
        ),
    );

    this.registerOutputs({ componentArn: this.component.arn, artifactBucket: this.artifactBucket.bucket });
  }
}
