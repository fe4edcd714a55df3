import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { receiveWireMessage } from '../pipeline/receiveMessage.ts';
import { decodeSiteConfig, type SiteConfig } from './siteConfig.ts';
import { siteRegistry } from './siteRegistry.ts';

const decoded = (extra: Record<string, unknown>, machine: Record<string, unknown> = {}) =>
  decodeSiteConfig({
    version: 1,
    factories: [
      {
        id: 'f1',
        timezone: 'UTC',
        lines: [
          {
            id: 'l1',
            machines: [
              { id: 'press-01', type: 'press', idealCycleTimeS: 2, ...machine },
              { id: 'press-02', type: 'press', idealCycleTimeS: 2 },
              { id: 'lathe-01', type: 'lathe', idealCycleTimeS: 9 },
            ],
          },
        ],
      },
    ],
    ...extra,
  });
const siteOf = (extra: Record<string, unknown>, machine: Record<string, unknown> = {}): SiteConfig => {
  const result = decoded(extra, machine);
  if (E.isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right;
};

test("a machine's own ideal cycle time for a product wins over its type's; a type the product has none for does not make it", (t) => {
  const site = siteOf({
    products: [
      { id: 'a', name: 'Bracket A', idealCycleTimeS: { byType: { press: 1.2 }, byMachine: { 'f1/l1/press-02': 1.0 } } },
      { id: 'b', idealCycleTimeS: { byMachine: { 'f1/l1/lathe-01': 7 } } },
    ],
  });
  const times = Object.fromEntries(
    siteRegistry(site)
      .machines()
      .map((m) => [m.machine, m.productCycleTimesS]),
  );
  t.deepEqual(times, { 'press-01': { a: 1.2 }, 'press-02': { a: 1.0 }, 'lathe-01': { b: 7 } });
});

test('catalog problems name the path and what to do', (t) => {
  const result = decoded({
    products: [
      { id: 'a', idealCycleTimeS: { byType: { Press: 1 } } },
      { id: 'a', idealCycleTimeS: { byMachine: { 'f1/l1/press-9': 1 } } },
      { id: 'c', idealCycleTimeS: {} },
      { id: 'd', idealCycleTimeS: { byType: { press: 0 } } },
    ],
  });
  t.deepEqual(E.isLeft(result) ? result.left : [], [
    'products[3].idealCycleTimeS.byType.press: expected a number > 0, got 0',
  ]);
  const crossField = decoded({
    products: [
      { id: 'a', idealCycleTimeS: { byType: { Press: 1 } } },
      { id: 'a', idealCycleTimeS: { byMachine: { 'f1/l1/press-9': 1 } } },
      { id: 'c', idealCycleTimeS: {} },
    ],
  });
  t.deepEqual(E.isLeft(crossField) ? crossField.left : [], [
    'products[0].idealCycleTimeS.byType.Press: no machine has type "Press" (types: press, lathe; types are case-sensitive)',
    'products[1].id: duplicate product id "a"; product ids must be unique across the site',
    'products[1].idealCycleTimeS.byMachine.f1/l1/press-9: no machine "f1/l1/press-9" in factories; write it as "factory/line/machine"',
    'products[2].idealCycleTimeS: no machine type or machine makes "c"; give byType (machine type → seconds per part) or byMachine ("factory/line/machine" → seconds per part)',
  ]);
});

test('counterBits is 16 or 32; a counts message that does not fit it is bad input with its reason', (t) => {
  const bad = decoded({}, { counterBits: 24 });
  t.deepEqual(E.isLeft(bad) ? bad.left : [], [
    'factories[0].lines[0].machines[0].counterBits: expected a counter width in bits (16 or 32), got 24',
  ]);
  const site = siteOf({}, { counterBits: 16 });
  const received = receiveWireMessage(site, siteRegistry(site), 'dt/f1/l1/press-01/counts', {
    kind: 'json',
    payload: { v: 1, id: 'c1', ts: 1_700_000_000_000, total: 70_000, reject: 0 },
  });
  t.deepEqual(
    received,
    E.left(
      'total: 70000 does not fit the 16-bit counters of machine f1/l1/press-01 (counterBits in the site configuration); check its counterBits',
    ),
  );
});
