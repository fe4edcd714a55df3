// How far back (event time, before a machine's newest reading) a message id is remembered as
// decided. The cloud's process function keeps ids this long in its snapshot and the local replay
// does the same, so both count a redelivery alike: within the horizon it is a duplicate; older, the
// decider refuses it as too late. Never shorter than the machine's allowed lateness, or a reading
// settled and forgotten could be accepted a second time.
export const DEDUP_HORIZON_MS = 2 * 3_600_000;

export const dedupHorizonFor = (allowedLatenessMs: number, horizonMs: number = DEDUP_HORIZON_MS): number =>
  Math.max(horizonMs, allowedLatenessMs);
