// The one IoT policy: who may connect, publish, subscribe and receive. Written once as data
// (GRANTS) and rendered three ways: the AWS IoT policy document of a role (thing policy variables),
// the literal document of one Greengrass core device (coreDevicePolicyDocument), and `authorize`,
// the same decision evaluated locally by the aedes broker.
//
// Resource templates are the AWS resource after `arn:aws:iot:{region}:{account}:{client|topic|topicfilter}/`
// with `{thingName}`, `{factoryId}`, `{lineId}`, `{machineId}` for the connection's thing name and
// attributes, and `*` for AWS's wildcard. In an IoT policy `*` matches any characters, `/` included:
// it cannot say "one topic level". So a machine's topics are spelled out (exactly its three reading
// topics), and a gateway's are `dt/{its factory}/*/{type}`: IoT Core lets it publish any topic of
// that shape and the pipeline refuses the ones that are not wire topics as bad input.
//
// A gateway is a Greengrass core device: its nucleus connects with the thing's certificate as
// `{thingName}` and, for further connections, `{thingName}#2`, `#3`…, subscribes to its jobs and
// shadow topics and publishes its health, and the gateway component publishes through it. AWS
// supports no thing policy variables in a core device's policy (Greengrass developer guide, "Device
// authentication and authorization"), so a core gets its own policy with literal names.
//
// `service` is the local replayer, recorder and dashboard, which read and write every factory's
// data. In AWS that is the IoT rule engine's job (topic rules read `dt/#` without a connection), so
// no AWS thing is given this policy; the document is rendered for completeness and would be its
// exact equivalent.
import { MESSAGE_TYPES, READING_TYPES } from '../wire/topic.ts';
import type { Principal, Role } from './thing.ts';

export type { Principal, Role, ThingAttributes } from './thing.ts';
export {
  machineThingName,
  machineOfThingName,
  machinePrincipal,
  gatewayPrincipal,
  servicePrincipal,
  thingAttributesFor,
  isValidThingName,
  SERVICE_THING_NAMES,
} from './thing.ts';

export type PolicyAction = 'connect' | 'publish' | 'subscribe' | 'receive';
export const POLICY_ACTIONS: readonly PolicyAction[] = ['connect', 'publish', 'subscribe', 'receive'];

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

type Grant = { readonly action: PolicyAction; readonly resources: readonly string[] };

const OWN_CLIENT: Grant = { action: 'connect', resources: ['{thingName}'] };
const MACHINE_TOPICS = READING_TYPES.map((type) => `dt/{factoryId}/{lineId}/{machineId}/${type}`);
// A gateway publishes its machines' readings and its edge detectors' alerts.
const FACTORY_TOPICS = MESSAGE_TYPES.map((type) => `dt/{factoryId}/*/${type}`);
// What the Greengrass nucleus of a core needs on MQTT: its deployments arrive as jobs, it keeps its
// shadow, it reports its health. Named for the core's own thing only (AWS's minimal policy allows
// `{thing}*`, which would also reach a core named `{thing}0`).
const CORE_TOPICS = ['$aws/things/{thingName}/jobs/*', '$aws/things/{thingName}/shadow/*'];
const CORE_HEALTH = [
  '$aws/things/{thingName}/greengrass/health/json',
  '$aws/things/{thingName}/greengrassv2/health/json',
];
const COMMANDS = ['cmd/{factoryId}/{thingName}', 'cmd/{factoryId}/{thingName}/*'];

export const GRANTS: Readonly<Record<Role, readonly Grant[]>> = {
  machine: [
    OWN_CLIENT,
    { action: 'publish', resources: MACHINE_TOPICS },
    { action: 'subscribe', resources: ['dt/{factoryId}/{lineId}/{machineId}/*'] },
    { action: 'receive', resources: ['dt/{factoryId}/{lineId}/{machineId}/*'] },
  ],
  gateway: [
    // The nucleus names its first connection after the thing, the next ones `{thingName}#2`, `#3`…
    { action: 'connect', resources: ['{thingName}', '{thingName}#*'] },
    { action: 'publish', resources: [...FACTORY_TOPICS, ...CORE_TOPICS, ...CORE_HEALTH] },
    { action: 'subscribe', resources: [...COMMANDS, ...CORE_TOPICS] },
    { action: 'receive', resources: [...COMMANDS, ...CORE_TOPICS, ...CORE_HEALTH] },
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
  connect: 'iot:Connect',
  publish: 'iot:Publish',
  subscribe: 'iot:Subscribe',
  receive: 'iot:Receive',
};
const RESOURCE_KIND: Readonly<Record<PolicyAction, string>> = {
  connect: 'client',
  publish: 'topic',
  subscribe: 'topicfilter',
  receive: 'topic',
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
  readonly Action: string | readonly string[];
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
    Resource: grant.resources.map(
      (resource) =>
        `arn:aws:iot:${target.region}:${target.account}:${RESOURCE_KIND[grant.action]}/${resource.replace(PLACEHOLDER, (_, name: string) => POLICY_VARIABLE[name] ?? '')}`,
    ),
    // Only a certificate attached to a registered thing may connect: thing policy variables
    // resolve only then.
    ...(grant.action === 'connect' ? { Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } } : {}),
  })),
});

