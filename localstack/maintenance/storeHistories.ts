// A store's machine histories for the training table: each machine's readings from the telemetry sink's
// machine-minute chunks, its state changes and data gaps from its stream's commits. The sampling and
// labelling are the domain's (failureWindows.ts); this only reads SQLite.
import type { MachineEvent } from '../../domain/machine/events.ts';
import { neededMetrics, DEFAULT_WINDOW_S, type WindowSample } from '../../domain/detectors/maintenanceDetector.ts';
import {
  failureWindowSamples,
  type MachineHistory,
  type StateChange,
} from '../../domain/maintenance/failureWindows.ts';
import { failureReasonsOf } from '../../domain/maintenance/failureReasons.ts';
import type { FailureTableRow } from '../../domain/maintenance/timeSplitEvaluation.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry, type MachineEntry } from '../../domain/site/siteRegistry.ts';
import { sqliteEventStore } from '../store/sqliteEventStore.ts';
import { sqliteTelemetrySink } from '../store/sqliteTelemetrySink.ts';
import type { FactoryDb } from '../store/schema.ts';

/** One machine's history as the store holds it. */
export const machineHistory = async (db: FactoryDb, machine: MachineEntry): Promise<MachineHistory> => {
  const telemetry: WindowSample[] = [];
  for (const record of sqliteTelemetrySink(db).machineReadings(machine.factory, machine.line, machine.machine)) {
    const metrics = neededMetrics(record.measures);
    if (metrics !== null) telemetry.push({ ts: record.ts, metrics });
  }
  const stream = await sqliteEventStore<MachineEvent>(db).readStream(
    `${machine.factory}/${machine.line}/${machine.machine}`,
  );
  const states: StateChange[] = [];
  const gapStarts: number[] = [];
  for (const { event } of stream.events) {
    if (event.type === 'StateChanged') states.push({ ts: event.ts, state: event.state, reason: event.reason });
    if (event.type === 'HeartbeatMissed') gapStarts.push(event.ts);
  }
  // a gap lasts from the missed heartbeat until the machine is heard again
  const gaps = gapStarts.map((from) => ({ from, to: telemetry.find((s) => s.ts > from)?.ts ?? Infinity }));
  return { telemetry, states, gaps };
};

export type ExportOptions = { readonly horizonMs: number; readonly everyMs: number };

/** The training table of every machine whose type has failure reasons; the types without them, to say so. */
export const exportFailureTable = async (
  db: FactoryDb,
  site: SiteConfig,
  options: ExportOptions,
): Promise<{ readonly rows: FailureTableRow[]; readonly unlabelledTypes: readonly string[] }> => {
  const metricUnits = Object.fromEntries(Object.entries(site.metrics).map(([name, m]) => [name, m.unit]));
  const rows: FailureTableRow[] = [];
  const unlabelled = new Set<string>();
  for (const machine of siteRegistry(site).machines()) {
    const failureReasons = failureReasonsOf(site.maintenance, machine.type);
    if (failureReasons.length === 0) {
      unlabelled.add(machine.type);
      continue;
    }
    // the detector's own settings: its product variant and window are what it scores with live
    const spec = machine.detectors.find((d) => d.kind === 'maintenance');
    const samples = failureWindowSamples(await machineHistory(db, machine), {
      ...options,
      windowMs: (spec?.windowS ?? DEFAULT_WINDOW_S) * 1000,
      productType: spec?.productType ?? 'M',
      metricUnits,
      failureReasons,
    });
    for (const s of samples)
      rows.push({
        ts: s.ts,
        factory: machine.factory,
        line: machine.line,
        machine: machine.machine,
        machineType: machine.type,
        horizonMs: options.horizonMs,
        everyMs: options.everyMs,
        observation: s.observation,
        failsWithinHorizon: s.failsWithinHorizon,
        nextFailure: s.nextFailure,
      });
  }
  return { rows, unlabelledTypes: [...unlabelled] };
};
