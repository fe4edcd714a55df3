import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { normalizeMetric } from './normalizeMetric.ts';
import { decodeSiteConfig, type SiteConfig } from './siteConfig.ts';
import { siteRegistry } from './siteRegistry.ts';

const site = ((): SiteConfig => {
  const result = decodeSiteConfig({
    version: 1,
    factories: [
      {
        id: 'f2',
        timezone: 'Asia/Tokyo',
        lines: [{ id: 'l1', machines: [{ id: 'robot-01', type: 'robot', idealCycleTimeS: 30 }] }],
      },
      {
        id: 'f1',
        timezone: 'Europe/Berlin',
        lines: [
          {
            id: 'l2',
            machines: [
              { id: 'cnc-02', type: 'cnc', idealCycleTimeS: 90 },
              { id: 'cnc-01', type: 'cnc', idealCycleTimeS: 80 },
            ],
          },
          { id: 'l1', machines: [{ id: 'press-01', type: 'press', idealCycleTimeS: 1.5 }] },
        ],
      },
    ],
    metrics: {
      spindle_temp: { unit: 'degC', min: -40, max: 400 },
      pressure: { unit: 'kPa', min: 0 },
      vibration: { unit: 'mm/s' },
    },
    detectors: {
      press: [
        { kind: 'threshold', metric: 'pressure', above: 300, forS: 5 },
        { kind: 'heartbeat', timeoutS: 60 },
      ],
      robot: [],
      cnc: [],
    },
  });
  if (E.isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right;
})();

test('the registry finds a machine with its type, ideal cycle time, factory time zone and detectors', (t) => {
  t.deepEqual(siteRegistry(site).machine('f1', 'l1', 'press-01'), {
    factory: 'f1',
    line: 'l1',
    machine: 'press-01',
    type: 'press',
    idealCycleTimeS: 1.5,
    timezone: 'Europe/Berlin',
    detectors: [
      { kind: 'threshold', metric: 'pressure', above: 300, clearBelow: 300, forS: 5 },
      { kind: 'heartbeat', timeoutS: 60 },
    ],
  });
  t.deepEqual(siteRegistry(site).machine('f2', 'l1', 'robot-01')?.detectors, [], 'a type without detectors has none');
});

test('the registry knows no machine outside the configuration, even with ids from other levels', (t) => {
  const registry = siteRegistry(site);
  t.is(registry.machine('f1', 'l1', 'cnc-01'), undefined, 'cnc-01 is on line l2');
  t.is(registry.machine('f2', 'l1', 'press-01'), undefined);
  t.is(registry.machine('f9', 'l1', 'press-01'), undefined);
  t.is(registry.factory('f2')?.timezone, 'Asia/Tokyo');
  t.is(registry.factory('nope'), undefined);
});

test('the registry lists machines sorted by factory, line, machine', (t) => {
  t.deepEqual(
    siteRegistry(site)
      .machines()
      .map((m) => `${m.factory}/${m.line}/${m.machine}`),
    ['f1/l1/press-01', 'f1/l2/cnc-01', 'f1/l2/cnc-02', 'f2/l1/robot-01'],
  );
});

test('a bare number is already in the canonical unit', (t) => {
  t.deepEqual(normalizeMetric(site, 'spindle_temp', { value: 71.5, unit: undefined }), E.right(71.5));
});

test('a reading with a unit is converted to the canonical unit', (t) => {
  t.deepEqual(normalizeMetric(site, 'spindle_temp', { value: 212, unit: 'degF' }), E.right(100));
  t.deepEqual(normalizeMetric(site, 'pressure', { value: 2, unit: 'bar' }), E.right(200));
  t.deepEqual(normalizeMetric(site, 'spindle_temp', { value: 20, unit: '°C' }), E.right(20));
  const vibration = normalizeMetric(site, 'vibration', { value: 1, unit: 'in/s' });
  t.deepEqual(vibration, E.right(25.4));
});

test('a value outside the valid range is refused with the metric, the value and the bound', (t) => {
  t.deepEqual(
    normalizeMetric(site, 'spindle_temp', { value: 812, unit: 'degC' }),
    E.left('spindle_temp: 812 degC is above the valid maximum 400 degC'),
  );
  t.deepEqual(
    normalizeMetric(site, 'spindle_temp', { value: 812, unit: undefined }),
    E.left('spindle_temp: 812 degC is above the valid maximum 400 degC'),
  );
  t.deepEqual(
    normalizeMetric(site, 'spindle_temp', { value: 1000, unit: 'degF' }),
    E.left('spindle_temp: 1000 degF (537.778 degC) is above the valid maximum 400 degC'),
  );
  t.deepEqual(
    normalizeMetric(site, 'pressure', { value: -1, unit: 'psi' }),
    E.left('pressure: -1 psi (-6.89476 kPa) is below the valid minimum 0 kPa'),
  );
  t.deepEqual(
    normalizeMetric(site, 'spindle_temp', { value: 400, unit: undefined }),
    E.right(400),
    'the bounds themselves are valid',
  );
  t.deepEqual(
    normalizeMetric(site, 'spindle_temp', { value: 400.0000001, unit: undefined }),
    E.left('spindle_temp: 400.0000001 degC is above the valid maximum 400 degC'),
  );
  t.deepEqual(normalizeMetric(site, 'spindle_temp', { value: -40, unit: 'degF' }), E.right(-40));
  t.deepEqual(
    normalizeMetric(site, 'vibration', { value: 1e6, unit: undefined }),
    E.right(1e6),
    'a metric without bounds takes any value',
  );
});

test('an unknown unit or a unit of another dimension is refused, naming the metric', (t) => {
  t.deepEqual(
    normalizeMetric(site, 'spindle_temp', { value: 20, unit: 'degK' }),
    E.left('spindle_temp: unknown unit "degK"; known temperature units are degC, degF, K'),
  );
  const other = normalizeMetric(site, 'spindle_temp', { value: 20, unit: 'kPa' });
  t.true(
    E.isLeft(other) && other.left.startsWith('spindle_temp: cannot convert "kPa" (pressure) to "degC" (temperature)'),
  );
});

test('a metric the site does not configure is refused: it has no canonical unit', (t) => {
  t.deepEqual(
    normalizeMetric(site, 'humidity', { value: 40, unit: undefined }),
    E.left(
      'humidity: unknown metric; the site configuration\'s metrics has spindle_temp, pressure, vibration; add "humidity" with its unit and range to accept it',
    ),
  );
  t.true(
    E.isLeft(normalizeMetric(site, 'constructor', { value: 1, unit: undefined })),
    'object prototype names are not metrics',
  );
});
