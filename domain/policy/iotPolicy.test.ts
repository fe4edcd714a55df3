// The one IoT policy: the local decision (`authorize`) must be the decision AWS IoT makes on the
// rendered policy document. `awsAllows` below is a small, separate evaluator of that document
// (policy variables, the Bool condition, `*`/`?` resource wildcards) to hold the two together.
import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import {
  authorize,
  authorizerFor,
  coreDevicePolicyDocument,
  iotPolicyDocument,
  machinePrincipal,
  gatewayPrincipal,
  servicePrincipal,
  thingAttributesFor,
  GREENGRASS_CORE_ACTIONS,
  POLICY_ACTIONS,
  type IotPolicyDocument,
  type PolicyAction,
  type Principal,
  type Role,
} from './iotPolicy.ts';
import { MESSAGE_TYPES, READING_TYPES, dataTopic, parseDataTopic } from '../wire/topic.ts';

const TARGET = { region: 'eu-central-1', account: '123456789012' };
const ARN = `arn:aws:iot:${TARGET.region}:${TARGET.account}:`;

// ---- a minimal AWS IoT policy evaluator, written from the AWS docs rather than from GRANTS ----

const AWS_ACTION: Record<PolicyAction, string> = {
  connect: 'iot:Connect',
  publish: 'iot:Publish',
  subscribe: 'iot:Subscribe',
  receive: 'iot:Receive',
};
const KIND: Record<PolicyAction, string> = {
  connect: 'client',
  publish: 'topic',
  subscribe: 'topicfilter',
  receive: 'topic',
};

/** AWS resource matching: `*` is any run of characters (`/` too), `?` any one character. */
const globMatches = (pattern: string, text: string): boolean => {
  if (pattern === '') return text === '';
  const [head, rest] = [pattern[0], pattern.slice(1)];
  if (head === '*') return globMatches(rest, text) || (text !== '' && globMatches(pattern, text.slice(1)));
  return text !== '' && (head === '?' || head === text[0]) && globMatches(rest, text.slice(1));
};

type Connection = {
  readonly thingName: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly isAttached: boolean;
};

/** The resource with its policy variables resolved, or undefined when one cannot be (AWS then denies). */
const resolveVariables = (resource: string, connection: Connection): string | undefined => {
  let unresolved = false;
  const resolved = resource.replace(/\$\{([^}]+)\}/g, (_, variable: string) => {
    if (variable === 'iot:Connection.Thing.ThingName') return connection.thingName;
    const attribute = /^iot:Connection\.Thing\.Attributes\[(.+)\]$/.exec(variable)?.[1];
    const value = attribute === undefined ? undefined : connection.attributes[attribute];
    if (value === undefined) unresolved = true;
    return value ?? '';
  });
  return unresolved ? undefined : resolved;
};

const conditionHolds = (
  condition: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined,
  connection: Connection,
): boolean =>
  Object.entries(condition ?? {}).every(
    ([operator, tests]) =>
      operator === 'Bool' &&
      Object.entries(tests).every(
        ([key, value]) => key === 'iot:Connection.Thing.IsAttached' && value === String(connection.isAttached),
      ),
  );

const awsAllows = (
  document: IotPolicyDocument,
  connection: Connection,
  action: PolicyAction,
  resource: string,
): boolean =>
  document.Statement.some(
    (statement) =>
      statement.Effect === 'Allow' &&
      statement.Action === AWS_ACTION[action] &&
      conditionHolds(statement.Condition, connection) &&
      statement.Resource.some((pattern) => {
        const resolved = resolveVariables(pattern, connection);
        return resolved !== undefined && globMatches(resolved, `${ARN}${KIND[action]}/${resource}`);
      }),
  );

// AWS sees the thing's registered attributes (role is the attached policy, not an attribute).
const connectionOf = (principal: Principal): Connection => ({
  thingName: principal.thingName,
  attributes: thingAttributesFor(principal),
  isAttached: true,
});

