// A heartbeat timer fired (EventBridge Scheduler invokes the timer function with the Timer the
// process function scheduled): the machine's clock advances to the timer's time, which settles what
// is due and lets the decider call the heartbeat missed; the alerts that follow are published.
import * as E from 'fp-ts/lib/Either.js';
import { dedupHorizonFor } from '../../domain/pipeline/dedupHorizon.ts';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { foldOee } from '../../domain/oee/oeeProjection.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import type { AlertPublisher } from '../ports/alertPublisher.ts';
import { appendWithRetry, type RetryOptions } from '../ports/appendWithRetry.ts';
import { describeAppendError, type EventStore } from '../ports/eventStore.ts';
import { alertsOf } from '../process/machineOutputs.ts';
import { withRisks, type ProcessContext } from '../process/processBatch.ts';
import { crossesSnapshot, foldStoredMachine, readStoredMachine, snapshotOf, type LoadedMachine } from '../process/storedMachine.ts';

export type TimerDeps = { readonly site: SiteConfig; readonly store: EventStore<MachineEvent>; readonly alerts: AlertPublisher;
  readonly snapshotEvery?: number; readonly dedupHorizonMs?: number; readonly retry?: RetryOptions };

export type TimerFired = { readonly machineKey: string; readonly kind: string; readonly fireAt: number };

export type TimerOutcome = { readonly machineKey: string; readonly events: readonly MachineEvent[]; readonly alerts: number };

/** The scheduler's input is the Timer as scheduled (schedulerTimerScheduler: Input = JSON of the timer). */
export const decodeTimerEvent = (event: unknown): E.Either<string, TimerFired> => {
  const e = event as Partial<TimerFired> | null;
  if (typeof e !== 'object' || e === null || typeof e.machineKey !== 'string' || typeof e.fireAt !== 'number' || !Number.isFinite(e.fireAt)) {
    return E.left(`timer event ${JSON.stringify(event)}: expected {machineKey, kind, fireAt} as scheduled by the process function`);
  }
  return E.right({ machineKey: e.machineKey, kind: typeof e.kind === 'string' ? e.kind : 'heartbeat', fireAt: e.fireAt });
};

export const handleTimer = async (deps: TimerDeps, context: ProcessContext, timer: TimerFired): Promise<E.Either<string, TimerOutcome>> => {
  const [factoryId = '', lineId = '', machineId = ''] = timer.machineKey.split('/');
  const entry = siteRegistry(deps.site).machine(factoryId, lineId, machineId);
  if (entry === undefined) return E.left(`timer for ${timer.machineKey}: the machine is not in the bundled site configuration; the timer is dropped`);
  const runtime = context.machine(entry);
  let loaded: LoadedMachine | undefined;
  let decided: { events: readonly MachineEvent[]; state: LoadedMachine['state'] } = { events: [], state: runtime.stream.initialState };
  const view: EventStore<MachineEvent> = {
    readStream: async () => {
      const stored = await readStoredMachine(deps.store, runtime.streamId);
      const folded = await withRisks(context, () => {
        const machine = foldStoredMachine(runtime, stored);
        return { machine, advanced: runtime.stream.handle(machine.state, { kind: 'AdvanceClock', ts: timer.fireAt }) };
      });
      loaded = folded.machine;
      decided = { state: folded.advanced.state, events: folded.advanced.events };
      return { events: [], currentVersion: loaded.version };
    },
    appendToStream: (id, expected, events) => deps.store.appendToStream(id, expected, events),
    writeSnapshot: (id, version, state) => deps.store.writeSnapshot(id, version, state),
    readSnapshot: (id) => deps.store.readSnapshot(id),
  };
  const result = await appendWithRetry(view, runtime.streamId, () => decided.events, deps.retry);
  if (E.isLeft(result)) return E.left(`timer for ${timer.machineKey}: ${result.left.kind === 'RetriesExhausted' ? describeAppendError(result.left.last) : describeAppendError(result.left)}`);
  const alerts = alertsOf(entry, decided.events);
  await deps.alerts.publish(alerts);
  if (loaded !== undefined && crossesSnapshot(loaded.version, result.right.nextVersion, deps.snapshotEvery ?? 100)) {
    await deps.store.writeSnapshot(runtime.streamId, result.right.nextVersion, snapshotOf(decided.state, foldOee(runtime.config.oee, decided.events, loaded.oee), loaded.decided, dedupHorizonFor(runtime.config.machine.allowedLatenessMs, deps.dedupHorizonMs)));
  }
  return E.right({ machineKey: timer.machineKey, events: decided.events, alerts: alerts.length });
};
