// Twins alone, under mocks, for a hand-made site: Factory ▸ Line ▸ Machine assets, each machine's
// properties under its own alias. The alias layout is plain data, checked for any site without mocks.
import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import type { SiteTopology } from './siteTopology.ts';
import { constructAlone, IDENTITY, type Constructed } from './testing/componentHarness.ts';
import { aliasPrefix, machineAttributeValues, propertyAlias } from './twins.ts';

const SITE: SiteTopology = {
  factories: [
    { id: 'f1', name: 'Plant one', lineIds: ['l1', 'l2'], gatewayIds: ['gw-f1'] },
    { id: 'f2', name: 'Plant two', lineIds: ['l1'], gatewayIds: ['gw-f2'] },
  ],
  machines: [
    { factoryId: 'f1', lineId: 'l1', machineId: 'press-01', type: 'press', idealCycleTimeS: 1 },
    { factoryId: 'f1', lineId: 'l2', machineId: 'press-02', type: 'press', idealCycleTimeS: 1.5 },
    { factoryId: 'f2', lineId: 'l1', machineId: 'mill-01', type: 'mill', idealCycleTimeS: 30 },
  ],
  metrics: { spindle_temp: 'degC' },
};

let built: Constructed;
test.before(async () => {
  built = await constructAlone(async () => {
    const { Twins } = await import('./twins.ts');
    return new Twins('twins', { identity: IDENTITY, site: SITE });
  });
});

const asset = (name: string) => built.one('aws-native:iotsitewise:Asset', name);

test("each line holds its own machines' assets, each factory its own lines'", (t) => {
  const children = (name: string) => asset(name).inputs.assetHierarchies.map((h: any) => h.childAssetId);
  t.deepEqual(children('twins-f1-l1'), [asset('twins-f1-l1-press-01').state.assetId]);
  t.deepEqual(children('twins-f1-l2'), [asset('twins-f1-l2-press-02').state.assetId]);
  t.deepEqual(children('twins-f1'), [asset('twins-f1-l1').state.assetId, asset('twins-f1-l2').state.assetId]);
  t.deepEqual(children('twins-f2'), [asset('twins-f2-l1').state.assetId]);
});

test("a machine asset's properties carry its aliases, the site's metrics among them", (t) => {
  const aliases = asset('twins-f2-l1-mill-01').inputs.assetProperties.map((p: any) => p.alias);
  t.true(aliases.includes(propertyAlias(IDENTITY, SITE.machines[2]!, 'spindle_temp')));
  t.true(aliases.every((a: string) => a.startsWith(`${aliasPrefix(IDENTITY)}/f2/l1/mill-01/`)));
});

const id = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/);
const site = fc
  .uniqueArray(fc.tuple(id, id, id), { selector: ([f, l, m]) => `${f}/${l}/${m}`, minLength: 1, maxLength: 12 })
  .map((refs) => refs.map(([factoryId, lineId, machineId]) => ({ factoryId, lineId, machineId })));

testProp(
  "every machine's attribute alias is its own, under its stack's prefix: two stacks never write each other's",
  [site, fc.constantFrom('dev', 'prod'), fc.constantFrom('dev', 'prod', 'test')],
  (t, machines, stack, other) => {
    const topology = {
      factories: [],
      machines: machines.map((m) => ({ ...m, type: 'press', idealCycleTimeS: 1 })),
      metrics: {},
    };
    const values = machineAttributeValues({ project: 'smart-factory', stack }, topology);
    t.is(new Set(values.map((v) => v.alias)).size, machines.length);
    const prefix = aliasPrefix({ project: 'smart-factory', stack });
    t.true(values.every((v) => v.alias.startsWith(`${prefix}/`)));
    if (other !== stack)
      t.false(values.some((v) => v.alias.startsWith(`${aliasPrefix({ project: 'smart-factory', stack: other })}/`)));
  },
);
