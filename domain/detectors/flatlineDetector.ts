// A sensor that has stopped moving (docs/site-configuration.md `flatline`): a real process value always jitters, so
// a reading held within `tolerance` for `forS` more likely comes from a stuck transmitter or a PLC
// register nobody updates. A run is measured from the sample that began it, not from a moving
// average, so a slow drift of many small steps is not mistaken for a stuck value.
import type { AlertEvent, Detector, DetectorInput } from './detector.ts';
import { detectorId, type FlatlineSpec } from './detectorSpec.ts';
import { formatDuration, secondsToMs } from './detectorTime.ts';
import { formatReading, metricSample, type MetricSample } from './metricSample.ts';

/**
 * `run` is the sample that began the current run of values within tolerance; `lastTs` the newest
 * sample used (a late sample is ignored: it would start or end a run in the past).
 * - noData: no sample of the metric yet;
 * - watching: a run is under way, shorter than `forS`;
 * - raised: the run lasted `forS`; the alert was raised at `since`.
 */
export type FlatlineState =
  | { readonly phase: 'noData' }
  | { readonly phase: 'watching'; readonly run: MetricSample; readonly lastTs: number }
  | { readonly phase: 'raised'; readonly run: MetricSample; readonly lastTs: number; readonly since: number };

/** Raise when the metric stays within `tolerance` of the run's first value for `forS`; clear when it moves beyond. */
export const flatlineDetector = (spec: FlatlineSpec, id: string = detectorId(spec)): Detector<FlatlineState> => {
  const forMs = secondsToMs(spec.forS);
  const tolerance = spec.tolerance ?? 0;
  const startRun = (sample: MetricSample): FlatlineState => ({ phase: 'watching', run: sample, lastTs: sample.ts });

  const step = (state: FlatlineState, input: DetectorInput): readonly [FlatlineState, readonly AlertEvent[]] => {
    const sample = metricSample(input, spec.metric);
    if (sample === null) return [state, []];
    if (state.phase === 'noData') return [startRun(sample), []];
    if (sample.ts < state.lastTs) return [state, []];
    const held = Math.abs(sample.value - state.run.value) <= tolerance;
    switch (state.phase) {
      case 'watching': {
        if (!held) return [startRun(sample), []];
        // Only a sample at a later instant shows a value held over time: the run's first sample (or a
        // copy at the same ts) never raises, even with forS 0, or every reading would be "stuck".
        const lasted = sample.ts - state.run.ts;
        if (lasted < forMs || lasted === 0) return [{ ...state, lastTs: sample.ts }, []];
        const cause = `${spec.metric} stuck at ${formatReading(state.run.value)} (±${tolerance}) for ${formatDuration(lasted)}`;
        return [
          { phase: 'raised', run: state.run, lastTs: sample.ts, since: sample.ts },
          [{ type: 'DetectorRaised', detector: id, ts: sample.ts, cause, trigger: sample }],
        ];
      }
      case 'raised':
        if (held) return [{ ...state, lastTs: sample.ts }, []];
        return [
          startRun(sample),
          [
            {
              type: 'DetectorCleared',
              detector: id,
              ts: sample.ts,
              cause: `${spec.metric} moved to ${sample.value} from ${state.run.value}`,
            },
          ],
        ];
    }
  };

  return { id, initialState: { phase: 'noData' }, step };
};
