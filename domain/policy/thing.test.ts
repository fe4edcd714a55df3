import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import { machineThingName, machineOfThingName, isValidThingName } from './thing.ts';

const idChar = fc.constantFrom(...'abcXYZ019_-'.split(''));
const id = fc.string({ unit: idChar, minLength: 1, maxLength: 64 });
const ref = fc.record({ factoryId: id, lineId: id, machineId: id });

testProp(
  'a machine thing name is a valid AWS thing name and splits back into the same machine',
  [ref],
  (t, machine) => {
    const name = machineThingName(machine);
    t.true(isValidThingName(name));
    t.deepEqual(machineOfThingName(name), machine);
  },
  { numRuns: 500 },
);

testProp(
  'distinct machines have distinct thing names',
  [ref, ref],
  (t, a, b) => {
    const same = a.factoryId === b.factoryId && a.lineId === b.lineId && a.machineId === b.machineId;
    t.is(machineThingName(a) === machineThingName(b), same);
  },
  { numRuns: 500 },
);

test('gateway and service names are not machine names', (t) => {
  t.is(machineOfThingName('gw-f1'), undefined);
  t.is(machineOfThingName('factory-replayer'), undefined);
  t.is(machineOfThingName('a:b:c:d'), undefined);
  t.false(isValidThingName('f1/l1/m1'));
});
