// The cloud's shell on one machine: the same ports the Lambda functions write through, on the local
// store's SQLite adapters, the outbox dispatched after each commit as the event table's stream
// dispatches it in the cloud, and heartbeat timers fired by the timer handler when recorded time
// reaches them, as EventBridge Scheduler fires them. The replay (every path) runs through it.
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import type { MachineEffect } from '../../domain/pipeline/machineBatch.ts';
import type { StreamOptions } from '../../domain/pipeline/machineStreamConfig.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import { dispatchEffects, type DispatchPorts } from '../../handlers/machines/dispatchEffects.ts';
import { processContext, type ProcessContext } from '../../handlers/machines/machineContext.ts';
import type { CheckpointCache } from '../../handlers/machines/runMachineBatch.ts';
import type { AssetPropertyWriter } from '../../handlers/ports/assetPropertyWriter.ts';
import type { EventStore } from '../../handlers/ports/eventStore.ts';
import { handleTimer } from '../../handlers/timer/handleTimer.ts';
import type { FactoryDb } from '../store/schema.ts';
import { sqliteAlertLog } from '../store/sqliteAlertLog.ts';
import { sqliteDeadLetters } from '../store/sqliteDeadLetters.ts';
import { sqliteEventStore } from '../store/sqliteEventStore.ts';
import { sqliteOutbox } from '../store/sqliteOutbox.ts';
import { sqliteTelemetrySink } from '../store/sqliteTelemetrySink.ts';
import { sqliteTimers } from '../store/sqliteTimers.ts';

/** SiteWise has no local counterpart: the dashboard computes the same OEE from the store, so the values are counted and let go. */
const siteWiseNotRunLocally = (): AssetPropertyWriter & { readonly written: () => number } => {
  let written = 0;
  return {
    write: async (values) => {
      written += values.length;
      return { accepted: values.length, rejected: [] };
    },
    written: () => written,
  };
};

export const openLocalCloud = (db: FactoryDb, site: SiteConfig, options: StreamOptions = {}) => {
  const registry = siteRegistry(site);
  const context: ProcessContext = processContext(site, options);
  const store: EventStore<MachineEvent> = sqliteEventStore<MachineEvent>(db);
  const telemetry = sqliteTelemetrySink(db);
  const deadLetters = sqliteDeadLetters(db);
  const timers = sqliteTimers(db);
  const outbox = sqliteOutbox(db);
  const ports: DispatchPorts = { alerts: sqliteAlertLog(db), assets: siteWiseNotRunLocally(), timers };
  /** Checkpoints as committed, shared by the process path and the timer handler: a commit needs no read first. */
  const checkpoints: CheckpointCache = new Map();

  /** Sends what the outbox holds; an entry whose effects could not all be sent stays for the next time. */
  const dispatch = async (): Promise<readonly string[]> => {
    const problems: string[] = [];
    for (const entry of outbox.pending()) {
      const [factoryId = '', lineId = '', machineId = ''] = entry.streamId.split('/');
      const machine = registry.machine(factoryId, lineId, machineId);
      if (machine === undefined) continue;
      const outcome = await dispatchEffects(ports, machine, entry.position, entry.effects as MachineEffect[]);
      problems.push(...outcome.failures.map((f) => f.reason));
      if (!outcome.failures.some((f) => f.retryable)) outbox.done(entry);
    }
    return problems;
  };

  /** Fires every timer due by `now` through the timer handler; returns the machines it touched. */
  const fireDueTimers = async (now: number): Promise<string[]> => {
    const touched: string[] = [];
    for (const timer of timers.takeDue(now)) {
      const fired = await handleTimer({ site, store, checkpoints }, context, {
        machineKey: timer.machineKey,
        kind: timer.kind,
        fireAt: timer.fireAt,
      });
      if (E.isLeft(fired)) throw new Error(fired.left);
      touched.push(timer.machineKey);
    }
    return touched;
  };

  return { context, store, telemetry, deadLetters, timers, outbox, ports, checkpoints, dispatch, fireDueTimers };
};

export type LocalCloud = ReturnType<typeof openLocalCloud>;
