// Test support: arbitrary machine timelines and the arrival orders the lateness rules allow.
// Not imported by production code.
import { fc } from '@fast-check/ava';
import { MACHINE_STATES, type MachineState } from '../../domain/wire/messages.ts';
import type { Observation } from '../../domain/machine/observation.ts';
import { utcHourKey, type ProductionCalendar } from '../../domain/oee/calendar.ts';

export const T0 = Date.UTC(2026, 10, 25, 6, 0, 0);
const REASONS = [null, 'jam', 'no_material', 'tool_change'] as const;

type Step =
  | { readonly kind: 'state'; readonly dtS: number; readonly state: MachineState; readonly reason: string | null }
  | {
      readonly kind: 'counts';
      readonly dtS: number;
      readonly made: number;
      readonly scrap: number;
      readonly reset: boolean;
    }
  | { readonly kind: 'telemetry'; readonly dtS: number; readonly value: number }
  | { readonly kind: 'job'; readonly dtS: number; readonly order: string; readonly product: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('state' as const),
    dtS: fc.integer({ min: 0, max: 900 }),
    state: fc.constantFrom(...MACHINE_STATES),
    reason: fc.constantFrom(...REASONS),
  }),
  fc.record({
    kind: fc.constant('counts' as const),
    dtS: fc.integer({ min: 0, max: 600 }),
    made: fc.integer({ min: 0, max: 60 }),
    scrap: fc.integer({ min: 0, max: 5 }),
    reset: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('telemetry' as const),
    dtS: fc.integer({ min: 0, max: 300 }),
    value: fc.double({ min: 0, max: 200, noNaN: true }),
  }),
  // A job now and then: the order a machine starts, of one of a few products (wire message `job`).
  fc.record({
    kind: fc.constant('job' as const),
    dtS: fc.integer({ min: 0, max: 900 }),
    order: fc.constantFrom('O-1', 'O-2', 'O-3'),
    product: fc.constantFrom('a', 'b'),
  }),
);

/** Observations in time order, with cumulative counters that sometimes reset. */
export const timeline = (maxSteps = 60): fc.Arbitrary<readonly Observation[]> =>
  fc.array(step, { minLength: 1, maxLength: maxSteps }).map((steps) => {
    let ts = T0;
    let total = 0;
    let reject = 0;
    return steps.map((s, i): Observation => {
      ts += s.dtS * 1000;
      const messageId = `m${i}`;
      switch (s.kind) {
        case 'state':
          return { kind: 'state', messageId, ts, state: s.state, reason: s.reason };
        case 'counts':
          if (s.reset) {
            total = 0;
            reject = 0;
          }
          total += s.made;
          reject = Math.min(total, reject + s.scrap);
          return { kind: 'counts', messageId, ts, total, reject };
        case 'telemetry':
          return { kind: 'telemetry', messageId, ts, metrics: { spindle_temp: s.value } };
        case 'job':
          return { kind: 'job', messageId, ts, order: s.order, product: s.product, targetQuantity: null };
      }
    });
  });

/**
 * An arrival order the lateness allows, with redeliveries: each message (and each copy) arrives
 * at its time plus a delay below `latenessMs`, so no arrival is ever older than newest − lateness.
 */
export const arrivalOrder = (
  observations: readonly Observation[],
  latenessMs: number,
): fc.Arbitrary<readonly Observation[]> =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: Math.max(0, latenessMs - 1) }), {
        minLength: observations.length,
        maxLength: observations.length,
      }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: Math.max(0, latenessMs - 1) })), { maxLength: 10 }),
    )
    .map(([delays, copies]) => {
      const arrivals = observations.map((o, i) => ({ o, at: o.ts + delays[i]!, order: i }));
      if (observations.length > 0)
        copies.forEach(([pick, delay], k) => {
          const o = observations[pick % observations.length]!;
          arrivals.push({ o, at: o.ts + delay, order: observations.length + k });
        });
      return arrivals.sort((a, b) => a.at - b.at || a.order - b.order).map((a) => a.o);
    });

/** One daily shift in UTC with breaks, for tests that need a calendar without a site configuration. */
export const dailyShiftUtc = (
  name: string,
  start: string,
  end: string,
  breaks: readonly (readonly [string, string])[] = [],
): ProductionCalendar => {
  const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const DAY = 86_400_000;
  const spans = (fromMs: number, toMs: number) => {
    const out: { startMs: number; endMs: number; shiftKey: string }[] = [];
    for (let day = Math.floor(fromMs / DAY) * DAY - DAY; day < toMs; day += DAY) {
      const s = day + minutes(start) * 60_000;
      const e = day + minutes(end) * 60_000 + (minutes(end) <= minutes(start) ? DAY : 0);
      out.push({ startMs: s, endMs: e, shiftKey: `${new Date(day).toISOString().slice(0, 10)}/${name}` });
    }
    return out;
  };
  return {
    plannedIntervals: (fromMs, toMs) => {
      const out: { startMs: number; endMs: number; shiftKey: string | null }[] = [];
      for (const shift of spans(fromMs, toMs)) {
        const cuts = breaks
          .map(([bs, be]) => {
            const day = Math.floor(shift.startMs / DAY) * DAY;
            let b0 = day + minutes(bs) * 60_000;
            if (b0 < shift.startMs) b0 += DAY;
            return [b0, b0 + (minutes(be) - minutes(bs)) * 60_000] as const;
          })
          .sort((a, b) => a[0] - b[0]);
        let cursor = shift.startMs;
        for (const [b0, b1] of [...cuts, [shift.endMs, shift.endMs] as const]) {
          const s = Math.max(cursor, fromMs);
          const e = Math.min(b0, toMs);
          if (e > s) out.push({ startMs: s, endMs: e, shiftKey: shift.shiftKey });
          cursor = Math.max(cursor, b1);
        }
      }
      return out;
    },
    hourKey: utcHourKey,
    shiftKeyAt: (ms) => spans(ms, ms + 1).find((s) => s.startMs <= ms && ms < s.endMs)?.shiftKey ?? null,
    shiftSpan: (shiftKey) => {
      const day = Date.parse(`${shiftKey.slice(0, 10)}T00:00Z`);
      const span = spans(day + DAY, day + DAY + 1).find((s) => s.shiftKey === shiftKey);
      return span === undefined ? null : { startMs: span.startMs, endMs: span.endMs };
    },
  };
};
