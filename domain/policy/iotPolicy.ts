// The one IoT policy: who may connect, publish, subscribe and receive. Written once as data
// (GRANTS) and rendered two ways: the AWS IoT policy document infra attaches to certificates, and
// `authorize`, the same decision evaluated locally by the aedes broker.
//
// Resource templates are the AWS resource after `arn:aws:iot:{region}:{account}:{client|topic|topicfilter}/`
// with `{thingName}`, `{factoryId}`, `{lineId}`, `{machineId}` for the connection's thing name and
// attributes, and `*` for AWS's wildcard. In an IoT policy `*` matches any characters, `/` included:
// it cannot say "one topic level". So a machine's topics are spelled out (exactly its three wire
// topics), and a gateway's are `dt/{its factory}/*/{type}`: IoT Core lets it publish any topic of
// that shape and the pipeline refuses the ones that are not wire topics as bad input.
//
// `service` is the local replayer, recorder and dashboard, which read and write every factory's
// data. In AWS that is the IoT rule engine's job (topic rules read `dt/#` without a connection), so
// no AWS thing is given this policy; the document is rendered for completeness and would be its
// exact equivalent.
import { MESSAGE_TYPES } from '../wire/topic.ts';
import type { Principal, Role } from './thing.ts';

export type { Principal, Role, ThingAttributes } from './thing.ts';
export {
  machineThingName, machineOfThingName, machinePrincipal, gatewayPrincipal, servicePrincipal,
  thingAttributesFor, isValidThingName, SERVICE_THING_NAMES,
} from './thing.ts';

export type PolicyAction = 'connect' | 'publish' | 'subscribe' | 'receive';
export const POLICY_ACTIONS: readonly PolicyAction[] = ['connect', 'publish', 'subscribe', 'receive'];

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

type Grant = { readonly action: PolicyAction; readonly resources: readonly string[] };

const OWN_CLIENT: Grant = { action: 'connect', resources: ['{thingName}'] };
const MACHINE_TOPICS = MESSAGE_TYPES.map((type) => `dt/{factoryId}/{lineId}/{machineId}/${type}`);
const FACTORY_TOPICS = MESSAGE_TYPES.map((type) => `dt/{factoryId}/*/${type}`);

export const GRANTS: Readonly<Record<Role, readonly Grant[]>> = {
  machine: [
    OWN_CLIENT,
    { action: 'publish', resources: MACHINE_TOPICS },
    { action: 'subscribe', resources: ['dt/{factoryId}/{lineId}/{machineId}/*'] },
    { action: 'receive', resources: ['dt/{factoryId}/{lineId}/{machineId}/*'] },
  ],
  gateway: [
    OWN_CLIENT,
    { action: 'publish', resources: FACTORY_TOPICS },
    { action: 'subscribe', resources: ['cmd/{factoryId}/{thingName}', 'cmd/{factoryId}/{thingName}/*'] },
    { action: 'receive', resources: ['cmd/{factoryId}/{thingName}', 'cmd/{factoryId}/{thingName}/*'] },
  ],
  service: [
    OWN_CLIENT,
    { action: 'publish', resources: ['dt/*'] },
    { action: 'subscribe', resources: ['dt/*'] },
    { action: 'receive', resources: ['dt/*'] },
  ],
};

// ---- rendering (a): the AWS IoT policy document ----

const AWS_ACTION: Readonly<Record<PolicyAction, string>> = {
  connect: 'iot:Connect', publish: 'iot:Publish', subscribe: 'iot:Subscribe', receive: 'iot:Receive',
};
const RESOURCE_KIND: Readonly<Record<PolicyAction, string>> = {
  connect: 'client', publish: 'topic', subscribe: 'topicfilter', receive: 'topic',
};
const POLICY_VARIABLE: Readonly<Record<string, string>> = {
  thingName: '${iot:Connection.Thing.ThingName}',
  factoryId: '${iot:Connection.Thing.Attributes[factoryId]}',
  lineId: '${iot:Connection.Thing.Attributes[lineId]}',
  machineId: '${iot:Connection.Thing.Attributes[machineId]}',
};
const PLACEHOLDER = /\{(thingName|factoryId|lineId|machineId)\}/g;

