// A plant's own history as a training table (docs/predictive-maintenance.md): one sample per machine
// every `every`, holding the observation the live `maintenance` detector would score at that moment
// (scorableObservation over the same window rule) and the label "a failure starts within the horizon".
// A failure is a DOWN whose reason the site names in maintenance.failureReasons. A moment inside a
// failure or a data gap, one the detector would not score, and one whose horizon runs past the end of
// the history (its label is not known yet) is not a sample.
import * as E from 'fp-ts/lib/Either.js';
import { scorableObservation, type WindowSample } from '../detectors/maintenanceDetector.ts';
import type { MachineState } from '../wire/messages.ts';
import type { Observation, ProductVariant } from './features.ts';

/** A state change of a machine, as its stream holds it (StateChanged). */
export type StateChange = { readonly ts: number; readonly state: MachineState; readonly reason: string | null };

/** What the history of one machine holds, each list in time order. */
export type MachineHistory = {
  readonly telemetry: readonly WindowSample[];
  readonly states: readonly StateChange[];
  /** Times nothing was heard (from a missed heartbeat to the next message). */
  readonly gaps: readonly { readonly from: number; readonly to: number }[];
};

export type FailureWindowOptions = {
  readonly horizonMs: number;
  readonly everyMs: number;
  /** The detector's window (its windowS): the samples an observation is built from. */
  readonly windowMs: number;
  readonly productType: ProductVariant;
  readonly metricUnits: Readonly<Record<string, string>>;
  readonly failureReasons: readonly string[];
};

export type FailureWindowSample = {
  readonly ts: number;
  readonly observation: Observation;
  /** A failure starts in (ts, ts + horizon]. */
  readonly failsWithinHorizon: boolean;
  /** The next failure's start and reason when it falls within the horizon. */
  readonly nextFailure: { readonly ts: number; readonly reason: string } | null;
};

export type Failure = { readonly from: number; readonly to: number; readonly reason: string };

/** The failures of a machine: from a DOWN with a failure reason to its next state change (or on, when none). */
export const failuresOf = (states: readonly StateChange[], failureReasons: readonly string[]): Failure[] =>
  states.flatMap((change, i) =>
    change.state === 'DOWN' && change.reason !== null && failureReasons.includes(change.reason)
      ? [{ from: change.ts, to: states[i + 1]?.ts ?? Infinity, reason: change.reason }]
      : [],
  );

/** Index of the last element with ts ≤ `at`, or −1. */
const lastAtOrBefore = (xs: readonly { readonly ts: number }[], at: number): number => {
  let low = 0;
  let high = xs.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((xs[mid] as { ts: number }).ts <= at) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
};

/**
 * The window the detector holds at `at`: the samples within `windowMs` of the newest one at or before
 * `at` (nextWindow's rule), or null when the newest is older than the window (nothing recent was heard).
 * Only telemetry at or before `at` is read.
 */
export const windowAt = (
  telemetry: readonly WindowSample[],
  at: number,
  windowMs: number,
): readonly WindowSample[] | null => {
  const newest = lastAtOrBefore(telemetry, at);
  if (newest < 0) return null;
  const newestTs = (telemetry[newest] as WindowSample).ts;
  if (at - newestTs > windowMs) return null;
  let first = newest;
  while (first > 0 && (telemetry[first - 1] as WindowSample).ts > newestTs - windowMs) first -= 1;
  return telemetry.slice(first, newest + 1);
};

/** The samples of one machine's history, on the grid of multiples of `everyMs`. Pure. */
export const failureWindowSamples = (history: MachineHistory, options: FailureWindowOptions): FailureWindowSample[] => {
  const { telemetry } = history;
  if (telemetry.length === 0) return [];
  const failures = failuresOf(history.states, options.failureReasons);
  const observedUntil = (telemetry[telemetry.length - 1] as WindowSample).ts;
  const first = Math.ceil((telemetry[0] as WindowSample).ts / options.everyMs) * options.everyMs;
  const samples: FailureWindowSample[] = [];
  let nextFailureIndex = 0;
  for (let ts = first; ts + options.horizonMs <= observedUntil; ts += options.everyMs) {
    while (nextFailureIndex < failures.length && (failures[nextFailureIndex] as Failure).from <= ts) nextFailureIndex++;
    if (failures.some((f) => f.from <= ts && ts < f.to)) continue;
    if (history.gaps.some((g) => g.from <= ts && ts < g.to)) continue;
    const window = windowAt(telemetry, ts, options.windowMs);
    if (window === null) continue;
    const observation = scorableObservation({ productType: options.productType }, window, options.metricUnits);
    if (E.isLeft(observation)) continue;
    const next = failures[nextFailureIndex];
    const within = next !== undefined && next.from <= ts + options.horizonMs;
    samples.push({
      ts,
      observation: observation.right,
      failsWithinHorizon: within,
      nextFailure: within ? { ts: next.from, reason: next.reason } : null,
    });
  }
  return samples;
};
