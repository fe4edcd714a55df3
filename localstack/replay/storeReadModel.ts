// What the store holds, read back through the domain's folds: every machine's stream state, OEE
// windows and alerts. The replay summary and the dashboard both read it here — one source of truth.
import type { AlertEvent } from '../../domain/detectors/detector.ts';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { alertLifecycles, type AlertRecord } from '../../domain/alerts/alertProjection.ts';
import { evolveOee, initialOeeState, oeeWindow, WHOLE_RANGE, type OeeProjectionState } from '../../domain/oee/oeeProjection.ts';
import { machineStream, type MachineStream, type MachineStreamConfig, type MachineStreamState } from '../../domain/pipeline/machineStream.ts';
import { dedupHorizonFor } from '../../domain/pipeline/dedupHorizon.ts';
import { streamConfigs, type StreamOptions } from '../../domain/pipeline/machineStreamConfig.ts';
import { replaySummary, type MessageCounts, type Rejection, type ReplaySummary } from '../../domain/pipeline/replaySummary.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry, type MachineEntry } from '../../domain/site/siteRegistry.ts';
import type { FactoryDb } from '../store/schema.ts';
import { recentIds, type RecentIds } from './recentIds.ts';

export type MachineRuntime = {
  readonly entry: MachineEntry;
  readonly key: string;
  readonly config: MachineStreamConfig;
  readonly stream: MachineStream;
  state: MachineStreamState;
  oee: OeeProjectionState;
  readonly alertEvents: AlertEvent[];
  version: number;
  /** Ids accepted into this stream within the dedup horizon: a redelivery inside it is a duplicate, not a late reading. */
  readonly acceptedIds: RecentIds;
};

export const streamIdOf = (entry: MachineEntry): string => `${entry.factory}/${entry.line}/${entry.machine}`;

export const isAlertEvent = (event: MachineEvent): event is AlertEvent => event.type === 'DetectorRaised' || event.type === 'DetectorCleared';

/**
 * Every machine of the site, rebuilt from its stored stream: the state is the fold of the events.
 * `options` carries the failure model of `maintenance` detectors (check streamConfigProblems first).
 */
export const loadMachines = (db: FactoryDb, site: SiteConfig, options: StreamOptions = {}): Map<string, MachineRuntime> => {
  const configFor = streamConfigs(site, options);
  const selectEvents = db.prepare<[string, number], { version: number; event: string }>('SELECT version, event FROM events WHERE stream_id = ? AND version > ? ORDER BY version');
  const machines = new Map<string, MachineRuntime>();
  for (const entry of siteRegistry(site).machines()) {
    const runtime = newRuntime(entry, configFor(entry));
    applyStoredEvents(runtime, selectEvents.iterate(runtime.key, 0));
    machines.set(runtime.key, runtime);
  }
  return machines;
};

/** A machine with nothing stored yet. */
export const newRuntime = (entry: MachineEntry, config: MachineStreamConfig): MachineRuntime => {
  const stream = machineStream(config);
  return { entry, key: streamIdOf(entry), config, stream, state: stream.initialState, oee: initialOeeState, alertEvents: [], version: 0, acceptedIds: recentIds(dedupHorizonFor(config.machine.allowedLatenessMs)) };
};

/**
 * Folds stored rows (in version order, after the runtime's version) into a machine: its stream state,
 * OEE, alerts and accepted ids. `onEvent` sees each event too (the dashboard's timeline). Returns
 * how many events it folded.
 */
export const applyStoredEvents = (runtime: MachineRuntime, rows: Iterable<{ readonly version: number; readonly event: string }>, onEvent?: (event: MachineEvent) => void): number => {
  const stepOee = evolveOee(runtime.config.oee);
  const events: MachineEvent[] = [];
  let newest = runtime.state.decider.newestTs ?? -Infinity;
  for (const row of rows) {
    const event = JSON.parse(row.event) as MachineEvent;
    events.push(event);
    runtime.oee = stepOee(runtime.oee, event);
    if (isAlertEvent(event)) runtime.alertEvents.push(event);
    if (event.type === 'ObservationAccepted') {
      newest = Math.max(newest, event.observation.ts);
      runtime.acceptedIds.add(event.observation.messageId, event.observation.ts, newest);
    }
    onEvent?.(event);
    runtime.version = row.version;
  }
  if (events.length > 0) runtime.state = runtime.stream.fold(events, runtime.state);
  return events.length;
};

/** The newest time any machine has seen: where the store's window ends. */
export const newestTs = (machines: Iterable<MachineRuntime>): number => {
  let newest = -Infinity;
  for (const m of machines) newest = Math.max(newest, m.state.decider.newestTs ?? -Infinity);
  return Number.isFinite(newest) ? newest : 0;
};

export type ClosedView = { readonly oee: OeeProjectionState; readonly alerts: readonly AlertRecord[]; readonly events: readonly MachineEvent[] };

/** A machine as if its window closed at `endTs`: pending readings settled, alerts final. A view, not a write. */
export const closedView = (runtime: MachineRuntime, endTs: number): ClosedView => {
  const { events } = runtime.stream.handle(runtime.state, { kind: 'Close', ts: endTs });
  const oee = events.reduce(evolveOee(runtime.config.oee), runtime.oee);
  return { oee, alerts: alertLifecycles([...runtime.alertEvents, ...events.filter(isAlertEvent)]), events };
};

export const storeCounts = (db: FactoryDb): MessageCounts =>
  db.prepare<[], MessageCounts>(`SELECT COALESCE(SUM(received),0) AS received, COALESCE(SUM(accepted),0) AS accepted,
    COALESCE(SUM(rejected),0) AS rejected, COALESCE(SUM(duplicates),0) AS duplicates FROM replay_sources`).get()!;

export const storeRejections = (db: FactoryDb): Rejection[] =>
  db.prepare<[], Rejection>(`SELECT r.line, r.topic, r.reason, s.path AS file FROM replay_rejections r
    LEFT JOIN replay_sources s USING (source_id) ORDER BY r.line, r.source_id`).all();

/** The replay summary (DESIGN §7) of everything in the store, every machine's window closed at the newest message. */
export const summarizeStore = (db: FactoryDb, machines: ReadonlyMap<string, MachineRuntime>): ReplaySummary => {
  const end = newestTs(machines.values());
  const outcomes = [...machines.values()].map((runtime) => {
    const view = closedView(runtime, end);
    return { machine: runtime.entry, totals: oeeWindow(view.oee, WHOLE_RANGE), alerts: view.alerts, oee: view.oee, calendar: runtime.config.oee.calendar };
  });
  return replaySummary(storeCounts(db), outcomes, storeRejections(db));
};
