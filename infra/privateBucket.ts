// A bucket as every bucket of the stack must be: encrypted with the stack key (S3 Bucket Key on, so
// KMS is called per bucket key, not per object), all four public-access blocks on, ACLs disabled,
// and plain-HTTP requests denied.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Tags } from './tagging.ts';

/** A bucket as the components that use one take it: its name and ARN. */
export type BucketRef = { readonly name: pulumi.Input<string>; readonly arn: pulumi.Input<string> };

export const bucketRef = (bucket: aws.s3.Bucket): BucketRef => ({ name: bucket.bucket, arn: bucket.arn });

export type PrivateBucketArgs = {
  readonly keyArn: pulumi.Input<string>;
  readonly tags: Tags;
  readonly expireAfterDays?: number;
};

export const privateBucket = (name: string, args: PrivateBucketArgs, parent: pulumi.Resource): aws.s3.Bucket => {
  const opts = { parent };
  const bucket = new aws.s3.Bucket(name, { forceDestroy: false, tags: args.tags }, opts);
  new aws.s3.BucketServerSideEncryptionConfiguration(
    name,
    {
      bucket: bucket.id,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: args.keyArn },
          bucketKeyEnabled: true,
        },
      ],
    },
    opts,
  );
  const block = new aws.s3.BucketPublicAccessBlock(
    name,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  new aws.s3.BucketOwnershipControls(
    name,
    { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
    opts,
  );
  new aws.s3.BucketPolicy(
    name,
    {
      bucket: bucket.id,
      policy: pulumi.jsonStringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyPlainHttp',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    },
    { parent, dependsOn: [block] },
  );
  if (args.expireAfterDays !== undefined) {
    new aws.s3.BucketLifecycleConfiguration(
      name,
      {
        bucket: bucket.id,
        rules: [{ id: 'expire', status: 'Enabled', filter: {}, expiration: { days: args.expireAfterDays } }],
      },
      opts,
    );
  }
  return bucket;
};
