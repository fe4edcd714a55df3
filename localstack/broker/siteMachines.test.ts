import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { machinesOfSiteConfig } from './siteMachines.ts';

test('reads factories ▸ lines ▸ machines from YAML and JSON alike', (t) => {
  const yaml =
    'version: 1\nfactories:\n  - id: f1\n    lines:\n      - id: l1\n        machines:\n          - { id: press-01, type: press }\n          - { id: lathe-02, type: lathe }\n';
  const expected = [
    { factoryId: 'f1', lineId: 'l1', machineId: 'press-01' },
    { factoryId: 'f1', lineId: 'l1', machineId: 'lathe-02' },
  ];
  t.deepEqual(machinesOfSiteConfig(yaml, 'site.yaml'), E.right(expected));
  const json = JSON.stringify({
    version: 1,
    factories: [{ id: 'f1', lines: [{ id: 'l1', machines: [{ id: 'press-01' }, { id: 'lathe-02' }] }] }],
  });
  t.deepEqual(machinesOfSiteConfig(json, 'site.json'), E.right(expected));
});

test('a bad id is reported with its path', (t) => {
  const json = JSON.stringify({ factories: [{ id: 'f1', lines: [{ id: 'l 1', machines: [{ id: 'press-01' }] }] }] });
  t.deepEqual(
    machinesOfSiteConfig(json, 'site.json'),
    E.left(['site.json: factories[0].lines[0].id: expected an id of 1-64 characters A-Z a-z 0-9 _ -, got "l 1"']),
  );
  t.true(E.isLeft(machinesOfSiteConfig('{"version": 1}', 'site.json')));
});
