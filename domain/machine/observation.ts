// What a machine told us, after decoding, enrichment and unit conversion: the input of its decider.
import type { MachineState } from '../wire/messages.ts';

type Common = { readonly messageId: string; readonly ts: number };

export type Observation =
  | (Common & { readonly kind: 'state'; readonly state: MachineState; readonly reason: string | null })
  | (Common & { readonly kind: 'counts'; readonly total: number; readonly reject: number })
  /** The machine starts `order`, making `product` (a product of the site's catalog), until the next job. */
  | (Common & {
      readonly kind: 'job';
      readonly order: string;
      readonly product: string;
      readonly targetQuantity: number | null;
    })
  /** Metric values in their canonical units. */
  | (Common & { readonly kind: 'telemetry'; readonly metrics: Readonly<Record<string, number>> });

// At one instant a state change is applied before the counts and samples that report that instant,
// so that arrival order never decides which state a count or sample belongs to; a job starts after
// the state of its instant and before its counts.
const KIND_RANK: Readonly<Record<Observation['kind'], number>> = { state: 0, job: 1, counts: 2, telemetry: 3 };

/** The one total order observations are settled in: time, then kind, then message id. */
export const compareObservations = (a: Observation, b: Observation): number =>
  a.ts - b.ts ||
  KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
  (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0);
