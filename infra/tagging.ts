// Every resource carries `project` and `stack` (cost allocation, and which deploy owns it); those
// that belong to one factory carry `factory` too, so a plant's cost can be read off the bill.
export type StackIdentity = { readonly project: string; readonly stack: string };
export type Tags = Readonly<Record<string, string>>;

export const stackTags = (id: StackIdentity): Tags => ({ project: id.project, stack: id.stack });

export const factoryTags = (id: StackIdentity, factoryId: string): Tags => ({ ...stackTags(id), factory: factoryId });

/** aws-native (CloudFormation) resources take tags as a list of key/value pairs. */
export const tagList = (tags: Tags): { key: string; value: string }[] =>
  Object.entries(tags).map(([key, value]) => ({ key, value }));

/** AWS names: `<project>-<stack>-<what>`, so two stacks in one account never collide. */
export const resourceName = (id: StackIdentity, what: string): string => `${id.project}-${id.stack}-${what}`;
