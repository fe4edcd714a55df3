import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { compareObservations, type Observation } from './observation.ts';
import {
  dropPending,
  insertPending,
  isPending,
  pendingFromOrdered,
  pendingInOrder,
  removePending,
  type PendingObservations,
} from './pendingObservations.ts';

const T0 = Date.UTC(2026, 10, 25, 6, 0, 0);

// The reference: one flat array kept sorted by the settlement order, copied on every change.
const sortedInsert = (flat: readonly Observation[], observation: Observation): Observation[] =>
  [...flat, observation].sort(compareObservations);
const minutes = (buckets: PendingObservations): number[][] =>
  buckets.map((b) => b.map((o) => Math.floor(o.ts / 60_000)));

const reading = fc.record({
  // A few minutes, with many readings sharing an instant or a minute.
  ts: fc.integer({ min: 0, max: 40 }).map((s) => T0 + s * 7_500),
  kind: fc.constantFrom('state' as const, 'counts' as const, 'telemetry' as const),
  id: fc.integer({ min: 0, max: 6 }),
});
type Op =
  | {
      readonly op: 'insert';
      readonly r: { ts: number; kind: Observation['kind']; id: number };
      readonly until: number | null;
    }
  | { readonly op: 'settle'; readonly until: number }
  | { readonly op: 'remove'; readonly pick: number };
const ops = fc.array(
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('insert' as const),
        r: reading,
        until: fc.option(fc.integer({ min: 0, max: 40 }).map((s) => T0 + s * 7_500)),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('settle' as const),
        until: fc.integer({ min: 0, max: 42 }).map((s) => T0 + s * 7_500),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }) },
  ),
  { maxLength: 80 },
) as fc.Arbitrary<Op[]>;

const observationOf = (r: { ts: number; kind: Observation['kind']; id: number }, n: number): Observation => {
  const messageId = `m${r.id}-${n}`;
  if (r.kind === 'state') return { kind: 'state', messageId, ts: r.ts, state: 'RUNNING', reason: null };
  if (r.kind === 'counts') return { kind: 'counts', messageId, ts: r.ts, total: n, reject: 0 };
  return { kind: 'telemetry', messageId, ts: r.ts, metrics: { x: n } };
};

testProp(
  'the minute buckets settle exactly what one sorted array would, for any inserts, watermarks and removals, and hold the same readings in the same buckets (500 runs)',
  [ops],
  (t, steps) => {
    let buckets: PendingObservations = [];
    let flat: Observation[] = [];
    const settledB: Observation[] = [];
    const settledF: Observation[] = [];
    // Settling as the decider does: the readings before `until` leave from the front, in order.
    const settle = (until: number): number => {
      const inOrder = pendingInOrder(buckets);
      let count = 0;
      while (count < inOrder.length && inOrder[count]!.ts < until) settledB.push(inOrder[count++]!);
      const cut = flat.findIndex((o) => o.ts >= until);
      settledF.push(...flat.splice(0, cut < 0 ? flat.length : cut));
      return count;
    };
    steps.forEach((step, n) => {
      if (step.op === 'insert') {
        const observation = observationOf(step.r, n);
        t.is(isPending(buckets, observation.messageId, observation.ts), false);
        // As the decider accepts: what settles in the same step sorts before the new reading.
        const count = step.until === null ? 0 : settle(Math.min(step.until, observation.ts));
        buckets = insertPending(buckets, observation, count);
        flat = sortedInsert(flat, observation);
        t.true(isPending(buckets, observation.messageId, observation.ts));
      } else if (step.op === 'settle') {
        buckets = dropPending(buckets, settle(step.until));
      } else if (flat.length > 0) {
        const gone = flat[step.pick % flat.length]!;
        buckets = removePending(buckets, gone.messageId, gone.ts);
        flat = flat.filter((o) => o !== gone);
        t.false(isPending(buckets, gone.messageId, gone.ts));
      }
      t.deepEqual(settledB, settledF);
      // The same readings in the same buckets, whatever the history: what keeps the state the fold of its events.
      t.deepEqual(buckets, pendingFromOrdered(flat));
      // …and those buckets are non-empty, one minute each, in increasing minutes.
      t.true(
        minutes(buckets).every(
          (m, i, all) => m.length > 0 && m.every((x) => x === m[0]) && (i === 0 || all[i - 1]![0]! < m[0]!),
        ),
      );
    });
    t.deepEqual(pendingInOrder(buckets), flat);
  },
  { numRuns: 500 },
);

test('the buckets survive a JSON snapshot as they are', (t) => {
  let pending: PendingObservations = [];
  [3, 1, 70, 2, 130].forEach((s, n) => {
    pending = insertPending(pending, observationOf({ ts: T0 + s * 1000, kind: 'telemetry', id: n }, n));
  });
  t.is(pending.length, 3);
  t.deepEqual(JSON.parse(JSON.stringify(pending)), pending);
  t.deepEqual(
    pendingInOrder(pending).map((o) => o.ts - T0),
    [1000, 2000, 3000, 70_000, 130_000],
  );
});
