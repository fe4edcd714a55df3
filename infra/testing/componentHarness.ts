// Test support: one component constructed alone under Pulumi mocks, as pulumi-awsx tests its
// components: what it takes from the rest of the stack is given as plain ARNs and names, and what it
// registered comes back recorded (inputs as the engine would send them, outputs the mocks made up).
import type { StackIdentity } from '../tagging.ts';
import { ACCOUNT, mockStack, REGION, settle, type RecordedResource } from './stackHarness.ts';

export { ACCOUNT, REGION, type RecordedResource };

export const IDENTITY: StackIdentity = { project: 'smart-factory', stack: 'test' };
export const TARGET = { account: ACCOUNT, region: REGION };
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/stack-key`;
export const SUBNET_IDS = ['subnet-a', 'subnet-b'];
export const arnOf = (service: string, resource: string): string =>
  `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

export type Constructed = {
  readonly resources: readonly RecordedResource[];
  /** Every resource of a type, in the order the component registered them. */
  readonly ofType: (type: string) => RecordedResource[];
  /** The one resource of a type (and name): throws when there is none or more than one. */
  readonly one: (type: string, name?: string) => RecordedResource;
  /** The statements of an inline role policy, by the policy's resource name. */
  readonly statements: (policyName: string) => { Sid?: string; Action: string[]; Resource: unknown }[];
};

/**
 * Sets the mocks, then builds: import the component's module inside `build` (after the mocks are set,
 * as the Pulumi testing guide asks). One call per test file: the mocks are process-wide.
 */
export const constructAlone = async (build: () => Promise<unknown>): Promise<Constructed> => {
  const resources = await mockStack(IDENTITY.stack);
  await build();
  await settle();
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const one = (type: string, name?: string) => {
    const found = ofType(type).filter((r) => name === undefined || r.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ''}, found ${found.length}`);
    return found[0]!;
  };
  const statements = (policyName: string) =>
    JSON.parse(one('aws:iam/rolePolicy:RolePolicy', policyName).inputs.policy as string).Statement;
  return { resources, ofType, one, statements };
};
