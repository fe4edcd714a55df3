// Test support: the outward ports as in-memory fakes that keep what they were given, so a test can
// see every copy sent (not only what a deduplicating store would keep).
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
        if (before !== undefined && JSON.stringify(before) !== JSON.stringify(r)) throw new Error(`telemetry ${r.messageId} rewritten with different content`);
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
  const publisher: AlertPublisher = { publish: async (a) => { alerts.push(...a); return { accepted: a.length, rejected: [] }; } };
  const assets: AssetPropertyWriter = { write: async (v) => { values.push(...v); return { accepted: v.length, rejected: [] }; } };
  const deadLetters: DeadLetterQueue = { send: async (l) => { letters.push(...l); return { accepted: l.length, rejected: [] }; } };
  const scheduler: TimerScheduler = {
    schedule: async (t) => { timers.set(`${t.machineKey}|${t.kind}`, t); },
    cancel: async (key, kind) => { timers.delete(`${key}|${kind}`); },
  };
  return { publisher, assets, deadLetters, scheduler, alerts, values, letters, timers };
};

/** An event store in a Map, with the port's version rule: for fast runs where the store is not under test. */
export const memoryEventStore = <Ev>(): import('../ports/eventStore.ts').EventStore<Ev> => {
  const streams = new Map<string, Ev[]>();
  const snapshots = new Map<string, { version: number; state: unknown }>();
  return {
    readStream: async (id, { fromVersion = 1 } = {}) => {
      const events = streams.get(id) ?? [];
      return { events: events.slice(fromVersion - 1).map((event, i) => ({ version: fromVersion + i, event })), currentVersion: events.length };
    },
    appendToStream: async (id, expected, events) => {
      const current = streams.get(id) ?? [];
      if (expected !== 'any' && expected !== current.length) return { _tag: 'Left', left: { kind: 'ConcurrencyConflict', streamId: id, expected, actual: current.length } };
      streams.set(id, [...current, ...events]);
      return { _tag: 'Right', right: { nextVersion: current.length + events.length } };
    },
    writeSnapshot: async (id, version, state) => { if ((snapshots.get(id)?.version ?? -1) <= version) snapshots.set(id, { version, state: JSON.parse(JSON.stringify(state)) }); },
    readSnapshot: async <S>(id: string) => snapshots.get(id) as { version: number; state: S } | undefined,
  };
};
