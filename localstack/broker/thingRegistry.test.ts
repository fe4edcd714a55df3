import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { buildThingRegistry } from './thingRegistry.ts';

test('machines, gateways and the local services are registered under their thing names', (t) => {
  const registry = buildThingRegistry({
    machines: [{ factoryId: 'f1', lineId: 'l1', machineId: 'press-01' }],
    gateways: [{ factoryId: 'f1', gatewayId: 'gw-f1' }],
  });
  if (E.isLeft(registry)) return t.fail(registry.left.join('; '));
  t.deepEqual(
    [...registry.right.keys()],
    ['f1:l1:press-01', 'gw-f1', 'factory-replayer', 'factory-recorder', 'factory-dashboard'],
  );
  t.deepEqual(registry.right.get('f1:l1:press-01')?.attributes, {
    role: 'machine',
    factoryId: 'f1',
    lineId: 'l1',
    machineId: 'press-01',
  });
  t.deepEqual(registry.right.get('gw-f1')?.attributes, { role: 'gateway', factoryId: 'f1' });
});

test('a duplicate or malformed name is refused with every reason at once', (t) => {
  const registry = buildThingRegistry({
    machines: [{ factoryId: 'f1', lineId: 'l1', machineId: 'a:b' }],
    gateways: [
      { factoryId: 'f1', gatewayId: 'factory-replayer' },
      { factoryId: 'f1', gatewayId: 'gw/1' },
    ],
  });
  t.deepEqual(E.isLeft(registry) ? registry.left.length : 0, 3);
  const text = E.isLeft(registry) ? registry.left.join('\n') : '';
  t.regex(text, /machine "f1:l1:a:b": factory, line and machine ids must each be/);
  t.regex(text, /thing "factory-replayer" is registered twice \(as gateway and as service\)/);
  t.regex(text, /thing "gw\/1" \(gateway\): expected 1-128 characters/);
});