// ---- generators: few distinct ids so that principals and topics often share them ----

const id = fc.constantFrom('f1', 'f2', 'l1', 'l2', 'press-01', 'gw-f1', 'x_9');
const machineRef = fc.record({ factoryId: id, lineId: id, machineId: id });
const principal: fc.Arbitrary<Principal> = fc.oneof(
  machineRef.map(machinePrincipal),
  fc.tuple(id, id).map(([factoryId, gatewayId]) => gatewayPrincipal(factoryId, gatewayId)),
  fc.constantFrom('factory-replayer', 'factory-recorder').map(servicePrincipal),
);
const level = fc.oneof(
  id,
  fc.constantFrom(
    'dt',
    'cmd',
    ...MESSAGE_TYPES,
    '+',
    '#',
    '*',
    '',
    'f1:l1:press-01',
    '$aws',
    'things',
    'jobs',
    'shadow',
    'notify-next',
    'gw-f1#2',
  ),
);
const topicLike = fc.array(level, { minLength: 1, maxLength: 7 }).map((levels) => levels.join('/'));
// Topics shaped like the wire contract, so that allowed cases are common too.
const wireShaped = fc
  .tuple(
    fc.constantFrom('dt', 'cmd'),
    id,
    fc.oneof(id, fc.constant('+')),
    fc.oneof(id, fc.constant('#')),
    fc.constantFrom(...MESSAGE_TYPES, '+', '#'),
  )
  .map((levels) => levels.join('/'));
// The nucleus's own topics, for this core or another.
const coreShaped = fc
  .tuple(
    id,
    fc.constantFrom(
      'jobs/notify-next',
      'jobs/$next/get',
      'shadow/update',
      'shadow/name/x/get',
      'greengrass/health/json',
      'greengrassv2/health/json',
      'jobs',
      '#',
    ),
  )
  .map(([thing, rest]) => `$aws/things/${thing}/${rest}`);
const clientIds = fc
  .tuple(id, fc.constantFrom('', '#2', '#10', '0', '#'))
  .map(([thing, suffix]) => `${thing}${suffix}`);
const resource = fc.oneof(
  topicLike,
  wireShaped,
  coreShaped,
  clientIds,
  principal.map((p) => p.thingName),
);

testProp(
  "the local decision equals the rendered AWS policy document's decision",
  [principal, fc.constantFrom(...POLICY_ACTIONS), resource],
  (t, who, action, target) => {
    const document = iotPolicyDocument(who.attributes.role, TARGET);
    t.is(authorize(who, action, target).allowed, awsAllows(document, connectionOf(who), action, target));
  },
  { numRuns: 2000 },
);

testProp(
  'one authorizer asked again and again decides each ask as the AWS document does (compiling once keeps no state between asks)',
  [principal, fc.array(fc.tuple(fc.constantFrom(...POLICY_ACTIONS), resource), { minLength: 1, maxLength: 30 })],
  (t, who, asks) => {
    const authorizer = authorizerFor(who);
    const document = iotPolicyDocument(who.attributes.role, TARGET);
    for (const [action, target] of asks) {
      t.is(authorizer(action, target).allowed, awsAllows(document, connectionOf(who), action, target));
      t.deepEqual(authorizer(action, target), authorize(who, action, target));
    }
  },
  { numRuns: 500 },
);

testProp(
  "a machine may publish exactly its own three reading topics (not alerts: those come from a gateway's detectors)",
  [
    machineRef,
    fc.oneof(
      topicLike,
      wireShaped,
      machineRef.chain((ref) => fc.constantFrom(...MESSAGE_TYPES).map((type) => dataTopic(ref, type))),
    ),
  ],
  (t, ref, topic) => {
    const own = READING_TYPES.map((type) => dataTopic(ref, type));
    t.is(authorize(machinePrincipal(ref), 'publish', topic).allowed, own.includes(topic));
  },
  { numRuns: 1000 },
);

