// Ports that most invocations call with nothing to write (alerts, dead letters). Their adapter, and
// the SDK client behind it, is loaded at the first write that has something in it: a cold start then
// does not pay for loading an SDK client that the container may never use. Writing nothing answers
// what every adapter answers for nothing, without loading it.
import type { AlertPublisher } from '../ports/alertPublisher.ts';
import type { DeadLetterQueue } from '../ports/deadLetterQueue.ts';
import { emptyReport } from '../ports/writeReport.ts';

/** Calls `load` once and shares its promise; a failed load is forgotten, so the next use tries again. */
export const onFirstUse = <A>(load: () => Promise<A>): (() => Promise<A>) => {
  let loading: Promise<A> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
};

export const alertPublisherOnFirstUse = (load: () => Promise<AlertPublisher>): AlertPublisher => {
  const publisher = onFirstUse(load);
  return { publish: async (alerts) => (alerts.length === 0 ? emptyReport() : (await publisher()).publish(alerts)) };
};

export const deadLetterQueueOnFirstUse = (load: () => Promise<DeadLetterQueue>): DeadLetterQueue => {
  const queue = onFirstUse(load);
  return { send: async (letters) => (letters.length === 0 ? emptyReport() : (await queue()).send(letters)) };
};
