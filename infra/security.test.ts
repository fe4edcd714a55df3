// Security alone, under mocks: a VPC endpoint for every service a function calls and no other, and a
// Lambda security group that reaches only those. Which endpoints are needed is plain data, checked
// for every configuration without mocks.
import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import { FUNCTION_NAMES, functionCalls } from './lambdaServices.ts';
import { endpointNeeds } from './security.ts';
import { constructAlone, IDENTITY, TARGET, type Constructed } from './testing/componentHarness.ts';

const ENDPOINT_TARGET = { region: 'eu-central-1', timestreamCell: undefined };

let built: Constructed;
test.before(async () => {
  built = await constructAlone(async () => {
    const { Security } = await import('./security.ts');
    return new Security('security', {
      identity: IDENTITY,
      target: TARGET,
      endpointTarget: ENDPOINT_TARGET,
      vpcCidr: '10.20.0.0/16',
      availabilityZones: 2,
      timeSeriesSink: 'influxdb',
      riskEndpoint: true,
      training: true,
    });
  });
});

test('the VPC has an endpoint for every service the functions call (and S3 for training), isolated subnets, no NAT', (t) => {
  const vpc = built.one('awsx:ec2:Vpc');
  t.deepEqual(
    vpc.inputs.vpcEndpointSpecs.map((e: any) => e.serviceName).sort(),
    endpointNeeds({ endpointTarget: ENDPOINT_TARGET, timeSeriesSink: 'influxdb', riskEndpoint: true, training: true })
      .map((e) => e.serviceName)
      .sort(),
  );
  t.deepEqual(vpc.inputs.natGateways, { strategy: 'None' });
  t.deepEqual(
    vpc.inputs.subnetSpecs.map((s: any) => s.type),
    ['Isolated'],
  );
});

test('the Lambda security group takes nothing in and sends only HTTPS into the VPC (and InfluxDB on 8086)', (t) => {
  const group = built.one('aws:ec2/securityGroup:SecurityGroup', 'security-lambda');
  t.is(group.inputs.ingress, undefined);
  for (const rule of group.inputs.egress)
    t.true(
      (rule.fromPort === 443 && rule.toPort === 443) || (rule.fromPort === 8086 && rule.toPort === 8086),
      rule.description,
    );
  t.true(group.inputs.egress.every((r: any) => r.cidrBlocks === undefined || r.cidrBlocks[0] === '10.20.0.0/16'));
});

testProp(
  'every service any function calls has exactly one endpoint, S3 only for training, whatever the configuration',
  [
    fc.constantFrom('timestream' as const, 'influxdb' as const),
    fc.boolean(),
    fc.boolean(),
    fc.constantFrom('eu-central-1', 'us-east-1', 'ap-southeast-2'),
    fc.constantFrom('cell1', 'cell2'),
  ],
  (t, sink, riskEndpoint, training, region, timestreamCell) => {
    const needs = endpointNeeds({
      endpointTarget: { region, timestreamCell },
      timeSeriesSink: sink,
      riskEndpoint,
      training,
    });
    const called = new Set(FUNCTION_NAMES.flatMap((fn) => functionCalls(fn, sink, riskEndpoint)));
    t.deepEqual(new Set(needs.filter((n) => n.call !== 's3').map((n) => n.call)), called);
    t.is(new Set(needs.map((n) => n.serviceName)).size, needs.length, 'no endpoint twice');
    t.is(
      needs.some((n) => n.call === 's3'),
      training,
    );
    for (const need of needs) t.true(need.serviceName.includes(region), need.serviceName);
  },
);

test("the timestream sink without the account's cell is refused, naming the setting", (t) => {
  t.throws(
    () =>
      endpointNeeds({
        endpointTarget: { region: 'eu-central-1', timestreamCell: undefined },
        timeSeriesSink: 'timestream',
      }),
    { message: /factory:timestreamCell/ },
  );
});
