// Observations accepted but not yet settled, in settlement order (compareObservations), held as
// buckets of one minute of ts: a sorted array of non-empty sorted arrays, oldest minute first, whose
// concatenation is the flat order. State is copied on write; with buckets a message (insert one,
// settle the oldest) copies two small buckets and the short outer array, where one flat array
// copied the whole allowed-lateness window (~140 readings at the sample's rates) per message.
// A reading's bucket depends only on its ts, so the same pending readings have the same buckets
// however they arrived: the state stays the fold of its events (decider.test.ts, deepEqual).
import { compareObservations, type Observation } from './observation.ts';

export type PendingBucket = readonly Observation[];
export type PendingObservations = readonly PendingBucket[];

const BUCKET_MS = 60_000;

const minuteOf = (ts: number): number => Math.floor(ts / BUCKET_MS);

/** Index of the first bucket from `from` on whose minute is not before `minute` (binary search). */
const bucketAtOrAfter = (pending: PendingObservations, minute: number, from: number): number => {
  let low = from;
  let high = pending.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (minuteOf(pending[mid]![0]!.ts) < minute) low = mid + 1;
    else high = mid;
  }
  return low;
};

/** `bucket` with `observation` at `at`. */
const withInserted = (bucket: PendingBucket, at: number, observation: Observation): PendingBucket => {
  // One loop into an array of the final length: concat's fixed cost is several times this copy's for a bucket of ~10.
  const copy = new Array<Observation>(bucket.length + 1);
  for (let i = 0; i < at; i++) copy[i] = bucket[i]!;
  copy[at] = observation;
  for (let i = at; i < bucket.length; i++) copy[i + 1] = bucket[i]!;
  return copy;
};

/** `bucket` with `observation` in its place in the order. */
const insertInBucket = (bucket: PendingBucket, observation: Observation): PendingBucket => {
  // Readings mostly arrive in order: appending is the common case, tested first.
  if (compareObservations(bucket[bucket.length - 1]!, observation) <= 0)
    return withInserted(bucket, bucket.length, observation);
  let low = 0;
  let high = bucket.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareObservations(bucket[mid]!, observation) < 0) low = mid + 1;
    else high = mid;
  }
  return withInserted(bucket, low, observation);
};

/** Where the first `count` observations end: the first bucket kept, and how many of its readings go. */
const cut = (pending: PendingObservations, count: number): { readonly bucket: number; readonly within: number } => {
  let bucket = 0;
  let within = count;
  while (bucket < pending.length && within >= pending[bucket]!.length) within -= pending[bucket++]!.length;
  return { bucket, within };
};

/** `pending` without its first `settled` observations: whole buckets dropped, and one sliced. */
export const dropPending = (pending: PendingObservations, settled: number): PendingObservations => {
  if (settled === 0) return pending;
  const { bucket, within } = cut(pending, settled);
  if (within === 0 || bucket === pending.length) return pending.slice(bucket);
  const kept = pending.slice(bucket);
  kept[0] = kept[0]!.slice(within);
  return kept;
};

/**
 * `pending` without its first `settled` observations and with `observation` in its place in the order.
 * The decider settles and accepts in the same step, so the outer array is built once per message,
 * at its final length (no spare capacity held per machine), with at most two buckets copied.
 */
export const insertPending = (
  pending: PendingObservations,
  observation: Observation,
  settled = 0,
): PendingObservations => {
  const { bucket: first, within } = cut(pending, settled);
  const minute = minuteOf(observation.ts);
  // Readings mostly arrive in order: the newest bucket, or a new one after it, is tried first.
  const newest = pending.length - 1;
  const at =
    newest < first || minuteOf(pending[newest]![0]!.ts) < minute
      ? pending.length
      : minuteOf(pending[newest]![0]!.ts) === minute
        ? newest
        : bucketAtOrAfter(pending, minute, first);
  const joins = at < pending.length && minuteOf(pending[at]![0]!.ts) === minute;
  const kept = new Array<PendingBucket>(pending.length - first + (joins ? 0 : 1));
  let k = 0;
  for (let b = first; b < pending.length; b++) {
    if (b === at && !joins) kept[k++] = [observation];
    const bucket = b === first && within > 0 ? pending[b]!.slice(within) : pending[b]!;
    kept[k++] = b === at && joins ? insertInBucket(bucket, observation) : bucket;
  }
  if (at === pending.length) kept[k] = [observation];
  return kept;
};

/** A redelivery carries the same id for the same instant; only pending messages can still be redelivered in time. */
export const isPending = (pending: PendingObservations, messageId: string, ts: number): boolean => {
  const at = bucketAtOrAfter(pending, minuteOf(ts), 0);
  const bucket = pending[at];
  if (bucket === undefined) return false;
  let low = 0;
  let high = bucket.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (bucket[mid]!.ts < ts) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < bucket.length && bucket[i]!.ts === ts; i++) if (bucket[i]!.messageId === messageId) return true;
  return false;
};

export const removePending = (pending: PendingObservations, messageId: string, ts: number): PendingObservations => {
  const first = pending[0]?.[0];
  if (first !== undefined && first.messageId === messageId && first.ts === ts) return dropPending(pending, 1);
  const at = bucketAtOrAfter(pending, minuteOf(ts), 0);
  const bucket = pending[at];
  const index = bucket === undefined ? -1 : bucket.findIndex((o) => o.messageId === messageId && o.ts === ts);
  if (index < 0) return pending;
  const kept = pending.slice();
  if (bucket!.length === 1) kept.splice(at, 1);
  else kept[at] = [...bucket!.slice(0, index), ...bucket!.slice(index + 1)];
  return kept;
};

/** The pending observations as one array in settlement order (for tests and views; the decider walks the buckets). */
export const pendingInOrder = (pending: PendingObservations): readonly Observation[] => pending.flat();

/** The buckets of observations already in settlement order (what the property test holds the buckets to; old flat snapshots are not migrated: their format is ignored, storedMachine.ts). */
export const pendingFromOrdered = (inOrder: readonly Observation[]): PendingObservations => {
  const buckets: Observation[][] = [];
  for (const observation of inOrder) {
    const newest = buckets[buckets.length - 1];
    if (newest !== undefined && minuteOf(newest[0]!.ts) === minuteOf(observation.ts)) newest.push(observation);
    else buckets.push([observation]);
  }
  return buckets;
};
