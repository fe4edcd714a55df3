// Products and orders (docs/wire-contract.md#job): a machine that runs two products at different ideal
// rates on one shift, worked by hand, through the one processing core from wire messages to the summary.
import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import { oeeWindow, WHOLE_RANGE } from '../oee/oeeProjection.ts';
import { decodeSiteConfig, type SiteConfig } from '../site/siteConfig.ts';
import { siteRegistry } from '../site/siteRegistry.ts';
import { dataTopic } from '../wire/topic.ts';
import { closedCheckpointView, machineInputOf, processMachineBatch, type MachineInput } from './machineBatch.ts';
import { initialCheckpoint } from './machineCheckpoint.ts';
import { machineStream } from './machineStream.ts';
import { streamConfigs } from './machineStreamConfig.ts';
import { receiveWireMessage } from './receiveMessage.ts';
import { machineSummary, type MachineSummary } from './replaySummary.ts';
import { reportRows } from './windowReport.ts';

const siteOf = (extra: Record<string, unknown> = {}): SiteConfig => {
  const decoded = decodeSiteConfig({
    version: 1,
    factories: [
      {
        id: 'f1',
        timezone: 'UTC',
        lines: [{ id: 'l1', machines: [{ id: 'press-01', type: 'press', idealCycleTimeS: 2 }] }],
      },
    ],
    shifts: [{ name: 'early', start: '06:00', end: '14:00', breaks: [{ start: '10:00', end: '10:30' }] }],
    heartbeatTimeoutS: 4 * 3600,
    allowedLatenessS: 600,
    products: [
      { id: 'bracket-a', idealCycleTimeS: { byType: { press: 1.0 } } },
      { id: 'bracket-b', idealCycleTimeS: { byType: { press: 3.0 }, byMachine: { 'f1/l1/press-01': 1.5 } } },
    ],
    ...extra,
  });
  if (E.isLeft(decoded)) throw new Error(decoded.left.join('\n'));
  return decoded.right;
};

const REF = { factoryId: 'f1', lineId: 'l1', machineId: 'press-01' };
const at = (hhmm: string): string => `2026-11-25T${hhmm}:00.000Z`;
type Line = { readonly type: 'state' | 'counts' | 'job'; readonly payload: Record<string, unknown> };
let nextId = 0;
const state = (hhmm: string, s: string, reason?: string): Line => ({
  type: 'state',
  payload: { v: 1, id: `s${nextId++}`, ts: at(hhmm), state: s, ...(reason === undefined ? {} : { reason }) },
});
const counts = (hhmm: string, total: number, reject: number): Line => ({
  type: 'counts',
  payload: { v: 1, id: `c${nextId++}`, ts: at(hhmm), total, reject },
});
const job = (hhmm: string, order: string, product: string, targetQuantity?: number): Line => ({
  type: 'job',
  payload: {
    v: 1,
    id: `j${nextId++}`,
    ts: at(hhmm),
    order,
    product,
    ...(targetQuantity === undefined ? {} : { targetQuantity }),
  },
});

/** Received as the core receives them, all in one batch or split at `splits`; the summary and what was refused. */
const run = (site: SiteConfig, lines: readonly Line[], splits: readonly number[] = []) => {
  const registry = siteRegistry(site);
  const entry = registry.machines()[0]!;
  const config = streamConfigs(site)(entry);
  const machine = { config, stream: machineStream(config) };
  const refused: string[] = [];
  const inputs: MachineInput[] = [];
  for (const line of lines) {
    const received = receiveWireMessage(site, registry, dataTopic(REF, line.type), {
      kind: 'json',
      payload: line.payload,
    });
    if (E.isLeft(received)) refused.push(received.left);
    else inputs.push(machineInputOf(received.right, Date.parse(line.payload['ts'] as string)));
  }
  let checkpoint = initialCheckpoint(machine.stream);
  const decisions = [];
  let from = 0;
  for (const cut of [...splits.filter((s) => s > 0 && s < inputs.length).sort((a, b) => a - b), inputs.length]) {
    const result = processMachineBatch(machine, checkpoint, inputs.slice(from, cut));
    checkpoint = result.checkpoint;
    decisions.push(...result.decisions);
    from = cut;
  }
  const closed = closedCheckpointView(machine, checkpoint, Date.parse(at('14:00')));
  // The read model's view: the final windows the stream holds, back beside the checkpoint's.
  const final = decisions.flatMap((d) => (d.type === 'OeeWindowsFinal' ? [d.windows] : []));
  const oee = {
    ...closed.checkpoint.oee,
    closedWindows: Object.assign(
      {},
      ...final,
      closed.checkpoint.oee.closedWindows,
    ) as typeof closed.checkpoint.oee.closedWindows,
  };
  const summary = machineSummary({
    machine: entry,
    totals: oeeWindow(oee, WHOLE_RANGE),
    alerts: [],
    oee,
    calendar: config.oee.calendar,
  });
  return { summary, refused, decisions };
};

