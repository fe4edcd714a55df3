// Which job (order and product, from `job` messages) a machine was running when: the OEE projection
// books time and parts to the product and order windows of the job current at that time. Only the
// stretch a booking can still reach is kept (the current segment, the time since the last counts).

export type Job = { readonly order: string; readonly product: string; readonly targetQuantity: number | null };

/** From `fromMs` on (until the next span), the machine ran `job`. Sorted by `fromMs`. */
export type JobSpan = { readonly fromMs: number; readonly job: Job };

/** What the OEE summary says of an order: its product, target, and when it started and ended. */
export type OrderInfo = {
  readonly product: string;
  readonly targetQuantity: number | null;
  readonly startMs: number;
  readonly endMs: number | null;
};

export const productWindow = (product: string): string => `product:${product}`;
export const orderWindow = (order: string): string => `order:${order}`;

/** The job running at `ms`, or null before the first. */
export const jobAt = (spans: readonly JobSpan[] | undefined, ms: number): Job | null => {
  if (spans === undefined) return null;
  let job: Job | null = null;
  for (const span of spans) {
    if (span.fromMs > ms) break;
    job = span.job;
  }
  return job;
};

/** [from, to) cut where the job changes, each piece with its job (null before the first). */
export const jobPieces = (
  spans: readonly JobSpan[] | undefined,
  fromMs: number,
  toMs: number,
): Array<{ readonly fromMs: number; readonly toMs: number; readonly job: Job | null }> => {
  const pieces: Array<{ fromMs: number; toMs: number; job: Job | null }> = [];
  let start = fromMs;
  let job = jobAt(spans, fromMs);
  for (const span of spans ?? []) {
    if (span.fromMs <= fromMs) continue;
    if (span.fromMs >= toMs) break;
    // Two jobs started at the same instant: the first ran for no time, so it gets no piece (and no window).
    if (span.fromMs > start) pieces.push({ fromMs: start, toMs: span.fromMs, job });
    start = span.fromMs;
    job = span.job;
  }
  if (start < toMs) pieces.push({ fromMs: start, toMs, job });
  return pieces;
};

/** The instants in (fromMs, toMs) where the job changes: a counter delta is split there. */
export const jobChangesIn = (spans: readonly JobSpan[] | undefined, fromMs: number, toMs: number): number[] =>
  (spans ?? []).filter((s) => s.fromMs > fromMs && s.fromMs < toMs).map((s) => s.fromMs);

/** The spans still reachable from `reach` on: the one in force at `reach` and those after it. */
export const spansFrom = (spans: readonly JobSpan[], reach: number): readonly JobSpan[] => {
  let first = 0;
  while (first + 1 < spans.length && spans[first + 1]!.fromMs <= reach) first += 1;
  return first === 0 ? spans : spans.slice(first);
};
