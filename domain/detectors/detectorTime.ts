// Specs speak in seconds, inputs in epoch milliseconds: the conversions and the wording every
// detector's cause sentence shares, kept in one place so all alerts read alike.

/** Whole milliseconds, because input timestamps are whole milliseconds (0.1 × 3 s must equal 300 ms). */
export const secondsToMs = (seconds: number): number => Math.round(seconds * 1000);

/** `30 s`, `1.5 s`: a duration as a person reads it in an alert. */
export const formatDuration = (ms: number): string => `${ms / 1000} s`;

// The range `Date` can represent; outside it toISOString throws, and the domain never throws.
const DATE_LIMIT_MS = 8.64e15;

/** An instant as ISO-8601 UTC, or the raw number where it is no representable date. */
export const formatInstant = (ms: number): string =>
  Number.isFinite(ms) && Math.abs(ms) <= DATE_LIMIT_MS ? new Date(ms).toISOString() : `${ms} ms`;