// One shift 06:00-14:00 with a break 10:00-10:30: 450 planned minutes. The machine's own ideal cycle
// time is 2 s; bracket-a's is 1.0 s (its type's), bracket-b's 1.5 s (this machine's, over the type's 3 s).
//   06:00 order O-1, bracket-a; RUNNING          08:00 DOWN jam (20 min)     08:20 RUNNING
//   10:00 counts 11,400 made, 100 rejected       10:30 order O-2, bracket-b
//   12:00 DOWN material (30 min)  12:30 RUNNING  14:00 counts 17,400 made, 250 rejected
const SHIFT: readonly Line[] = [
  state('06:00', 'RUNNING'),
  job('06:00', 'O-1', 'bracket-a', 12000),
  counts('06:00', 0, 0),
  counts('08:00', 6000, 60),
  state('08:00', 'DOWN', 'jam'),
  state('08:20', 'RUNNING'),
  counts('10:00', 11400, 100),
  counts('10:30', 11400, 100),
  job('10:30', 'O-2', 'bracket-b'),
  state('12:00', 'DOWN', 'material'),
  state('12:30', 'RUNNING'),
  counts('14:00', 17400, 250),
];

const three = (x: number | null): string | null => (x === null ? null : x.toFixed(3));
const ratios = (w: Pick<MachineSummary, 'availability' | 'performance' | 'quality' | 'oee'>) => [
  three(w.availability),
  three(w.performance),
  three(w.quality),
  three(w.oee),
];

test('two products at different ideal rates on one shift: each part is weighed by its own product, worked by hand', (t) => {
  const { summary, refused } = run(siteOf(), SHIFT);
  t.deepEqual(refused, []);
  // Planned 450 min = 27,000 s; down 20 + 30 = 50 min; run 400 min = 24,000 s.
  // bracket-a: 11,400 made, 100 rejected, 1.0 s → ideal 11,400 s, of good parts 11,300 s.
  // bracket-b: 6,000 made, 150 rejected, 1.5 s → ideal 9,000 s, of good parts 8,775 s.
  // A = 24,000 / 27,000 = 0.889; P = (11,400 + 9,000) / 24,000 = 0.850; Q = 17,150 / 17,400 = 0.986;
  // OEE = (11,300 + 8,775) / 27,000 = 0.744 (each product's ideal × its good parts / planned time).
  // With the machine's 2 s for every part, performance would read 1.450: the catalog is what makes it right.
  t.deepEqual(
    [summary.plannedS, summary.runS, summary.downS, summary.total, summary.good],
    [27000, 24000, 3000, 17400, 17150],
  );
  t.deepEqual(ratios(summary), ['0.889', '0.850', '0.986', '0.744']);
  t.deepEqual(summary.warnings, []);
  t.deepEqual(summary.byProduct, {
    'bracket-a': { total: 11400, good: 11300 },
    'bracket-b': { total: 6000, good: 5850 },
  });
  // The shift window is the same span, so the same numbers.
  t.deepEqual(ratios(summary.shifts[0]!), ['0.889', '0.850', '0.986', '0.744']);

  // bracket-a ran 06:00-10:00 (the break is not planned): planned 240 min, down 20 → run 220 min = 13,200 s.
  // A = 13,200 / 14,400 = 0.917; P = 11,400 / 13,200 = 0.864; Q = 11,300 / 11,400 = 0.991; OEE = 11,300 / 14,400 = 0.785.
  // bracket-b ran 10:30-14:00: planned 210 min, down 30 → run 180 min = 10,800 s.
  // A = 10,800 / 12,600 = 0.857; P = 9,000 / 10,800 = 0.833; Q = 5,850 / 6,000 = 0.975; OEE = 8,775 / 12,600 = 0.696.
  const [a, b] = summary.products ?? [];
  t.deepEqual(
    [a?.key, a?.plannedS, a?.runS, a?.total, a?.good, a?.downtimeByReason],
    ['bracket-a', 14400, 13200, 11400, 11300, { jam: 1200 }],
  );
  t.deepEqual(ratios(a!), ['0.917', '0.864', '0.991', '0.785']);
  t.deepEqual(
    [b?.key, b?.plannedS, b?.runS, b?.total, b?.good, b?.downtimeByReason],
    ['bracket-b', 12600, 10800, 6000, 5850, { material: 1800 }],
  );
  t.deepEqual(ratios(b!), ['0.857', '0.833', '0.975', '0.696']);

  // The orders: the same spans here, with their product, target, start and end.
  t.deepEqual(
    (summary.orders ?? []).map((o) => [o.key, o.product, o.targetQuantity, o.start, o.end, ...ratios(o)]),
    [
      ['O-1', 'bracket-a', 12000, at('06:00'), at('10:30'), '0.917', '0.864', '0.991', '0.785'],
      ['O-2', 'bracket-b', null, at('10:30'), at('14:00'), '0.857', '0.833', '0.975', '0.696'],
    ],
  );
});