// ---- rendering (b): the literal document of one Greengrass core device ----

/**
 * What a core device does beyond MQTT, which only AWS sees: it exchanges its certificate for the
 * token-exchange role's credentials (through the role alias), and asks Greengrass for its deployments
 * and components. These four data-plane actions take no narrower resource than `*`.
 */
export const GREENGRASS_CORE_ACTIONS = [
  'greengrass:GetComponentVersionArtifact',
  'greengrass:ResolveComponentCandidates',
  'greengrass:GetDeploymentConfiguration',
  'greengrass:ListThingGroupsForCoreDevice',
] as const;

export type CoreDevice = { readonly thingName: string; readonly factoryId: string };

/**
 * The AWS IoT policy of one Greengrass core device (a gateway): the gateway grants with its own names
 * written in, since a core's policy may use no thing policy variables, plus the token exchange and
 * the Greengrass data plane. Attach it to that core's certificate only.
 */
export const coreDevicePolicyDocument = (
  core: CoreDevice,
  target: AwsTarget,
  tokenExchangeRoleAlias: string,
): IotPolicyDocument => {
  const principal = gatewayPrincipalOf(core);
  const arn = `arn:aws:iot:${target.region}:${target.account}`;
  return {
    Version: '2012-10-17',
    Statement: [
      ...GRANTS.gateway.map((grant): PolicyStatement => ({
        Effect: 'Allow',
        Action: AWS_ACTION[grant.action],
        Resource: grant.resources.map(
          (resource) => `${arn}:${RESOURCE_KIND[grant.action]}/${describe(resource, principal)}`,
        ),
      })),
      {
        Effect: 'Allow',
        Action: 'iot:AssumeRoleWithCertificate',
        Resource: [`${arn}:rolealias/${tokenExchangeRoleAlias}`],
      },
      { Effect: 'Allow', Action: GREENGRASS_CORE_ACTIONS, Resource: ['*'] },
    ],
  };
};

const gatewayPrincipalOf = (core: CoreDevice): Principal => ({
  thingName: core.thingName,
  attributes: { role: 'gateway', factoryId: core.factoryId },
});

// ---- rendering (c): the local decision ----

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const valueOf = (principal: Principal, name: string): string | undefined =>
  name === 'thingName' ? principal.thingName : principal.attributes[name as 'factoryId' | 'lineId' | 'machineId'];

/** A template as a RegExp for this principal, or undefined when the principal lacks a variable it needs (AWS then grants nothing). */
const compile = (template: string, principal: Principal): RegExp | undefined => {
  let missing = false;
  const source = template
    .split(/(\{[A-Za-z]+\}|\*)/)
    .map((part) => {
      if (part === '*') return '.*';
      const variable = /^\{([A-Za-z]+)\}$/.exec(part)?.[1];
      if (variable === undefined) return escapeRegExp(part);
      const value = valueOf(principal, variable);
      if (value === undefined || value === '') missing = true;
      return escapeRegExp(value ?? '');
    })
    .join('');
  return missing ? undefined : new RegExp(`^${source}$`, 's');
};

const describe = (template: string, principal: Principal): string =>
  template.replace(PLACEHOLDER, (whole, name: string) => valueOf(principal, name) ?? whole);

const VERB: Readonly<Record<PolicyAction, string>> = {
  connect: 'connect with client id',
  publish: 'publish to',
  subscribe: 'subscribe to',
  receive: 'receive from',
};

export type Authorizer = (action: PolicyAction, resource: string) => Decision;

const ALLOWED: Decision = { allowed: true };

/**
 * `authorize` for one principal, its grants compiled once: the broker asks at every publish and
 * delivery, and compiling each template's RegExp per ask was most of the policy's cost.
 */
export const authorizerFor = (principal: Principal): Authorizer => {
  const grants = new Map(
    POLICY_ACTIONS.map((action) => {
      const templates = GRANTS[principal.attributes.role]
        .filter((grant) => grant.action === action)
        .flatMap((grant) => grant.resources);
      const patterns = templates.flatMap((template) => compile(template, principal) ?? []);
      return [action, { templates, patterns }] as const;
    }),
  );
  return (action, resource) => {
    const { templates, patterns } = grants.get(action)!;
    for (const pattern of patterns) if (pattern.test(resource)) return ALLOWED;
    const allowed = templates.map((template) => describe(template, principal));
    return {
      allowed: false,
      reason:
        `thing ${JSON.stringify(principal.thingName)} (role ${principal.attributes.role}) may not ${VERB[action]} ${JSON.stringify(resource)}: ` +
        (allowed.length === 0
          ? `its policy grants no ${action}`
          : `its policy allows only ${allowed.join(', ')} (* is any text)`),
    };
  };
};

/**
 * May this thing do this? `resource` is the client id (connect), the topic (publish, receive) or
 * the topic filter (subscribe). The same grants as the AWS document, evaluated for one principal.
 */
export const authorize = (principal: Principal, action: PolicyAction, resource: string): Decision =>
  authorizerFor(principal)(action, resource);
