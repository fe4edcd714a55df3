// Laws of the product and order windows (docs/replay-summary.md#products-and-orders), for events in any order.
import { fc, testProp } from '@fast-check/ava';
import type { MachineEvent } from '../machine/events.ts';
import { dailyShiftUtc } from '../../testing/domain/machineTimelines.ts';
import { oeeEvent } from '../../testing/domain/oeeEvents.ts';
import { foldOee, oeeWindows, WHOLE_RANGE } from './oeeProjection.ts';
import type { WindowTotals } from './windowTotals.ts';

const PRODUCTS = ['a', 'b', 'c'] as const;
const event = oeeEvent({ hours: 30, products: PRODUCTS });
/** Settled events come in time order (machine/decider.ts). */
const tsOf = (e: MachineEvent): number => (e as { readonly ts: number }).ts;
const timeline = fc.array(event, { maxLength: 60 }).map((events) => [...events].sort((x, y) => tsOf(x) - tsOf(y)));

const time = (w: WindowTotals | undefined) =>
  w === undefined ? 0 : w.runMs + w.downMs + w.plannedStopMs + w.dataGapMs;
const sum = (ws: readonly (WindowTotals | undefined)[], f: (w: WindowTotals | undefined) => number) =>
  ws.reduce((acc, w) => acc + f(w), 0);

testProp(
  "a product's parts are the same in its window as in every window's byProduct; products and orders split the same time, and hours add up to the whole range (300 runs)",
  [timeline],
  (t, events) => {
    const windows = oeeWindows(
      foldOee({ calendar: dailyShiftUtc('early', '06:00', '14:00'), microStopMs: 120_000 }, events),
    );
    const all = windows[WHOLE_RANGE];
    const of = (prefix: string) =>
      Object.keys(windows)
        .filter((k) => k.startsWith(prefix))
        .map((k) => windows[k]);
    for (const product of PRODUCTS) {
      const own = windows[`product:${product}`];
      t.is(all?.byProduct?.[product]?.total ?? 0, own?.total ?? 0, product);
      t.is(all?.byProduct?.[product]?.reject ?? 0, own?.reject ?? 0, product);
      t.is(
        sum(of('hour:'), (h) => h?.byProduct?.[product]?.total ?? 0),
        own?.total ?? 0,
        product,
      );
    }
    // Each job has one product and one order: the two breakdowns cover the same time and parts.
    t.is(sum(of('product:'), time), sum(of('order:'), time));
    t.is(
      sum(of('product:'), (w) => w?.total ?? 0),
      sum(of('order:'), (w) => w?.total ?? 0),
    );
    // And never more than the whole range.
    t.true(sum(of('product:'), time) <= time(all));
  },
  { numRuns: 300 },
);
