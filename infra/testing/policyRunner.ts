// Test support: runs @pulumi/policy policies as plain data against resources (type, name, inputs
// or outputs), as the engine would hand them over, without the engine PolicyPack needs.
import type { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';

export type PolicySubject = { readonly type: string; readonly name: string; readonly inputs: Record<string, any> };
export type StackPolicySubject = { readonly type: string; readonly name: string; readonly state: Record<string, any> };

export type Violation = { readonly policy: string; readonly resource: string; readonly message: string };

const validationArgs = (r: PolicySubject, config: object) => ({
  type: r.type,
  props: r.inputs,
  urn: `urn:pulumi:test::smart-factory::${r.type}::${r.name}`,
  name: r.name,
  opts: {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  },
  stackTags: new Map<string, string>(),
  isType: () => false,
  asType: () => undefined,
  getConfig: <T extends object>() => config as T,
  notApplicable: (reason?: string): never => {
    throw new Error(`not applicable: ${reason ?? ''}`);
  },
});

export const runResourcePolicy = async (
  policy: ResourceValidationPolicy,
  resources: readonly PolicySubject[],
  config: object = {},
): Promise<Violation[]> => {
  const violations: Violation[] = [];
  for (const r of resources) {
    const report: ReportViolation = (message) => {
      violations.push({ policy: policy.name, resource: r.name, message });
    };
    const validations = Array.isArray(policy.validateResource)
      ? policy.validateResource
      : policy.validateResource
        ? [policy.validateResource]
        : [];
    for (const validate of validations) await validate(validationArgs(r, config) as any, report);
  }
  return violations;
};

export const runStackPolicy = async (
  policy: StackValidationPolicy,
  resources: readonly StackPolicySubject[],
): Promise<Violation[]> => {
  const violations: Violation[] = [];
  const policyResources = resources.map((r) => ({
    type: r.type,
    name: r.name,
    props: r.state,
    urn: r.name,
  })) as unknown as PolicyResource[];
  await policy.validateStack?.({ resources: policyResources, getConfig: () => ({}) } as any, (message, urn) => {
    violations.push({ policy: policy.name, resource: urn ?? '', message });
  });
  return violations;
};