testProp(
  'a machine may publish a five-level reading topic exactly when the topic names that machine',
  [machineRef, machineRef, fc.constantFrom(...READING_TYPES)],
  (t, self, other, type) => {
    const topic = dataTopic(other, type);
    const parsed = parseDataTopic(topic);
    const namesSelf =
      parsed._tag === 'Right' &&
      parsed.right.factoryId === self.factoryId &&
      parsed.right.lineId === self.lineId &&
      parsed.right.machineId === self.machineId;
    t.is(authorize(machinePrincipal(self), 'publish', topic).allowed, namesSelf);
  },
  { numRuns: 500 },
);

testProp(
  'a gateway may publish a wire topic, alerts included, exactly when it is under its own factory',
  [id, id, machineRef, fc.constantFrom(...MESSAGE_TYPES)],
  (t, factoryId, gatewayId, ref, type) => {
    t.is(
      authorize(gatewayPrincipal(factoryId, gatewayId), 'publish', dataTopic(ref, type)).allowed,
      ref.factoryId === factoryId,
    );
  },
  { numRuns: 500 },
);

testProp(
  'a thing may connect only with its own name as client id',
  [principal, principal],
  (t, who, other) => {
    t.is(authorize(who, 'connect', other.thingName).allowed, who.thingName === other.thingName);
  },
  { numRuns: 300 },
);

test("a gateway (a Greengrass core) may also connect as its nucleus's further connections, `{thing}#n`, and as no other thing", (t) => {
  const core = gatewayPrincipal('f1', 'gw-f1');
  for (const clientId of ['gw-f1', 'gw-f1#2', 'gw-f1#12']) t.true(decide(core, 'connect', clientId), clientId);
  for (const clientId of ['gw-f10', 'gw-f1x', 'gw-f2', 'xgw-f1#2'])
    t.false(decide(core, 'connect', clientId), clientId);
  t.false(decide(machinePrincipal({ factoryId: 'f1', lineId: 'l1', machineId: 'm' }), 'connect', 'f1:l1:m#2'));
});

test("a core's nucleus gets its own jobs, shadow and health topics, and no other core's", (t) => {
  const core = gatewayPrincipal('f1', 'gw-f1');
  t.true(decide(core, 'subscribe', '$aws/things/gw-f1/jobs/notify-next'));
  t.true(decide(core, 'subscribe', '$aws/things/gw-f1/shadow/name/x/update/delta'));
  t.true(decide(core, 'receive', '$aws/things/gw-f1/jobs/notify-next'));
  t.true(decide(core, 'publish', '$aws/things/gw-f1/jobs/$next/get'));
  t.true(decide(core, 'publish', '$aws/things/gw-f1/greengrassv2/health/json'));
  t.false(decide(core, 'subscribe', '$aws/things/gw-f2/jobs/notify-next'));
  t.false(decide(core, 'subscribe', '$aws/things/gw-f10/jobs/notify-next'));
  t.false(decide(core, 'publish', '$aws/things/gw-f2/shadow/update'));
  t.false(decide(core, 'subscribe', '$aws/things/+/jobs/#'));
});

testProp(
  "a core device's literal policy decides every MQTT ask as the gateway grants do for that core",
  [id, id, fc.constantFrom(...POLICY_ACTIONS), resource],
  (t, factoryId, gatewayId, action, target) => {
    const core = gatewayPrincipal(factoryId, gatewayId);
    const document = coreDevicePolicyDocument(
      { thingName: gatewayId, factoryId },
      TARGET,
      'sf-dev-gateway-token-exchange',
    );
    // No thing policy variable can resolve for a core device: the evaluator is given none.
    const bare = { thingName: '', attributes: {}, isAttached: false };
    t.is(awsAllows(document, bare, action, target), authorize(core, action, target).allowed);
  },
  { numRuns: 2000 },
);

