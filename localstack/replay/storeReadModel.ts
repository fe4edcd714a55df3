// What the store holds, read back: every machine's checkpoint (its state and OEE windows) and the
// alerts among its decisions. The replay summary and the dashboard both read it here — one source of
// truth, and the same one the Lambda handlers write through the event store port.
import { isAlertEvent, type AlertEvent } from '../../domain/detectors/detector.ts';
import { alertLifecycles, type AlertRecord } from '../../domain/alerts/alertProjection.ts';
import { applyClassifications } from '../../domain/downtime/classification.ts';
import { shapesStops, stopsOf } from '../../domain/downtime/stops.ts';
import type { DowntimeClassified, MachineEvent } from '../../domain/machine/events.ts';
import { oeeWindow, WHOLE_RANGE, type OeeProjectionState } from '../../domain/oee/oeeProjection.ts';
import type { WindowTotals } from '../../domain/oee/windowTotals.ts';
import { closedCheckpointView } from '../../domain/pipeline/machineBatch.ts';
import {
  checkpointFromJson,
  initialCheckpoint,
  type MachineCheckpoint,
} from '../../domain/pipeline/machineCheckpoint.ts';
import type { StreamOptions } from '../../domain/pipeline/machineStreamConfig.ts';
import {
  replaySummary,
  type MessageCounts,
  type Rejection,
  type ReplaySummary,
} from '../../domain/pipeline/replaySummary.ts';
import type { ReasonConfig } from '../../domain/site/reasonCatalog.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry, type MachineEntry } from '../../domain/site/siteRegistry.ts';
import { processContext, type MachineRuntime } from '../../handlers/machines/machineContext.ts';
import type { FactoryDb } from '../store/schema.ts';

/** A machine as the store shows it: its checkpoint at `position`, and every alert it decided. */
export type StoredMachine = {
  readonly entry: MachineEntry;
  readonly key: string;
  readonly processor: MachineRuntime;
  checkpoint: MachineCheckpoint;
  position: number;
  readonly alertEvents: AlertEvent[];
  /** OEE windows its stream has finalised (they left its checkpoint). */
  readonly finalWindows: Record<string, WindowTotals>;
  /** The decisions its stops are read from (downtime/stops.ts), and the stops operators classified. */
  readonly stopEvents: MachineEvent[];
  readonly classifications: DowntimeClassified[];
  /** The site's reason catalog, for the loss Pareto by category. */
  readonly reasons: readonly ReasonConfig[] | undefined;
};

/** Folds what a machine's runtime keeps of a decision: its alerts, finalised OEE windows, stops and their classifications. */
export const keepDecision = (runtime: StoredMachine, event: MachineEvent): void => {
  if (isAlertEvent(event)) runtime.alertEvents.push(event);
  else if (event.type === 'OeeWindowsFinal') Object.assign(runtime.finalWindows, event.windows);
  else if (event.type === 'DowntimeClassified') runtime.classifications.push(event);
  else if (shapesStops(runtime.stopEvents.at(-1), event)) runtime.stopEvents.push(event);
};

export type StoreReader = {
  /** Brings a machine up to the store's newest commit; `onDecision` sees each decision read. True when it moved. */
  readonly refresh: (runtime: StoredMachine, onDecision?: (event: MachineEvent) => void) => boolean;
};

export const storeReader = (db: FactoryDb): StoreReader => {
  const selectHead = db.prepare<[string], { position: number; state: string | null }>(
    'SELECT position, state FROM checkpoints WHERE stream_id = ?',
  );
  const selectCommits = db.prepare<[string, number], { events: string }>(
    'SELECT events FROM commits WHERE stream_id = ? AND position > ? ORDER BY position',
  );
  return {
    refresh: (runtime, onDecision) => {
      const head = selectHead.get(runtime.key);
      if (head === undefined || head.position === runtime.position) return false;
      for (const row of selectCommits.iterate(runtime.key, runtime.position)) {
        for (const event of JSON.parse(row.events) as MachineEvent[]) {
          keepDecision(runtime, event);
          onDecision?.(event);
        }
      }
      runtime.checkpoint =
        (head.state === null ? undefined : checkpointFromJson(JSON.parse(head.state))) ??
        initialCheckpoint(runtime.processor.stream);
      runtime.position = head.position;
      return true;
    },
  };
};

