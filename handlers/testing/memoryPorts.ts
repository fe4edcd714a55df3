// Test support: the outward ports as in-memory fakes that keep what they were given, so a test can
// see every copy sent (not only what a deduplicating store would keep).
import type { MachineEffect } from '../../domain/pipeline/machineBatch.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import { dispatchEffects } from '../machines/dispatchEffects.ts';
import type { Alert, AlertPublisher } from '../ports/alertPublisher.ts';
import type { AssetPropertyValue, AssetPropertyWriter } from '../ports/assetPropertyWriter.ts';
import type { DeadLetter, DeadLetterQueue } from '../ports/deadLetterQueue.ts';
import type { TelemetryRecord, TelemetrySink } from '../ports/telemetrySink.ts';
import type { Timer, TimerScheduler } from '../ports/timerScheduler.ts';

/** Stores by message id as the sink contract requires; `writes` counts every record sent. */
export const memorySink = () => {
  const stored = new Map<string, TelemetryRecord>();
  let writes = 0;
  const sink: TelemetrySink = {
    write: async (records) => {
      for (const r of records) {
        const before = stored.get(r.messageId);
        if (before !== undefined && JSON.stringify(before) !== JSON.stringify(r))
          throw new Error(`telemetry ${r.messageId} rewritten with different content`);
        stored.set(r.messageId, r);
      }
      writes += records.length;
      return { accepted: records.length, rejected: [] };
    },
  };
  return { sink, stored: () => [...stored.values()], writes: () => writes };
};

export const memoryOutputs = () => {
  const alerts: Alert[] = [];
  const values: AssetPropertyValue[] = [];
  const letters: DeadLetter[] = [];
  const timers = new Map<string, Timer>();
  const publisher: AlertPublisher = {
    publish: async (a) => {
      alerts.push(...a);
      return { accepted: a.length, rejected: [] };
    },
  };
  const assets: AssetPropertyWriter = {
    write: async (v) => {
      values.push(...v);
      return { accepted: v.length, rejected: [] };
    },
  };
  const deadLetters: DeadLetterQueue = {
    send: async (l) => {
      letters.push(...l);
      return { accepted: l.length, rejected: [] };
    },
  };
  const scheduler: TimerScheduler = {
    schedule: async (t) => {
      timers.set(`${t.machineKey}|${t.kind}`, t);
    },
    cancel: async (key, kind) => {
      timers.delete(`${key}|${kind}`);
    },
  };
  return { publisher, assets, deadLetters, scheduler, alerts, values, letters, timers };
};

/** An event store in a Map, with the port's version rule, and its outbox: for fast runs where the store is not under test. */
export const memoryEventStore = <Ev>() => {
  type Head = { position: number; version: number; state: unknown };
  const streams = new Map<string, Ev[]>();
  const heads = new Map<string, Head>();
  const outbox: { streamId: string; position: number; effects: readonly unknown[] }[] = [];
  const headOf = (id: string): Head => heads.get(id) ?? { position: 0, version: 0, state: undefined };
  const write = (id: string, events: readonly Ev[], state: unknown, effects: readonly unknown[]) => {
    const head = headOf(id);
    streams.set(id, [...(streams.get(id) ?? []), ...events]);
    const next = {
      position: head.position + 1,
      version: head.version + events.length,
      state: JSON.parse(JSON.stringify(state ?? null)) as unknown,
    };
    heads.set(id, next);
    if (effects.length > 0)
      outbox.push({ streamId: id, position: next.position, effects: JSON.parse(JSON.stringify(effects)) as unknown[] });
    return next;
  };
  const store: import('../ports/eventStore.ts').EventStore<Ev> = {
    readStream: async (id, { fromVersion = 1 } = {}) => {
      const events = streams.get(id) ?? [];
      return {
        events: events.slice(fromVersion - 1).map((event, i) => ({ version: fromVersion + i, event })),
        currentVersion: events.length,
      };
    },
    appendToStream: async (id, expected, events) => {
      const head = headOf(id);
      if (expected !== 'any' && expected !== head.version)
        return { _tag: 'Left', left: { kind: 'ConcurrencyConflict', streamId: id, expected, actual: head.version } };
      if (events.length === 0) return { _tag: 'Right', right: { nextVersion: head.version } };
      return { _tag: 'Right', right: { nextVersion: write(id, events, head.state, []).version } };
    },
    commit: async (id, expected, batch) => {
      const head = headOf(id);
      if (expected !== head.position)
        return { _tag: 'Left', left: { kind: 'ConcurrencyConflict', streamId: id, expected, actual: head.position } };
      const next = write(id, batch.events, batch.checkpoint, batch.effects);
      return { _tag: 'Right', right: { position: next.position, nextVersion: next.version } };
    },
    readCheckpoint: async <S>(id: string) => {
      const head = heads.get(id);
      return head === undefined
        ? undefined
        : { position: head.position, version: head.version, state: (head.state ?? undefined) as S | undefined };
    },
  };
  /** Takes what the outbox holds, oldest first, as the table's stream would hand it over. */
  const takeOutbox = () => outbox.splice(0, outbox.length);
  return Object.assign(store, { takeOutbox });
};

/** Dispatches what a memory store's outbox holds to the memory outputs, as the dispatch function would. */
export const dispatchOutbox = async (
  store: ReturnType<typeof memoryEventStore>,
  site: SiteConfig,
  outputs: ReturnType<typeof memoryOutputs>,
): Promise<void> => {
  const registry = siteRegistry(site);
  for (const entry of store.takeOutbox()) {
    const [factoryId = '', lineId = '', machineId = ''] = entry.streamId.split('/');
    await dispatchEffects(
      { alerts: outputs.publisher, assets: outputs.assets, timers: outputs.scheduler },
      registry.machine(factoryId, lineId, machineId)!,
      entry.position,
      entry.effects as MachineEffect[],
    );
  }
};