test("a core device's policy names its thing, factory and role alias literally, and adds exactly the token exchange and the Greengrass data plane", (t) => {
  const document = coreDevicePolicyDocument(
    { thingName: 'gw-f1', factoryId: 'f1' },
    TARGET,
    'sf-dev-gateway-token-exchange',
  );
  t.false(JSON.stringify(document).includes('${'), 'no policy variable');
  t.false(JSON.stringify(document).includes('Condition'), 'no iot:Connection.Thing condition');
  const of = (action: string) =>
    document.Statement.filter((s) => s.Action === action || (Array.isArray(s.Action) && s.Action.includes(action)));
  t.deepEqual(
    of('iot:Connect').flatMap((s) => s.Resource),
    [`${ARN}client/gw-f1`, `${ARN}client/gw-f1#*`],
  );
  t.true(
    of('iot:Publish')
      .flatMap((s) => s.Resource)
      .includes(`${ARN}topic/dt/f1/*/alert`),
  );
  t.deepEqual(
    of('iot:AssumeRoleWithCertificate').flatMap((s) => s.Resource),
    [`${ARN}rolealias/sf-dev-gateway-token-exchange`],
  );
  t.deepEqual(GREENGRASS_CORE_ACTIONS, [
    'greengrass:GetComponentVersionArtifact',
    'greengrass:ResolveComponentCandidates',
    'greengrass:GetDeploymentConfiguration',
    'greengrass:ListThingGroupsForCoreDevice',
  ]);
  for (const action of GREENGRASS_CORE_ACTIONS)
    t.deepEqual(
      of(action).flatMap((s) => s.Resource),
      ['*'],
      action,
    );
  t.deepEqual(document.Statement.map((s) => s.Action).flat(), [
    'iot:Connect',
    'iot:Publish',
    'iot:Subscribe',
    'iot:Receive',
    'iot:AssumeRoleWithCertificate',
    ...GREENGRASS_CORE_ACTIONS,
  ]);
});

const decide = (who: Principal, action: PolicyAction, target: string): boolean =>
  authorize(who, action, target).allowed;

test('machine subscriptions stay inside its own topics', (t) => {
  const press = machinePrincipal({ factoryId: 'f1', lineId: 'l1', machineId: 'press-01' });
  t.true(decide(press, 'subscribe', 'dt/f1/l1/press-01/+'));
  t.true(decide(press, 'subscribe', 'dt/f1/l1/press-01/state'));
  t.false(decide(press, 'subscribe', 'dt/f1/l1/+/state'));
  t.false(decide(press, 'subscribe', 'dt/#'));
  t.false(decide(press, 'subscribe', 'cmd/f1/#'));
  t.true(decide(press, 'receive', 'dt/f1/l1/press-01/state'));
  t.false(decide(press, 'receive', 'dt/f1/l1/lathe-02/state'));
});

test('a gateway subscribes to its own command topics only', (t) => {
  const gateway = gatewayPrincipal('f1', 'gw-f1');
  t.true(decide(gateway, 'subscribe', 'cmd/f1/gw-f1/#'));
  t.true(decide(gateway, 'subscribe', 'cmd/f1/gw-f1'));
  t.false(decide(gateway, 'subscribe', 'cmd/f1/gw-f2/#'));
  t.false(decide(gateway, 'subscribe', 'cmd/f1/+/#'));
  t.false(decide(gateway, 'subscribe', 'dt/f1/#'));
  t.false(decide(gateway, 'publish', 'cmd/f1/gw-f1/ack'));
});

test('a service reads and writes every data topic and nothing else', (t) => {
  const recorder = servicePrincipal('factory-recorder');
  t.true(decide(recorder, 'subscribe', 'dt/#'));
  t.true(decide(recorder, 'subscribe', 'dt/+/+/+/+'));
  t.true(decide(recorder, 'publish', 'dt/f2/l9/m1/counts'));
  t.false(decide(recorder, 'subscribe', '#'));
  t.false(decide(recorder, 'publish', 'cmd/f1/gw-f1/restart'));
  t.false(decide(recorder, 'publish', '$aws/things/x/shadow/update'));
});

