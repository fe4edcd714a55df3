// A metric changing too fast (docs/site-configuration.md `rateOfChange`): a temperature climbing faster than the
// process allows, a pressure collapsing. The rate is measured between consecutive samples, so an
// over-limit stretch begins at the earlier sample of its first fast interval: that is when the
// change began, and `forS` measures how long it has lasted.
import type { AlertEvent, Detector, DetectorInput } from './detector.ts';
import { detectorId, type RateOfChangeSpec } from './detectorSpec.ts';
import { formatDuration, secondsToMs } from './detectorTime.ts';
import { metricSample, type MetricSample } from './metricSample.ts';

type Point = { readonly ts: number; readonly value: number };

/**
 * `last` is the previous sample of the metric, the other end of the next rate.
 * - normal: no sample yet, or the last rate at or below the limit;
 * - pending: over the limit since `since`, not yet for `forS`;
 * - raised: alert raised at `since`.
 */
export type RateOfChangeState =
  | { readonly phase: 'normal'; readonly last: Point | null }
  | { readonly phase: 'pending'; readonly last: Point; readonly since: number }
  | { readonly phase: 'raised'; readonly last: Point; readonly since: number };

// Two decimals at most: a rate is a derived figure, and 12.500000001/s reads worse than 12.5/s.
const formatRate = (perS: number): string => `${Math.round(perS * 100) / 100}/s`;

/** Raise when |Δvalue/Δt| between consecutive samples stays above `maxPerS` for `forS`; clear at or below it. */
export const rateOfChangeDetector = (
  spec: RateOfChangeSpec,
  id: string = detectorId(spec),
): Detector<RateOfChangeState> => {
  const forMs = secondsToMs(spec.forS ?? 0);

  const raiseOrWait = (
    since: number,
    rate: number,
    sample: MetricSample,
  ): readonly [RateOfChangeState, readonly AlertEvent[]] => {
    const last = { ts: sample.ts, value: sample.value };
    const lasted = sample.ts - since;
    if (lasted < forMs) return [{ phase: 'pending', last, since }, []];
    const cause = `${spec.metric} changing ${formatRate(rate)}, above ${spec.maxPerS}/s for ${formatDuration(lasted)}`;
    return [
      { phase: 'raised', last, since: sample.ts },
      [{ type: 'DetectorRaised', detector: id, ts: sample.ts, cause, trigger: sample }],
    ];
  };

  const step = (
    state: RateOfChangeState,
    input: DetectorInput,
  ): readonly [RateOfChangeState, readonly AlertEvent[]] => {
    const sample = metricSample(input, spec.metric);
    if (sample === null) return [state, []];
    const { last } = state;
    if (last === null) return [{ phase: 'normal', last: { ts: sample.ts, value: sample.value } }, []];
    // A late sample would give a rate over a backwards interval, and one at the same instant has no
    // interval at all: both are ignored, and the rate is taken against the sample before them.
    if (sample.ts <= last.ts) return [state, []];
    const rate = Math.abs(sample.value - last.value) / ((sample.ts - last.ts) / 1000);
    const fast = rate > spec.maxPerS;
    const here = { ts: sample.ts, value: sample.value };
    switch (state.phase) {
      case 'normal':
        return fast ? raiseOrWait(last.ts, rate, sample) : [{ phase: 'normal', last: here }, []];
      case 'pending':
        return fast ? raiseOrWait(state.since, rate, sample) : [{ phase: 'normal', last: here }, []];
      case 'raised':
        return fast
          ? [{ ...state, last: here }, []]
          : [
              { phase: 'normal', last: here },
              [
                {
                  type: 'DetectorCleared',
                  detector: id,
                  ts: sample.ts,
                  cause: `${spec.metric} changing ${formatRate(rate)}, at or below ${spec.maxPerS}/s`,
                },
              ],
            ];
    }
  };

  return { id, initialState: { phase: 'normal', last: null }, step };
};