/** Every machine of the site with nothing read yet. `options` carries the failure model of `maintenance` detectors. */
export const siteMachines = (site: SiteConfig, options: StreamOptions = {}): Map<string, StoredMachine> => {
  const context = processContext(site, options);
  const machines = new Map<string, StoredMachine>();
  for (const entry of siteRegistry(site).machines()) {
    const processor = context.machine(entry);
    machines.set(processor.streamId, {
      entry,
      key: processor.streamId,
      processor,
      checkpoint: initialCheckpoint(processor.stream),
      position: 0,
      alertEvents: [],
      finalWindows: {},
      stopEvents: [],
      classifications: [],
      reasons: site.reasons,
    });
  }
  return machines;
};

/** Every machine of the site as the store holds it. */
export const loadMachines = (
  db: FactoryDb,
  site: SiteConfig,
  options: StreamOptions = {},
): Map<string, StoredMachine> => {
  const machines = siteMachines(site, options);
  const reader = storeReader(db);
  for (const runtime of machines.values()) reader.refresh(runtime);
  return machines;
};

/** The newest time any machine has seen: where the store's window ends. */
export const newestTs = (machines: Iterable<StoredMachine>): number => {
  let newest = -Infinity;
  for (const m of machines) newest = Math.max(newest, m.checkpoint.stream.decider.newestTs ?? -Infinity);
  return Number.isFinite(newest) ? newest : 0;
};

export type ClosedView = {
  readonly oee: OeeProjectionState;
  readonly alerts: readonly AlertRecord[];
  readonly events: readonly MachineEvent[];
};

/** A machine as if its window closed at `endTs`: pending readings settled, alerts final. A view, not a write. */
export const closedView = (runtime: StoredMachine, endTs: number): ClosedView => {
  const { checkpoint, events } = closedCheckpointView(runtime.processor, runtime.checkpoint, endTs);
  const booked = { ...checkpoint.oee, closedWindows: { ...runtime.finalWindows, ...checkpoint.oee.closedWindows } };
  // Stops classified after the fact count under their reason in every window (docs/replay-summary.md).
  const oee =
    runtime.classifications.length === 0
      ? booked
      : applyClassifications(
          runtime.processor.config.oee,
          booked,
          stopsOf([...runtime.stopEvents, ...events]),
          runtime.classifications,
        );
  return { oee, alerts: alertLifecycles([...runtime.alertEvents, ...events.filter(isAlertEvent)]), events };
};

export const storeCounts = (db: FactoryDb): MessageCounts =>
  db
    .prepare<[], MessageCounts>(
      `SELECT COALESCE(SUM(received),0) AS received, COALESCE(SUM(accepted),0) AS accepted,
    COALESCE(SUM(rejected),0) AS rejected, COALESCE(SUM(duplicates),0) AS duplicates FROM replay_sources`,
    )
    .get()!;

export const storeRejections = (db: FactoryDb): Rejection[] =>
  db
    .prepare<[], Rejection>(
      `SELECT r.line, r.topic, r.reason, s.path AS file FROM replay_rejections r
    LEFT JOIN replay_sources s USING (source_id) ORDER BY r.line, r.source_id`,
    )
    .all();

/** The replay summary of everything in the store, every machine's window closed at the newest message. */
export const summarizeStore = (db: FactoryDb, machines: ReadonlyMap<string, StoredMachine>): ReplaySummary => {
  const end = newestTs(machines.values());
  const outcomes = [...machines.values()].map((runtime) => {
    const view = closedView(runtime, end);
    return {
      machine: runtime.entry,
      totals: oeeWindow(view.oee, WHOLE_RANGE),
      alerts: view.alerts,
      oee: view.oee,
      calendar: runtime.processor.config.oee.calendar,
      reasons: runtime.reasons,
      classifications: runtime.classifications,
    };
  });
  return replaySummary(storeCounts(db), outcomes, storeRejections(db));
};
