import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { recentIds } from './recentIds.ts';

const HORIZON = 1_000;

// Ids accepted as a clock runs (with readings up to 1.5 horizons late), asked about in between: the id
// space is small enough for redeliveries and large enough for the map to pass its first prune (1,024).
const step = fc.record({ id: fc.integer({ min: 0, max: 4_000 }).map((n) => `m-${n}`), tick: fc.integer({ min: 0, max: 10 }), late: fc.integer({ min: 0, max: 1_500 }), ask: fc.boolean() });

testProp('whether an id is a duplicate never depends on when old ids were pruned: it equals the answer of a map that forgets nothing', [fc.array(step, { minLength: 3_000, maxLength: 5_000 })], (t, steps) => {
  const pruned = recentIds(HORIZON);
  const everything = new Map<string, number>();
  let newest = -Infinity;
  let clock = 0;
  for (const { id, tick, late, ask } of steps) {
    clock += tick;
    const ts = clock - late;
    if (ask) {
      const known = everything.get(id);
      t.is(pruned.isDuplicate(id, newest), known !== undefined && known >= newest - HORIZON, `${id} at newest ${newest}`);
    } else {
      newest = Math.max(newest, ts);
      pruned.add(id, ts, newest);
      everything.set(id, ts);
    }
  }
  t.true(pruned.size() <= everything.size);
}, { numRuns: 50 });

test('memory is bounded by the horizon, not by how many ids were ever accepted', (t) => {
  const ids = recentIds(HORIZON);
  // 100,000 ids one millisecond apart: at most the last horizon's worth, plus what accrues before a prune.
  for (let ts = 0; ts < 100_000; ts++) ids.add(`m-${ts}`, ts, ts);
  t.true(ids.size() <= 2 * (HORIZON + 1) + 1024, `${ids.size()} ids kept`);
  t.true(ids.isDuplicate('m-99999', 99_999));
  t.false(ids.isDuplicate('m-10', 99_999), 'an id far older than the horizon is no longer a duplicate');
});