export type PolicyStatement = {
  readonly Effect: 'Allow';
  readonly Action: string;
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
};
export type IotPolicyDocument = { readonly Version: '2012-10-17'; readonly Statement: readonly PolicyStatement[] };
export type AwsTarget = { readonly region: string; readonly account: string };

/** The AWS IoT policy document for a role; `JSON.stringify` it for `aws.iot.Policy.policy`. */
export const iotPolicyDocument = (role: Role, target: AwsTarget): IotPolicyDocument => ({
  Version: '2012-10-17',
  Statement: GRANTS[role].map((grant) => ({
    Effect: 'Allow',
    Action: AWS_ACTION[grant.action],
    Resource: grant.resources.map((resource) =>
      `arn:aws:iot:${target.region}:${target.account}:${RESOURCE_KIND[grant.action]}/${resource.replace(PLACEHOLDER, (_, name: string) => POLICY_VARIABLE[name] ?? '')}`),
    // Only a certificate attached to a registered thing may connect: thing policy variables
    // resolve only then.
    ...(grant.action === 'connect' ? { Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } } : {}),
  })),
});

// ---- rendering (b): the local decision ----

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const valueOf = (principal: Principal, name: string): string | undefined =>
  name === 'thingName' ? principal.thingName : principal.attributes[name as 'factoryId' | 'lineId' | 'machineId'];

/** A template as a RegExp for this principal, or undefined when the principal lacks a variable it needs (AWS then grants nothing). */
const compile = (template: string, principal: Principal): RegExp | undefined => {
  let missing = false;
  const source = template.split(/(\{[A-Za-z]+\}|\*)/).map((part) => {
    if (part === '*') return '.*';
    const variable = /^\{([A-Za-z]+)\}$/.exec(part)?.[1];
    if (variable === undefined) return escapeRegExp(part);
    const value = valueOf(principal, variable);
    if (value === undefined || value === '') missing = true;
    return escapeRegExp(value ?? '');
  }).join('');
  return missing ? undefined : new RegExp(`^${source}$`, 's');
};

const describe = (template: string, principal: Principal): string =>
  template.replace(PLACEHOLDER, (whole, name: string) => valueOf(principal, name) ?? whole);

const VERB: Readonly<Record<PolicyAction, string>> = {
  connect: 'connect with client id', publish: 'publish to', subscribe: 'subscribe to', receive: 'receive from',
};

export type Authorizer = (action: PolicyAction, resource: string) => Decision;

const ALLOWED: Decision = { allowed: true };

/**
 * `authorize` for one principal, its grants compiled once: the broker asks at every publish and
 * delivery, and compiling each template's RegExp per ask was most of the policy's cost.
 */
export const authorizerFor = (principal: Principal): Authorizer => {
  const grants = new Map(POLICY_ACTIONS.map((action) => {
    const templates = GRANTS[principal.attributes.role].filter((grant) => grant.action === action).flatMap((grant) => grant.resources);
    const patterns = templates.flatMap((template) => compile(template, principal) ?? []);
    return [action, { templates, patterns }] as const;
  }));
  return (action, resource) => {
    const { templates, patterns } = grants.get(action)!;
    for (const pattern of patterns) if (pattern.test(resource)) return ALLOWED;
    const allowed = templates.map((template) => describe(template, principal));
    return {
      allowed: false,
      reason: `thing ${JSON.stringify(principal.thingName)} (role ${principal.attributes.role}) may not ${VERB[action]} ${JSON.stringify(resource)}: `
        + (allowed.length === 0 ? `its policy grants no ${action}` : `its policy allows only ${allowed.join(', ')} (* is any text)`),
    };
  };
};

/**
 * May this thing do this? `resource` is the client id (connect), the topic (publish, receive) or
 * the topic filter (subscribe). The same grants as the AWS document, evaluated for one principal.
 */
export const authorize = (principal: Principal, action: PolicyAction, resource: string): Decision => authorizerFor(principal)(action, resource);
