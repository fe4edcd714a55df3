// The classify API alone under Pulumi mocks: an IAM-authorized route proxied to the classify function,
// which may only read and commit the event table, and the policy pack passes on every resource.
import test from 'ava';
import { RESOURCE_POLICIES } from './policies.ts';
import { runResourcePolicy } from './testing/policyRunner.ts';
import { mockStack, settle, valueOf, type RecordedResource } from './testing/stackHarness.ts';

let resources: RecordedResource[];
let outputs: { url: string; routeArn: string };
test.before(async () => {
  resources = await mockStack('dev');
  const aws = await import('@pulumi/aws');
  const { ClassifyApi } = await import('./classifyApi.ts');
  const identity = { project: 'smart-factory', stack: 'dev' };
  const key = new aws.kms.Key('key', { enableKeyRotation: true });
  const eventTable = new aws.dynamodb.Table('events', {
    name: 'smart-factory-dev-machine-events',
    hashKey: 'pk',
    rangeKey: 'sk',
    attributes: [
      { name: 'pk', type: 'S' },
      { name: 'sk', type: 'N' },
    ],
    serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
  });
  const api = new ClassifyApi('classify', {
    identity,
    keyArn: key.arn,
    eventTableArn: eventTable.arn,
    eventTableName: eventTable.name,
    subnetIds: ['subnet-a'],
    securityGroupId: 'sg-lambda',
    lambdaAssetDir: 'dist/lambdas',
    logRetentionDays: 30,
  });
  outputs = { url: await valueOf(api.url), routeArn: await valueOf(api.routeArn) };
  await settle();
});

const one = (type: string, name?: string): RecordedResource => {
  const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  if (found.length !== 1) throw new Error(`${found.length} ${type} ${name ?? ''}`);
  return found[0]!;
};

test('POST /classify takes IAM authorization and is proxied (payload 2.0) to the classify function', (t) => {
  const route = one('aws:apigatewayv2/route:Route');
  const integration = one('aws:apigatewayv2/integration:Integration');
  const fn = one('aws:lambda/function:Function');
  t.is(route.inputs.routeKey, 'POST /classify');
  t.is(route.inputs.authorizationType, 'AWS_IAM');
  t.is(route.inputs.target, `integrations/${integration.id}`);
  t.is(integration.inputs.integrationType, 'AWS_PROXY');
  t.is(integration.inputs.payloadFormatVersion, '2.0');
  t.is(one('aws:apigatewayv2/api:Api').inputs.protocolType, 'HTTP');
  t.is(fn.inputs.environment.variables.EVENT_TABLE, 'smart-factory-dev-machine-events');
  t.is(fn.inputs.name, 'smart-factory-dev-classify');
  t.regex(outputs.routeArn, /\/\$default\/POST\/classify$/);
});

test('only API Gateway may invoke the function, and only for this route', (t) => {
  const permission = one('aws:lambda/permission:Permission');
  t.is(permission.inputs.principal, 'apigateway.amazonaws.com');
  t.regex(permission.inputs.sourceArn, /\/\*\/POST\/classify$/);
});

test('the function may read and commit the event table, nothing else of the data', (t) => {
  const policy = JSON.parse(one('aws:iam/rolePolicy:RolePolicy').inputs.policy) as {
    Statement: { Sid: string; Action: string[]; Resource: string }[];
  };
  const table = one('aws:dynamodb/table:Table');
  const classify = policy.Statement.find((s) => s.Sid === 'ClassifyStops')!;
  t.deepEqual(classify.Action, [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:ConditionCheckItem',
  ]);
  t.is(classify.Resource, table.state.arn);
  t.deepEqual(
    policy.Statement.map((s) => s.Sid),
    ['OwnLogs', 'VpcNetworkInterfaces', 'StackKey', 'ClassifyStops'],
  );
});

test('the policy pack passes on every resource of the component', async (t) => {
  const config = { stackKeyArns: [one('aws:kms/key:Key').state.arn] };
  for (const policy of RESOURCE_POLICIES)
    t.deepEqual(await runResourcePolicy(policy, resources, config), [], policy.name);
});
