import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import { decodeSiteConfig, type SiteConfig } from './siteConfig.ts';

// The example of the design's site configuration, verbatim.
const designExample = () => ({
  version: 1,
  factories: [
    {
      id: 'f1',
      name: 'Plant Leipzig',
      timezone: 'Europe/Berlin',
      lines: [{ id: 'l1', machines: [{ id: 'press-01', type: 'press', idealCycleTimeS: 1.0 }] }],
    },
  ],
  shifts: [{ name: 'early', start: '06:00', end: '14:00', breaks: [{ start: '09:00', end: '09:15' }] }],
  microStopS: 120,
  heartbeatTimeoutS: 300,
  allowedLatenessS: 600,
  metrics: { spindle_temp: { unit: 'degC', min: -40, max: 400 } } as Record<string, unknown>,
  detectors: {
    press: [
      { kind: 'threshold', metric: 'spindle_temp', above: 90, clearBelow: 85, forS: 30 },
      { kind: 'heartbeat', timeoutS: 300 },
    ],
  } as Record<string, unknown[]>,
});

const ok = (json: unknown): SiteConfig => {
  const result = decodeSiteConfig(json);
  if (E.isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right;
};
const problems = (json: unknown): readonly string[] => {
  const result = decodeSiteConfig(json);
  if (E.isRight(result)) throw new Error('expected the site to be refused');
  return result.left;
};
const edit = (change: (doc: any) => void): unknown => {
  const doc = designExample() as any;
  change(doc);
  return doc;
};

test('a complete site configuration example decodes as written', (t) => {
  const site = ok(designExample());
  t.is(site.factories[0]?.timezone, 'Europe/Berlin');
  t.deepEqual(site.detectors.press?.[0], {
    kind: 'threshold',
    metric: 'spindle_temp',
    above: 90,
    clearBelow: 85,
    forS: 30,
  });
  t.is(site.shifts?.[0]?.breaks?.[0]?.end, '09:15');
});

test('absent timing fields take their defaults 120, 300, 600, and metrics/detectors default to none', (t) => {
  const site = ok({ version: 1, factories: [{ id: 'f1', timezone: 'UTC', lines: [] }] });
  t.is(site.microStopS, 120);
  t.is(site.heartbeatTimeoutS, 300);
  t.is(site.allowedLatenessS, 600);
  t.deepEqual(site.metrics, {});
  t.deepEqual(site.detectors, {});
  t.is(site.shifts, undefined, 'no shifts: all time planned');
});

test('an absent clear bound defaults to the raise bound', (t) => {
  const site = ok(
    edit((d) => {
      d.detectors.press = [{ kind: 'threshold', metric: 'spindle_temp', above: 90, below: 10 }];
    }),
  );
  t.deepEqual(site.detectors.press?.[0], {
    kind: 'threshold',
    metric: 'spindle_temp',
    above: 90,
    clearBelow: 90,
    below: 10,
    clearAbove: 10,
  });
});

test('a bad field is named by its path with brackets for list positions', (t) => {
  const doc = edit((d) => {
    d.factories[0].lines = [
      { id: 'l1', machines: [] },
      {
        id: 'l2',
        machines: [
          { id: 'a', type: 'press', idealCycleTimeS: 1 },
          { id: 'b', type: 'press', idealCycleTimeS: 1 },
          { id: 'c', type: 'press', idealCycleTimeS: 0 },
        ],
      },
    ];
  });
  t.deepEqual(problems(doc), ['factories[0].lines[1].machines[2].idealCycleTimeS: expected a number > 0, got 0']);
});

test('every codec problem is reported at once, one line each', (t) => {
  const lines = problems(
    edit((d) => {
      d.version = 2;
      d.factories[0].timezone = 'Mars/Olympus_Mons';
      d.factories[0].lines[0].machines[0].id = 'press 01';
      d.shifts[0].start = '24:00';
      d.microStopS = -1;
      d.metrics.spindle_temp.unit = 'furlong';
    }),
  );
  t.deepEqual(
    lines.map((line) => line.split(':')[0]),
    [
      'version',
      'factories[0].timezone',
      'factories[0].lines[0].machines[0].id',
      'shifts[0].start',
      'microStopS',
      'metrics.spindle_temp.unit',
    ],
  );
  t.regex(lines[0] ?? '', /expected 1 .* got 2/);
  t.regex(lines[1] ?? '', /expected an IANA time zone such as "Europe\/Berlin", got "Mars\/Olympus_Mons"/);
  t.regex(lines[3] ?? '', /expected a time of day "HH:MM" \(00:00-23:59\), got "24:00"; write midnight as "00:00"/);
  t.regex(lines[4] ?? '', /expected a number >= 0, got -1/);
  t.regex(lines[5] ?? '', /expected a known unit, got "furlong"; known units are degC, degF, K, Pa/);
});

test('fixed offsets and empty strings are not time zones', (t) => {
  for (const zone of ['+01:00', '', 'CEST+2', 'Europe/Berlinn']) {
    t.regex(
      problems(
        edit((d) => {
          d.factories[0].timezone = zone;
        }),
      )[0] ?? '',
      /^factories\[0\]\.timezone: expected an IANA time zone/,
      zone,
    );
  }
});

test('legacy zone names for fixed offsets (EST, MST, HST, Etc/GMT+5) are refused like fixed offsets, naming the zone to use', (t) => {
  t.deepEqual(
    problems(
      edit((d) => {
        d.factories[0].timezone = 'EST';
      }),
    ),
    [
      'factories[0].timezone: expected an IANA time zone such as "Europe/Berlin", got "EST": a legacy name for a fixed offset that ignores daylight saving time; use "America/New_York" (Eastern time)',
    ],
  );
  for (const zone of ['MST', 'HST', 'Etc/GMT+5'])
    t.regex(
      problems(
        edit((d) => {
          d.factories[0].timezone = zone;
        }),
      )[0] ?? '',
      /ignores daylight saving time; use .*"[A-Z][a-z]+\/[A-Za-z_]+"/,
      zone,
    );
  for (const zone of ['UTC', 'America/Chicago', 'Asia/Kolkata'])
    t.true(
      E.isRight(
        decodeSiteConfig(
          edit((d) => {
            d.factories[0].timezone = zone;
          }),
        ),
      ),
      zone,
    );
});

test('a machine type with no entry in detectors is a load error naming the known types (an explicit [] is accepted)', (t) => {
  t.deepEqual(
    problems(
      edit((d) => {
        d.factories[0].lines[0].machines[0].type = 'PRESS';
      }),
    ),
    [
      'factories[0].lines[0].machines[0].type: "PRESS" has no entry in detectors (known types: press; types are case-sensitive); use one of them, or add detectors.PRESS (an empty list [] for a type without detectors)',
    ],
  );
  t.true(
    E.isRight(
      decodeSiteConfig(
        edit((d) => {
          d.factories[0].lines[0].machines[0].type = 'conveyor';
          d.detectors.conveyor = [];
        }),
      ),
    ),
  );
});

test('unknown and missing fields are refused, so a misspelt field is not silently defaulted', (t) => {
  t.deepEqual(
    problems(
      edit((d) => {
        d.heartbeatTimeout = 60;
      }),
    ),
    [
      'heartbeatTimeout: unknown field; a site configuration has version, factories, shifts, microStopS, heartbeatTimeoutS, allowedLatenessS, metrics, detectors, reasons, products, calendars, maintenance (check the spelling)',
    ],
  );
  t.regex(
    problems(
      edit((d) => {
        d.detectors.press[0] = { kind: 'threshold', metric: 'spindle_temp', above: 90, clearbelow: 85 };
      }),
    )[0] ?? '',
    /^detectors\.press\[0\]\.clearbelow: unknown field; a threshold detector has kind, metric, above, clearBelow, below, clearAbove, forS/,
  );
  t.regex(
    problems(
      edit((d) => {
        delete d.factories[0].lines[0].machines[0].type;
      }),
    )[0] ?? '',
    /^factories\[0\]\.lines\[0\]\.machines\[0\]\.type: missing; a machine needs id, type, idealCycleTimeS/,
  );
  t.regex(
    problems(
      edit((d) => {
        delete d.factories;
      }),
    )[0] ?? '',
    /^factories: missing/,
  );
  t.regex(problems(42)[0] ?? '', /^expected a site configuration \(an object with version, factories/);
});

test('ids are unique: factories across the site, lines within a factory, machines within a line', (t) => {
  const lines = problems(
    edit((d) => {
      const machine = { id: 'm1', type: 'press', idealCycleTimeS: 1 };
      d.factories = [
        {
          id: 'f1',
          timezone: 'UTC',
          lines: [
            { id: 'l1', machines: [machine, machine] },
            { id: 'l1', machines: [machine] },
          ],
        },
        { id: 'f1', timezone: 'UTC', lines: [{ id: 'l1', machines: [machine] }] },
      ];
    }),
  );
  t.deepEqual(lines, [
    'factories[1].id: duplicate factory id "f1" (also factories[0].id); factory ids must be unique across the site',
    'factories[0].lines[1].id: duplicate line id "l1" (also factories[0].lines[0].id); line ids must be unique within factory "f1"',
    'factories[0].lines[0].machines[1].id: duplicate machine id "m1" (also factories[0].lines[0].machines[0].id); machine ids must be unique within line "l1"',
  ]);
});

test('the same line and machine ids in different factories are fine', (t) => {
  const line = { id: 'l1', machines: [{ id: 'm1', type: 'press', idealCycleTimeS: 1 }] };
  t.is(
    ok({
      version: 1,
      factories: [
        { id: 'a', timezone: 'UTC', lines: [line] },
        { id: 'b', timezone: 'UTC', lines: [line] },
      ],
    }).factories.length,
    2,
  );
});

test('a night shift crosses midnight and may take a break across midnight', (t) => {
  const site = ok(
    edit((d) => {
      d.shifts = [
        {
          name: 'night',
          start: '22:00',
          end: '06:00',
          breaks: [
            { start: '23:45', end: '00:15' },
            { start: '05:30', end: '06:00' },
          ],
        },
      ];
    }),
  );
  t.is(site.shifts?.[0]?.name, 'night');
});

test('shift problems: zero length, a break outside its shift, overlapping shifts, duplicate names', (t) => {
  t.deepEqual(
    problems(
      edit((d) => {
        d.shifts = [{ name: 'x', start: '06:00', end: '06:00' }];
      }),
    ),
    ['shifts[0].end: "06:00" equals the start; a shift needs a length (an end before the start crosses midnight)'],
  );
  t.regex(
    problems(
      edit((d) => {
        d.shifts[0].breaks = [{ start: '13:50', end: '14:10' }];
      }),
    )[0] ?? '',
    /^shifts\[0\]\.breaks\[0\]: 13:50-14:10 is not inside shift "early" \(06:00-14:00\)/,
  );
  t.regex(
    problems(
      edit((d) => {
        d.shifts[0].breaks = [{ start: '10:00', end: '09:00' }];
      }),
    )[0] ?? '',
    /^shifts\[0\]\.breaks\[0\]: 10:00-09:00 is not inside/,
  );
  t.regex(
    problems(
      edit((d) => {
        d.shifts.push({ name: 'night', start: '21:00', end: '06:30' });
      }),
    )[0] ?? '',
    /^shifts\[1\]: "night" \(21:00-06:30\) overlaps shifts\[0\] "early" \(06:00-14:00\)/,
  );
  t.regex(
    problems(
      edit((d) => {
        d.shifts.push({ name: 'early', start: '14:00', end: '22:00' });
      }),
    )[0] ?? '',
    /^shifts\[1\]\.name: duplicate shift name "early"/,
  );
  t.truthy(
    ok(
      edit((d) => {
        d.shifts.push({ name: 'late', start: '14:00', end: '22:00' }, { name: 'night', start: '22:00', end: '06:00' });
      }),
    ),
    'shifts that touch do not overlap',
  );
  t.regex(
    problems(
      edit((d) => {
        d.shifts = [];
      }),
    )[0] ?? '',
    /^shifts: expected at least one of shifts \(leave shifts out to plan all time\)/,
  );
});

test('metric problems: min above max', (t) => {
  t.deepEqual(
    problems(
      edit((d) => {
        d.metrics.spindle_temp.min = 500;
      }),
    ),
    ['metrics.spindle_temp.min: 500 is above max 400; min must be <= max'],
  );
  t.truthy(
    ok(
      edit((d) => {
        d.metrics.flow = { unit: 'ratio' };
      }),
    ),
    'a metric without bounds is unbounded',
  );
});

test('detector problems: unknown metric, no bound, clear bounds on the wrong side, duplicate ids, unknown kind', (t) => {
  t.regex(
    problems(
      edit((d) => {
        d.detectors.press[0].metric = 'spindle_tmp';
      }),
    )[0] ?? '',
    /^detectors\.press\[0\]\.metric: "spindle_tmp" is not in metrics; .*known: spindle_temp/,
  );
  t.regex(
    problems(
      edit((d) => {
        d.detectors.press[0] = { kind: 'threshold', metric: 'spindle_temp', forS: 3 };
      }),
    )[0] ?? '',
    /^detectors\.press\[0\]: a threshold needs "above" or "below"/,
  );
  t.regex(
    problems(
      edit((d) => {
        d.detectors.press[0].clearBelow = 95;
      }),
    )[0] ?? '',
    /^detectors\.press\[0\]\.clearBelow: 95 is above "above" 90/,
  );
  t.regex(
    problems(
      edit((d) => {
        d.detectors.press[0] = { kind: 'threshold', metric: 'spindle_temp', below: 10, clearAbove: 5 };
      }),
    )[0] ?? '',
    /^detectors\.press\[0\]\.clearAbove: 5 is below "below" 10/,
  );
  t.regex(
    problems(
      edit((d) => {
        d.detectors.press[0] = { kind: 'threshold', metric: 'spindle_temp', clearAbove: 5, above: 9 };
      }),
    )[0] ?? '',
    /^detectors\.press\[0\]\.clearAbove: given without "below"/,
  );
  t.regex(
    problems(
      edit((d) => {
        d.detectors.press.push({ kind: 'heartbeat', timeoutS: 60 });
      }),
    )[0] ?? '',
    /^detectors\.press\[2\]: same detector id "heartbeat" as detectors\.press\[1\]/,
  );
  t.deepEqual(
    problems(
      edit((d) => {
        d.detectors.press[1] = { kind: 'watchdog', timeoutS: 60 };
      }),
    ),
    [
      'detectors.press[1].kind: expected one of threshold, heartbeat, rateOfChange, flatline, maintenance, got "watchdog"',
    ],
  );
  t.deepEqual(
    problems(
      edit((d) => {
        d.detectors.press[1] = { kind: 'heartbeat', timeoutS: -5 };
      }),
    ),
    ['detectors.press[1].timeoutS: expected seconds >= 0, got -5'],
  );
  t.truthy(
    ok(
      edit((d) => {
        d.detectors.press.push(
          { kind: 'rateOfChange', metric: 'spindle_temp', maxPerS: 2 },
          { kind: 'flatline', metric: 'spindle_temp', forS: 600 },
        );
      }),
    ),
  );
});

const machineArb = fc.record({
  id: fc.stringMatching(/^[a-z0-9-]{1,8}$/),
  type: fc.constantFrom('press', 'cnc'),
  idealCycleTimeS: fc.double({ min: 0.01, max: 1000, noNaN: true }),
});
const siteArb = fc
  .array(fc.uniqueArray(machineArb, { minLength: 1, maxLength: 4, selector: (m) => m.id }), {
    minLength: 1,
    maxLength: 3,
  })
  .map((lines) => ({
    version: 1,
    factories: [{ id: 'f1', timezone: 'Asia/Tokyo', lines: lines.map((machines, i) => ({ id: `l${i}`, machines })) }],
  }));

testProp(
  'a non-positive idealCycleTimeS is the one problem reported, at its own path',
  [siteArb, fc.nat(), fc.nat(), fc.constantFrom(0, -1, -0.5, '1', null)],
  (t, site, lineSeed, machineSeed, bad) => {
    t.true(E.isRight(decodeSiteConfig(site)), 'the generated site is valid before the edit');
    const lines = site.factories[0]!.lines;
    const l = lineSeed % lines.length;
    const m = machineSeed % lines[l]!.machines.length;
    (lines[l]!.machines[m] as any).idealCycleTimeS = bad;
    const result = decodeSiteConfig(site);
    t.true(E.isLeft(result));
    if (E.isLeft(result)) {
      t.is(result.left.length, 1);
      t.true(
        result.left[0]!.startsWith(
          `factories[0].lines[${l}].machines[${m}].idealCycleTimeS: expected a number > 0, got `,
        ),
      );
    }
  },
  { numRuns: 100 },
);

test('maintenance detectors: decode with their defaults left to the detector, and need the five model metrics in K or degC', (t) => {
  const withMetrics = (doc: any, airUnit = 'K') => {
    doc.metrics = {
      ...doc.metrics,
      air_temp: { unit: airUnit },
      process_temp: { unit: 'degC' },
      spindle_speed: { unit: 'rpm' },
      torque: { unit: 'Nm' },
      tool_wear: { unit: 'min' },
    };
  };
  const site = ok(
    edit((d) => {
      withMetrics(d);
      d.detectors.press.push({
        kind: 'maintenance',
        threshold: 0.5,
        clearBelow: 0.3,
        productType: 'L',
        windowS: 120,
        target: 'OSF',
      });
    }),
  );
  t.deepEqual(site.detectors.press?.[2], {
    kind: 'maintenance',
    threshold: 0.5,
    clearBelow: 0.3,
    productType: 'L',
    windowS: 120,
    target: 'OSF',
  });
  t.deepEqual(
    problems(
      edit((d) => {
        d.detectors.press.push({ kind: 'maintenance', threshold: 0.5 });
      }),
    ).length,
    5,
  );
  t.regex(
    problems(
      edit((d) => {
        d.detectors.press.push({ kind: 'maintenance', threshold: 0.5 });
      }),
    )[0]!,
    /^detectors\.press\[2\]: the failure model reads the metric "air_temp", which is not in metrics/,
  );
  t.deepEqual(
    problems(
      edit((d) => {
        withMetrics(d, 'degF');
        d.detectors.press.push({ kind: 'maintenance', threshold: 0.5, clearBelow: 0.7 });
      }),
    ),
    [
      'metrics.air_temp.unit: "degF" cannot feed the failure model of detectors.press[2]; expected K or degC',
      'detectors.press[2].clearBelow: 0.7 is above threshold 0.5; the alert clears below the risk that raised it, so clearBelow <= threshold',
    ],
  );
  t.is(
    problems(
      edit((d) => {
        withMetrics(d);
        d.detectors.press.push({ kind: 'maintenance', threshold: 1.5, model: 'x.json' });
      }),
    ).length,
    2,
  );
});