test('a denial names the thing, the action, the topic and what its policy allows', (t) => {
  const decision = authorize(
    machinePrincipal({ factoryId: 'f1', lineId: 'l1', machineId: 'press-01' }),
    'publish',
    'dt/f1/l1/lathe-02/telemetry',
  );
  t.deepEqual(decision, {
    allowed: false,
    reason:
      'thing "f1:l1:press-01" (role machine) may not publish to "dt/f1/l1/lathe-02/telemetry": its policy allows only ' +
      'dt/f1/l1/press-01/telemetry, dt/f1/l1/press-01/state, dt/f1/l1/press-01/counts, dt/f1/l1/press-01/job (* is any text)',
  });
});

test('a thing missing an attribute its policy needs is allowed nothing that needs it', (t) => {
  const incomplete: Principal = {
    thingName: 'f1:l1:press-01',
    attributes: { role: 'machine', factoryId: 'f1', machineId: 'press-01' },
  };
  t.false(decide(incomplete, 'publish', 'dt/f1/l1/press-01/telemetry'));
  t.false(decide(incomplete, 'publish', 'dt/f1//press-01/telemetry'));
  t.true(decide(incomplete, 'connect', 'f1:l1:press-01'));
});

test('the AWS document uses policy variables and the given ARN prefix, and connects only attached things', (t) => {
  for (const role of ['machine', 'gateway', 'service'] as const satisfies readonly Role[]) {
    const document = iotPolicyDocument(role, TARGET);
    t.is(document.Version, '2012-10-17');
    const resources = document.Statement.flatMap((statement) => statement.Resource);
    t.true(
      resources.every((r) => r.startsWith(ARN)),
      role,
    );
    const connect = document.Statement.find((statement) => statement.Action === 'iot:Connect');
    t.deepEqual(
      connect?.Resource,
      role === 'gateway'
        ? [`${ARN}client/\${iot:Connection.Thing.ThingName}`, `${ARN}client/\${iot:Connection.Thing.ThingName}#*`]
        : [`${ARN}client/\${iot:Connection.Thing.ThingName}`],
    );
    t.deepEqual(connect?.Condition, { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } });
  }
  const machine = iotPolicyDocument('machine', TARGET);
  t.true(
    machine.Statement.find((s) => s.Action === 'iot:Publish')?.Resource.includes(
      `${ARN}topic/dt/\${iot:Connection.Thing.Attributes[factoryId]}/\${iot:Connection.Thing.Attributes[lineId]}/\${iot:Connection.Thing.Attributes[machineId]}/telemetry`,
    ),
  );
  t.true(
    iotPolicyDocument('gateway', TARGET)
      .Statement.find((s) => s.Action === 'iot:Subscribe')
      ?.Resource.includes(
        `${ARN}topicfilter/cmd/\${iot:Connection.Thing.Attributes[factoryId]}/\${iot:Connection.Thing.ThingName}/*`,
      ),
  );
});

test('a certificate not attached to a thing may not connect under the AWS document', (t) => {
  const press = machinePrincipal({ factoryId: 'f1', lineId: 'l1', machineId: 'press-01' });
  t.false(
    awsAllows(
      iotPolicyDocument('machine', TARGET),
      { ...connectionOf(press), isAttached: false },
      'connect',
      press.thingName,
    ),
  );
  t.true(awsAllows(iotPolicyDocument('machine', TARGET), connectionOf(press), 'connect', press.thingName));
});

test('registered attributes fit a thing without a thing type (at most three) and leave the role to the policy', (t) => {
  t.deepEqual(thingAttributesFor(machinePrincipal({ factoryId: 'f1', lineId: 'l1', machineId: 'press-01' })), {
    factoryId: 'f1',
    lineId: 'l1',
    machineId: 'press-01',
  });
  t.deepEqual(thingAttributesFor(gatewayPrincipal('f1', 'gw-f1')), { factoryId: 'f1' });
  t.deepEqual(thingAttributesFor(servicePrincipal('factory-replayer')), {});
});
