// The one reading of one metric a threshold, rate or flatline detector looks at.
import type { DetectorInput } from './detector.ts';

/** A metric's value in one sample: what an alert names as its trigger. */
export type MetricSample = { readonly messageId: string; readonly ts: number; readonly value: number };

/**
 * The metric's reading in this input, or null when the input has none: heard/tick inputs, samples
 * without the metric, and non-finite values (the wire codecs refuse them, but inputs built in code
 * could carry one, and a NaN would silently compare false against every bound).
 */
export const metricSample = (input: DetectorInput, metric: string): MetricSample | null => {
  if (input.kind !== 'sample' || !Object.hasOwn(input.metrics, metric)) return null;
  const value = input.metrics[metric];
  // −0 becomes 0: JSON has no −0, and a state snapshot must restore exactly what was saved.
  return value !== undefined && Number.isFinite(value)
    ? { messageId: input.messageId, ts: input.ts, value: value + 0 }
    : null;
};

/** A reading as a cause sentence shows it: six significant digits are what a person compares. */
export const formatReading = (value: number): string => String(Number(value.toPrecision(6)));
