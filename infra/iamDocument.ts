// IAM documents built from statements whose resources are Pulumi outputs (ARNs known only after
// create). Every statement names its actions one by one: a wildcard action never appears, and a
// `*` resource only where AWS allows nothing narrower (see policies.ts, WILDCARD_RESOURCE_ACTIONS).
import * as pulumi from '@pulumi/pulumi';

export type Statement = {
  readonly Sid?: string;
  readonly Effect?: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: pulumi.Input<string> | readonly pulumi.Input<string>[];
  readonly Principal?: Readonly<Record<string, pulumi.Input<string> | readonly pulumi.Input<string>[]>>;
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, pulumi.Input<string> | readonly pulumi.Input<string>[]>>>
  >;
};

export const policyDocument = (statements: readonly Statement[]): pulumi.Output<string> =>
  pulumi.jsonStringify({ Version: '2012-10-17', Statement: statements.map((s) => ({ Effect: 'Allow', ...s })) });

/** The trust policy letting one AWS service assume a role. */
export const assumedBy = (service: string, condition?: Statement['Condition']): pulumi.Output<string> =>
  pulumi.jsonStringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });

/** The actions that let a principal use the stack key to write and read data encrypted with it. */
export const KMS_DATA_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;
