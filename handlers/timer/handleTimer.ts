// A heartbeat timer fired (EventBridge Scheduler invokes the timer function with the Timer the
// dispatcher scheduled): the machine's clock advances to the timer's time through the one processing
// core, which settles what is due and lets the decider call the heartbeat missed. The alerts that
// follow are sent from the commit by the dispatch function, like every other side effect.
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import type { ProcessContext } from '../machines/machineContext.ts';
import { runMachineBatch, type CheckpointCache, type RetryOptions } from '../machines/runMachineBatch.ts';
import { describeAppendError, type EventStore } from '../ports/eventStore.ts';

export type TimerDeps = {
  readonly site: SiteConfig;
  readonly store: EventStore<MachineEvent>;
  readonly dedupHorizonMs?: number;
  readonly retry?: RetryOptions;
  readonly checkpoints?: CheckpointCache;
};

export type TimerFired = { readonly machineKey: string; readonly kind: string; readonly fireAt: number };

export type TimerOutcome = {
  readonly machineKey: string;
  readonly decisions: readonly MachineEvent[];
  readonly alerts: number;
};

/** The scheduler's input is the Timer as scheduled (schedulerTimerScheduler: Input = JSON of the timer's payload). */
export const decodeTimerEvent = (event: unknown): E.Either<string, TimerFired> => {
  const e = event as Partial<TimerFired> | null;
  if (
    typeof e !== 'object' ||
    e === null ||
    typeof e.machineKey !== 'string' ||
    typeof e.fireAt !== 'number' ||
    !Number.isFinite(e.fireAt)
  ) {
    return E.left(
      `timer event ${JSON.stringify(event)}: expected {machineKey, kind, fireAt} as scheduled by the dispatch function`,
    );
  }
  return E.right({
    machineKey: e.machineKey,
    kind: typeof e.kind === 'string' ? e.kind : 'heartbeat',
    fireAt: e.fireAt,
  });
};

export const handleTimer = async (
  deps: TimerDeps,
  context: ProcessContext,
  timer: TimerFired,
): Promise<E.Either<string, TimerOutcome>> => {
  const [factoryId = '', lineId = '', machineId = ''] = timer.machineKey.split('/');
  const entry = siteRegistry(deps.site).machine(factoryId, lineId, machineId);
  if (entry === undefined)
    return E.left(
      `timer for ${timer.machineKey}: the machine is not in the bundled site configuration; the timer is dropped`,
    );
  const runtime = context.machine(entry);
  // `open`: the local replay opens every machine's window at its first message (the cloud never schedules one).
  const run = await runMachineBatch(
    deps.store,
    context,
    runtime,
    [{ kind: timer.kind === 'open' ? 'open' : 'tick', ts: timer.fireAt }],
    { retry: deps.retry, dedupHorizonMs: deps.dedupHorizonMs, cache: deps.checkpoints },
  );
  if (E.isLeft(run))
    return E.left(
      `timer for ${timer.machineKey}: gave up after ${run.left.attempts} attempts: ${describeAppendError(run.left.last)}`,
    );
  const { decisions, effects } = run.right.result;
  return E.right({ machineKey: timer.machineKey, decisions, alerts: effects.filter((e) => e.kind === 'alert').length });
};
