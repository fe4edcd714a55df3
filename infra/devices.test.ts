// Devices alone, under mocks, for a hand-made site: a thing per gateway and machine in its factory's
// group, and a certificate (with the core device's own policy) only where a CSR was given.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { SiteTopology } from './siteTopology.ts';
import { constructAlone, IDENTITY, TARGET, type Constructed } from './testing/componentHarness.ts';

const SITE: SiteTopology = {
  factories: [
    { id: 'f1', name: 'Plant one', lineIds: ['l1'], gatewayIds: ['gw-f1'] },
    { id: 'f2', name: 'Plant two', lineIds: ['l1'], gatewayIds: ['gw-f2'] },
  ],
  machines: [
    { factoryId: 'f1', lineId: 'l1', machineId: 'press-01', type: 'press', idealCycleTimeS: 1 },
    { factoryId: 'f2', lineId: 'l1', machineId: 'mill-01', type: 'mill', idealCycleTimeS: 30 },
  ],
  metrics: {},
};

const csrDir = mkdtempSync(join(tmpdir(), 'devices-csr-'));
test.after.always(() => rmSync(csrDir, { recursive: true, force: true }));

let built: Constructed;
test.before(async () => {
  writeFileSync(
    join(csrDir, 'gw-f1.csr.pem'),
    '-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n',
  );
  built = await constructAlone(async () => {
    const { Devices } = await import('./devices.ts');
    return new Devices('devices', { identity: IDENTITY, target: TARGET, site: SITE, certificateCsrDir: csrDir });
  });
});

test("every gateway and machine is a thing in its factory's group", (t) => {
  const groups = Object.fromEntries(built.ofType('aws:iot/thingGroup:ThingGroup').map((g) => [g.state.name, g]));
  const memberships = built.ofType('aws:iot/thingGroupMembership:ThingGroupMembership');
  const factoryOf = (thing: string) =>
    groups[memberships.find((m) => m.inputs.thingName === thing)!.inputs.thingGroupName]!.inputs.properties
      .attributePayload.attributes.factoryId;
  const things = built.ofType('aws:iot/thing:Thing').map((th) => th.inputs.name as string);
  t.is(things.length, 4);
  t.is(factoryOf('gw-f1'), 'f1');
  t.is(factoryOf('gw-f2'), 'f2');
  for (const thing of things.filter((th) => !th.startsWith('gw-')))
    t.is(factoryOf(thing), thing.includes('f1') ? 'f1' : 'f2', thing);
});

test("a certificate only where a CSR was given, attached to that gateway's thing and its own core policy", (t) => {
  const certificate = built.one('aws:iot/certificate:Certificate');
  t.is(built.one('aws:iot/thingPrincipalAttachment:ThingPrincipalAttachment').inputs.thing, 'gw-f1');
  const attachment = built.one('aws:iot/policyAttachment:PolicyAttachment');
  t.is(attachment.inputs.target, certificate.state.arn);
  t.is(attachment.inputs.policy, built.one('aws:iot/policy:Policy', 'devices-core-gw-f1').state.name);
});
