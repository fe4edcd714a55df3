// What a decision sends out of the platform besides its events: the telemetry it accepted, the alerts
// it raised or cleared, the OEE it moved (SiteWise measurements and the OEE table) — all pure, from
// the machine and the events, so a redelivery that decides nothing new sends nothing.
import type { AlertEvent } from '../../domain/detectors/detector.ts';
import type { MachineEvent } from '../../domain/machine/events.ts';
import type { Observation } from '../../domain/machine/observation.ts';
import { oeeForWindow } from '../../domain/oee/oeeForWindow.ts';
import { oeeWindow, WHOLE_RANGE, type OeeProjectionState } from '../../domain/oee/oeeProjection.ts';
import { emptyTotals } from '../../domain/oee/windowTotals.ts';
import type { MachineEntry } from '../../domain/site/siteRegistry.ts';
import type { Alert } from '../ports/alertPublisher.ts';
import type { AssetPropertyValue } from '../ports/assetPropertyWriter.ts';
import type { TelemetryRecord } from '../ports/telemetrySink.ts';

export const streamIdOf = (m: MachineEntry): string => `${m.factory}/${m.line}/${m.machine}`;

export const telemetryRecordOf = (m: MachineEntry, observation: Extract<Observation, { kind: 'telemetry' }>): TelemetryRecord =>
  ({ factoryId: m.factory, lineId: m.line, machineId: m.machine, messageId: observation.messageId, ts: observation.ts, measures: observation.metrics });

const isAlertEvent = (event: MachineEvent): event is AlertEvent => event.type === 'DetectorRaised' || event.type === 'DetectorCleared';

/** The same id the local stack gives an alert (localstack/replay), so both sides dedup alike. */
export const alertsOf = (m: MachineEntry, events: readonly MachineEvent[]): Alert[] => events.filter(isAlertEvent).map((event) => {
  const status = event.type === 'DetectorRaised' ? 'RAISED' : 'CLEARED';
  return { alertId: `${streamIdOf(m)}|${event.detector}|${status}|${event.ts}`, factoryId: m.factory, lineId: m.line, machineId: m.machine,
    detector: event.detector, status, at: event.ts, message: event.cause };
});

/** The newest time a settled event of this decision reports: when its OEE changed. */
export const settledUntil = (events: readonly MachineEvent[]): number | undefined => {
  let newest: number | undefined;
  for (const e of events) {
    if (e.type === 'StateChanged' || e.type === 'StateConfirmed' || e.type === 'CountsAdvanced' || e.type === 'SampleRecorded' || e.type === 'HeartbeatMissed' || e.type === 'WindowClosed') {
      newest = newest === undefined ? e.ts : Math.max(newest, e.ts);
    }
  }
  return newest;
};

/**
 * SiteWise holds interval measurements (infra/oeeFormulas.ts: planned_time_s, run_time_s,
 * total_count, reject_count) that its metrics sum per hour, so each decision writes what it added to
 * the whole-range window, not the running total (a running total summed per hour would be wrong).
 */
export const siteWiseValuesOf = (m: MachineEntry, before: OeeProjectionState, after: OeeProjectionState, ts: number): AssetPropertyValue[] => {
  const a = oeeWindow(before, WHOLE_RANGE) ?? emptyTotals;
  const b = oeeWindow(after, WHOLE_RANGE) ?? emptyTotals;
  const deltas: Record<string, number> = {
    planned_time_s: (b.runMs + b.downMs - a.runMs - a.downMs) / 1000,
    run_time_s: (b.runMs - a.runMs) / 1000,
    total_count: b.total - a.total,
    reject_count: b.reject - a.reject,
  };
  if (Object.values(deltas).every((d) => d === 0)) return [];
  return Object.entries(deltas).map(([property, value]) => ({ propertyAlias: `/${m.factory}/${m.line}/${m.machine}/${property}`, value, ts, quality: 'GOOD' as const }));
};

/** The whole-range OEE so far, as one record of the OEE table (ratios only where defined). */
export const oeeRecordOf = (m: MachineEntry, oee: OeeProjectionState, ts: number, version: number): TelemetryRecord | undefined => {
  const totals = oeeWindow(oee, WHOLE_RANGE);
  if (totals === undefined) return undefined;
  const r = oeeForWindow(totals, m.idealCycleTimeS);
  const ratios = Object.fromEntries((['availability', 'performance', 'quality', 'oee'] as const).flatMap((k) => (r[k] === null ? [] : [[k, r[k]]])));
  return { factoryId: m.factory, lineId: m.line, machineId: m.machine, messageId: `oee-${version}`, ts,
    measures: { planned_s: r.plannedS, run_s: r.runS, down_s: r.downS, data_gap_s: r.dataGapS, total_count: r.total, good_count: r.good, ...ratios } };
};
