// Histogram binning of the feature columns: each feature is cut into at most 1024 ranges once, before
// boosting, so that finding a split scans the bins instead of sorting thousands of rows per node (the
// approach of LightGBM and scikit-learn's HistGradientBoosting). 1024 rather than their 255, and exact
// tails (see cutPoints): failure thresholds sit there, where coarse quantile bins would blur the edge.

export const MAX_BINS = 1024;

export type BinnedFeatures = {
  /** Per feature, the upper edges of its bins but the last: bin b holds values in (cuts[b-1], cuts[b]]. */
  readonly cuts: readonly Float64Array[];
  /** Per feature, each row's bin index. */
  readonly bins: readonly Uint16Array[];
};

/** A cut in [lo, hi) between two sorted distinct values; the rounding of adjacent doubles cannot push it onto hi. */
const between = (lo: number, hi: number): number => {
  const mid = lo / 2 + hi / 2;
  return mid >= lo && mid < hi ? mid : lo;
};

/** Quantile cuts between sorted[from..to), at most `budget` of them, each strictly between two values. */
const quantileCuts = (sorted: Float64Array, from: number, to: number, budget: number): number[] => {
  const cuts: number[] = [];
  const span = to - from;
  for (let b = 1; b <= budget; b++) {
    const i = from + Math.floor((b * span) / (budget + 1));
    const lo = sorted[i - 1] as number;
    const hi = sorted[i] as number;
    if (i <= from || lo === hi) continue; // a heavy value keeps one bin instead of several empty ones
    const cut = between(lo, hi);
    if (cuts.length === 0 || cut > (cuts[cuts.length - 1] as number)) cuts.push(cut);
  }
  return cuts;
};

/**
 * Cut points of one column: midpoints between distinct values when there are few. Otherwise the
 * quarter of the budget at each end still separates every distinct value, and quantiles share the
 * rest: failures happen at extreme operating points (power above 9,000 W, strain near its limit), so
 * the tails are where a split must fall exactly, while the bulk of normal running needs no such detail.
 */
export const cutPoints = (column: ArrayLike<number>, maxBins: number = MAX_BINS): Float64Array => {
  const sorted = Float64Array.from(column).sort();
  const distinct: number[] = [];
  for (const v of sorted) if (distinct.length === 0 || v !== distinct[distinct.length - 1]) distinct.push(v);
  const midpoint = (i: number): number => between(distinct[i] as number, distinct[i + 1] as number);
  if (distinct.length <= maxBins) return Float64Array.from(distinct.slice(0, -1), (_, i) => midpoint(i));
  const tail = Math.floor(maxBins / 4);
  const low = Array.from({ length: tail }, (_, i) => midpoint(i));
  const high = Array.from({ length: tail }, (_, i) => midpoint(distinct.length - 1 - tail + i));
  const lowEdge = distinct[tail] as number;
  const highEdge = distinct[distinct.length - 1 - tail] as number;
  let from = 0;
  while ((sorted[from] as number) < lowEdge) from++;
  let to = sorted.length;
  while ((sorted[to - 1] as number) > highEdge) to--;
  const middle = quantileCuts(sorted, from, to, maxBins - 1 - 2 * tail);
  return Float64Array.from([...low, ...middle, ...high]);
};

/** The bin of a value: the first cut it does not exceed (binary search), or the last bin. */
export const binOf = (cuts: Float64Array, value: number): number => {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= (cuts[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

/** Bins the columns (one array per feature) of a training set. */
export const binFeatures = (columns: readonly Float64Array[], maxBins: number = MAX_BINS): BinnedFeatures => {
  const cuts = columns.map((column) => cutPoints(column, maxBins));
  const bins = columns.map((column, f) => {
    const out = new Uint16Array(column.length);
    const c = cuts[f] as Float64Array;
    for (let i = 0; i < column.length; i++) out[i] = binOf(c, column[i] as number);
    return out;
  });
  return { cuts, bins };
};