test('factory report by product, by order and by day gives the same hand-worked numbers', (t) => {
  const { summary } = run(siteOf(), SHIFT);
  const entry = siteRegistry(siteOf()).machines()[0]!;
  const rows = (by: 'product' | 'order' | 'day') =>
    reportRows([summary], by, () => entry).map((r) => [r.key, ...ratios(r)]);
  t.deepEqual(rows('product'), [
    ['bracket-a', '0.917', '0.864', '0.991', '0.785'],
    ['bracket-b', '0.857', '0.833', '0.975', '0.696'],
  ]);
  t.deepEqual(rows('order'), [
    ['O-1', '0.917', '0.864', '0.991', '0.785'],
    ['O-2', '0.857', '0.833', '0.975', '0.696'],
  ]);
  // A day is the sum of its hours: the products' mix is carried with each hour, so the day weighs it alike.
  t.deepEqual(rows('day'), [['2026-11-25', '0.889', '0.850', '0.986', '0.744']]);
});

test('a job naming a product the catalog does not give the machine is bad input, refused with its reason', (t) => {
  const { refused, summary } = run(
    siteOf(),
    [...SHIFT.slice(0, 9), job('10:30', 'O-2', 'bracket-z'), ...SHIFT.slice(9)].filter((l, i) => i !== 8),
  );
  t.is(refused.length, 1);
  t.regex(refused[0]!, /^product: "bracket-z" has no ideal cycle time for machine f1\/l1\/press-01 \(type press\)/);
  t.regex(refused[0]!, /known: bracket-a, bracket-b/);
  // O-1 runs on: its product's parts are all still bracket-a.
  t.deepEqual(
    summary.orders?.map((o) => o.key),
    ['O-1'],
  );
});

test('a site without products keeps a job-less summary: no products, orders or byProduct keys', (t) => {
  const { summary } = run(
    siteOf({ products: undefined }),
    SHIFT.filter((l) => l.type !== 'job'),
  );
  t.false('products' in summary);
  t.false('orders' in summary);
  t.false('byProduct' in summary);
  // Every part at the machine's 2 s: P = 2 × 17,400 / 24,000 = 1.450, reported with its warning.
  t.is(three(summary.performance), '1.450');
  t.regex(summary.warnings[0] ?? '', /check idealCycleTimeS/);
});

testProp(
  'splitting the batch anywhere decides the same: the same decisions and the same product and order numbers (100 runs)',
  [fc.array(fc.nat({ max: SHIFT.length }), { maxLength: 4 })],
  (t, splits) => {
    const whole = run(siteOf(), SHIFT);
    const split = run(siteOf(), SHIFT, splits);
    t.deepEqual(split.decisions, whole.decisions);
    t.deepEqual(split.summary, whole.summary);
  },
  { numRuns: 100 },
);
