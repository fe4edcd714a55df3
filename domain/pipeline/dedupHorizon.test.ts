import { fc, testProp } from '@fast-check/ava';
import { DEDUP_HORIZON_MS, dedupHorizonFor } from './dedupHorizon.ts';

const ms = fc.integer({ min: 0, max: 48 * 3_600_000 });

testProp(
  'the dedup horizon is never shorter than the allowed lateness nor than the horizon asked for, and is one of the two',
  [ms, fc.option(ms, { nil: undefined })],
  (t, latenessMs, horizonMs) => {
    const horizon = dedupHorizonFor(latenessMs, horizonMs);
    const asked = horizonMs ?? DEDUP_HORIZON_MS;
    t.true(horizon >= latenessMs && horizon >= asked);
    t.true(horizon === latenessMs || horizon === asked);
  },
  { numRuns: 300 },
);
