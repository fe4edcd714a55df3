import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { decodeSiteConfig } from './siteConfig.ts';
import { downtimeByCategory } from './reasonCatalog.ts';

const site = (reasons: unknown) => ({
  version: 1,
  factories: [
    {
      id: 'f1',
      timezone: 'Europe/Berlin',
      lines: [{ id: 'l1', machines: [{ id: 'm1', type: 'press', idealCycleTimeS: 1 }] }],
    },
  ],
  ...(reasons === undefined ? {} : { reasons }),
});

test('a reason catalog gives each code a category of the six big losses and an optional name', (t) => {
  const decoded = decodeSiteConfig(
    site([
      { code: 'jam', category: 'idlingAndMinorStops', name: 'Jam' },
      { code: 'tool_failure', category: 'equipmentFailure' },
    ]),
  );
  t.deepEqual(E.isRight(decoded) ? decoded.right.reasons : undefined, [
    { code: 'jam', category: 'idlingAndMinorStops', name: 'Jam' },
    { code: 'tool_failure', category: 'equipmentFailure' },
  ]);
});

test('without a catalog the site decodes as before: no reasons key at all', (t) => {
  const decoded = decodeSiteConfig(site(undefined));
  t.true(E.isRight(decoded) && !('reasons' in decoded.right));
});

test('an unknown category, a code listed twice or an empty catalog is refused with its path', (t) => {
  t.deepEqual(decodeSiteConfig(site([{ code: 'jam', category: 'breakdown' }])), {
    _tag: 'Left',
    left: [
      'reasons[0].category: expected one of the six big losses (equipmentFailure, setupAndAdjustments, idlingAndMinorStops, reducedSpeed, processDefects, reducedYield), got "breakdown"',
    ],
  });
  t.deepEqual(
    decodeSiteConfig(
      site([
        { code: 'jam', category: 'idlingAndMinorStops' },
        { code: 'jam', category: 'equipmentFailure' },
      ]),
    ),
    { _tag: 'Left', left: ['reasons[1].code: "jam" is listed twice; give each reason code once'] },
  );
  t.true(E.isLeft(decodeSiteConfig(site([]))));
});

test('downtime by category sums the reasons the catalog lists; unlisted reasons are uncategorized, unspecified stays itself', (t) => {
  t.deepEqual(
    downtimeByCategory(
      [
        { code: 'jam', category: 'idlingAndMinorStops' },
        { code: 'tool', category: 'equipmentFailure' },
      ],
      {
        jam: 0.1,
        tool: 60,
        misc: 0.2,
        other: 0.1,
        unspecified: 5,
      },
    ),
    { equipmentFailure: 60, idlingAndMinorStops: 0.1, uncategorized: 0.3, unspecified: 5 },
  );
});
