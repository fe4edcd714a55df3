// Observations accepted but not yet settled, kept in settlement order. Arrays are copied on write:
// the buffer holds at most one allowed-lateness window of a machine's messages.
import { compareObservations, type Observation } from './observation.ts';

export type PendingObservations = readonly Observation[];

/** Index of the first element not less than `observation` (binary search). */
const lowerBound = (pending: PendingObservations, observation: Observation): number => {
  let low = 0;
  let high = pending.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareObservations(pending[mid]!, observation) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
};

export const insertPending = (pending: PendingObservations, observation: Observation): PendingObservations => {
  const last = pending[pending.length - 1];
  if (last === undefined || compareObservations(last, observation) <= 0) return [...pending, observation];
  const at = lowerBound(pending, observation);
  return [...pending.slice(0, at), observation, ...pending.slice(at)];
};

/** A redelivery carries the same id for the same instant; only pending messages can still be redelivered in time. */
export const isPending = (pending: PendingObservations, messageId: string, ts: number): boolean => {
  let low = 0;
  let high = pending.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (pending[mid]!.ts < ts) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < pending.length && pending[i]!.ts === ts; i++) if (pending[i]!.messageId === messageId) return true;
  return false;
};

export const removePending = (pending: PendingObservations, messageId: string, ts: number): PendingObservations => {
  const first = pending[0];
  if (first !== undefined && first.messageId === messageId && first.ts === ts) return pending.slice(1);
  const index = pending.findIndex((o) => o.messageId === messageId && o.ts === ts);
  return index < 0 ? pending : [...pending.slice(0, index), ...pending.slice(index + 1)];
};
