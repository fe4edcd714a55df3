// A metric beyond a limit for long enough (docs/site-configuration.md `threshold`). Hysteresis keeps a value that
// hovers at the limit from raising and clearing an alert on every sample: once raised, the alert
// holds until the value is past the clear bound, which lies on the safe side of the raise bound.
import type { AlertEvent, Detector, DetectorInput } from './detector.ts';
import { detectorId, type ThresholdSpec } from './detectorSpec.ts';
import { formatDuration, secondsToMs } from './detectorTime.ts';
import { formatReading, metricSample, type MetricSample } from './metricSample.ts';

/** Which limit the metric is beyond: `above` the upper or `below` the lower. */
export type Breach = 'above' | 'below';

/**
 * `lastTs` is the newest sample used, so a late sample cannot clear an alert before it was raised.
 * - normal: inside the limits (or no sample yet);
 * - pending: beyond `breach` since the sample at `since`, not yet for `forS`;
 * - raised: alert raised at `since`, not yet back past the clear bound.
 */
export type ThresholdState =
  | { readonly phase: 'normal'; readonly lastTs: number | null }
  | { readonly phase: 'pending'; readonly lastTs: number; readonly breach: Breach; readonly since: number }
  | { readonly phase: 'raised'; readonly lastTs: number; readonly breach: Breach; readonly since: number };

type Limit = { readonly raise: number; readonly clear: number };
type Limits = { readonly above: Limit | null; readonly below: Limit | null };

// Without a clear bound there is no hysteresis band: the alert clears once past the raise bound.
// A clear bound on the wrong side of the raise bound (clearBelow 95 over above 90) would raise and
// clear on the same value, so it is pulled back to the raise bound; config validation should refuse it.
const limitsOf = (spec: ThresholdSpec): Limits => ({
  above:
    spec.above === undefined ? null : { raise: spec.above, clear: Math.min(spec.clearBelow ?? spec.above, spec.above) },
  below:
    spec.below === undefined ? null : { raise: spec.below, clear: Math.max(spec.clearAbove ?? spec.below, spec.below) },
});

const breachOf = (limits: Limits, value: number): Breach | null =>
  limits.above !== null && value > limits.above.raise
    ? 'above'
    : limits.below !== null && value < limits.below.raise
      ? 'below'
      : null;

const isPastClearBound = (limits: Limits, breach: Breach, value: number): boolean =>
  breach === 'above'
    ? limits.above === null || value < limits.above.clear
    : limits.below === null || value > limits.below.clear;

/** Raise when the metric stays beyond `above`/`below` for `forS`; clear past `clearBelow`/`clearAbove`. */
export const thresholdDetector = (spec: ThresholdSpec, id: string = detectorId(spec)): Detector<ThresholdState> => {
  const limits = limitsOf(spec);
  const forMs = secondsToMs(spec.forS ?? 0);
  const raiseBound = (breach: Breach): number =>
    (breach === 'above' ? limits.above?.raise : limits.below?.raise) ?? Number.NaN;
  const clearBound = (breach: Breach): number =>
    (breach === 'above' ? limits.above?.clear : limits.below?.clear) ?? Number.NaN;

  const raiseOrWait = (
    breach: Breach,
    since: number,
    sample: MetricSample,
  ): readonly [ThresholdState, readonly AlertEvent[]] => {
    const lasted = sample.ts - since;
    if (lasted < forMs) return [{ phase: 'pending', lastTs: sample.ts, breach, since }, []];
    const cause = `${spec.metric} ${formatReading(sample.value)} ${breach} ${raiseBound(breach)}${lasted > 0 ? ` for ${formatDuration(lasted)}` : ''}`;
    return [
      { phase: 'raised', lastTs: sample.ts, breach, since: sample.ts },
      [{ type: 'DetectorRaised', detector: id, ts: sample.ts, cause, trigger: sample }],
    ];
  };

  // From inside the limits, this sample may begin a breach (and raise it at once when forS is 0).
  const fromNormal = (sample: MetricSample): readonly [ThresholdState, readonly AlertEvent[]] => {
    const breach = breachOf(limits, sample.value);
    return breach === null ? [{ phase: 'normal', lastTs: sample.ts }, []] : raiseOrWait(breach, sample.ts, sample);
  };

  const step = (state: ThresholdState, input: DetectorInput): readonly [ThresholdState, readonly AlertEvent[]] => {
    const sample = metricSample(input, spec.metric);
    if (sample === null || (state.lastTs !== null && sample.ts < state.lastTs)) return [state, []];
    switch (state.phase) {
      case 'normal':
        return fromNormal(sample);
      case 'pending':
        // Back inside, or across to the other limit: the breach resets and this sample starts afresh.
        return breachOf(limits, sample.value) === state.breach
          ? raiseOrWait(state.breach, state.since, sample)
          : fromNormal(sample);
      case 'raised': {
        if (!isPastClearBound(limits, state.breach, sample.value)) return [{ ...state, lastTs: sample.ts }, []];
        const towards = state.breach === 'above' ? 'below' : 'above';
        const cleared: AlertEvent = {
          type: 'DetectorCleared',
          detector: id,
          ts: sample.ts,
          cause: `${spec.metric} ${formatReading(sample.value)} ${towards} clear bound ${clearBound(state.breach)}`,
        };
        // A jump from above the upper limit to below the lower one clears one breach and begins the other.
        const [next, events] = fromNormal(sample);
        return [next, [cleared, ...events]];
      }
    }
  };

  return { id, initialState: { phase: 'normal', lastTs: null }, step };
};
