// A metric's trend reduced to what a chart can show: a full shift at 1 Hz is ~30 000 samples per
// metric, a chart is ~1 000 pixels wide. Each time bucket keeps its min, max and mean, so a spike
// narrower than a pixel still reaches the chart's band (a plain stride would drop it).

export type TrendSample = { readonly ts: number; readonly value: number };

export type TrendSeries = {
  /** Bucket times (epoch ms): the first sample's time in each non-empty bucket. */
  readonly ts: readonly number[];
  readonly min: readonly number[];
  readonly max: readonly number[];
  readonly mean: readonly number[];
  readonly count: readonly number[];
};

/** Buckets samples sorted by time into at most `buckets` equal spans of [first, last]; empty buckets are left out. */
export const trendBuckets = (samples: readonly TrendSample[], buckets: number): TrendSeries => {
  const out = {
    ts: [] as number[],
    min: [] as number[],
    max: [] as number[],
    mean: [] as number[],
    count: [] as number[],
  };
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined || buckets < 1) return out;
  const span = last.ts - first.ts;
  const bucketOf = (ts: number): number =>
    span === 0 ? 0 : Math.min(buckets - 1, Math.floor(((ts - first.ts) / span) * buckets));
  let current = -1;
  let sum = 0;
  for (const sample of samples) {
    const bucket = bucketOf(sample.ts);
    if (bucket !== current) {
      if (current >= 0) out.mean.push(sum / out.count[out.count.length - 1]!);
      current = bucket;
      sum = 0;
      out.ts.push(sample.ts);
      out.min.push(sample.value);
      out.max.push(sample.value);
      out.count.push(0);
    }
    const i = out.ts.length - 1;
    out.min[i] = Math.min(out.min[i]!, sample.value);
    out.max[i] = Math.max(out.max[i]!, sample.value);
    out.count[i]! += 1;
    sum += sample.value;
  }
  out.mean.push(sum / out.count[out.count.length - 1]!);
  return out;
};
