// What a commit sends out of the platform besides its decisions: the alerts it raised or cleared, the
// OEE it moved (SiteWise measurements and the OEE table), the machine's heartbeat timer — each with a
// deterministic id, so a redelivered commit sends nothing new.
import type { AlertEvent } from '../../domain/detectors/detector.ts';
import type { Observation } from '../../domain/machine/observation.ts';
import { idealTimeS, oeeForWindow } from '../../domain/oee/oeeForWindow.ts';
import type { WindowTotals } from '../../domain/oee/windowTotals.ts';
import type { MachineEntry } from '../../domain/site/siteRegistry.ts';
import type { Alert } from '../ports/alertPublisher.ts';
import type { AssetPropertyValue } from '../ports/assetPropertyWriter.ts';
import type { TelemetryRecord } from '../ports/telemetrySink.ts';
import type { Timer } from '../ports/timerScheduler.ts';

export const streamIdOf = (m: MachineEntry): string => `${m.factory}/${m.line}/${m.machine}`;

export const telemetryRecordOf = (
  m: MachineEntry,
  observation: Extract<Observation, { kind: 'telemetry' }>,
): TelemetryRecord => ({
  factoryId: m.factory,
  lineId: m.line,
  machineId: m.machine,
  messageId: observation.messageId,
  ts: observation.ts,
  measures: observation.metrics,
});

/** The same id wherever the alert is decided (cloud or replay), so every path dedups alike. */
export const alertOf = (m: MachineEntry, event: AlertEvent): Alert => {
  const status = event.type === 'DetectorRaised' ? 'RAISED' : 'CLEARED';
  return {
    alertId: `${streamIdOf(m)}|${event.detector}|${status}|${event.ts}`,
    factoryId: m.factory,
    lineId: m.line,
    machineId: m.machine,
    detector: event.detector,
    status,
    at: event.ts,
    message: event.cause,
    ...(event.origin === undefined ? {} : { origin: event.origin }),
  };
};

/** The ideal time of a window's parts, each weighed by its product's ideal cycle time (the machine's outside jobs). */
const idealSeconds = (m: MachineEntry, w: WindowTotals): { readonly totalS: number; readonly goodS: number } =>
  idealTimeS(w, m.idealCycleTimeS, m.productCycleTimesS) ?? {
    totalS: m.idealCycleTimeS * w.total,
    goodS: m.idealCycleTimeS * Math.max(0, w.total - w.reject),
  };

/**
 * SiteWise holds interval measurements (infra/oeeFormulas.ts: planned_time_s, run_time_s,
 * total_count, reject_count, ideal_time_s, ideal_good_time_s) that its metrics sum per hour, so each
 * commit writes what it added to the whole-range window, not the running total (a running total
 * summed per hour would be wrong).
 */
export const siteWiseValuesOf = (
  m: MachineEntry,
  a: WindowTotals,
  b: WindowTotals,
  ts: number,
): AssetPropertyValue[] => {
  const idealBefore = idealSeconds(m, a);
  const idealAfter = idealSeconds(m, b);
  const deltas: Record<string, number> = {
    planned_time_s: (b.runMs + b.downMs - a.runMs - a.downMs) / 1000,
    run_time_s: (b.runMs - a.runMs) / 1000,
    total_count: b.total - a.total,
    reject_count: b.reject - a.reject,
    ideal_time_s: idealAfter.totalS - idealBefore.totalS,
    ideal_good_time_s: idealAfter.goodS - idealBefore.goodS,
  };
  if (Object.values(deltas).every((d) => d === 0)) return [];
  return Object.entries(deltas).map(([property, value]) => ({
    propertyAlias: `/${m.factory}/${m.line}/${m.machine}/${property}`,
    value,
    ts,
    quality: 'GOOD' as const,
  }));
};

/** The whole-range OEE so far, as one record of the OEE table (ratios only where defined); `position` makes its id. */
export const oeeRecordOf = (m: MachineEntry, totals: WindowTotals, ts: number, position: number): TelemetryRecord => {
  const r = oeeForWindow(totals, m.idealCycleTimeS, m.productCycleTimesS);
  const ratios = Object.fromEntries(
    (['availability', 'performance', 'quality', 'oee'] as const).flatMap((k) => (r[k] === null ? [] : [[k, r[k]]])),
  );
  return {
    factoryId: m.factory,
    lineId: m.line,
    machineId: m.machine,
    messageId: `oee-${position}`,
    ts,
    measures: {
      planned_s: r.plannedS,
      run_s: r.runS,
      down_s: r.downS,
      data_gap_s: r.dataGapS,
      total_count: r.total,
      good_count: r.good,
      ...ratios,
    },
  };
};

export const HEARTBEAT_TIMER = 'heartbeat';

export const heartbeatTimerOf = (m: MachineEntry, fireAt: number, lastHeardTs: number): Timer => ({
  machineKey: streamIdOf(m),
  kind: HEARTBEAT_TIMER,
  fireAt,
  payload: { machineKey: streamIdOf(m), kind: HEARTBEAT_TIMER, lastHeardTs, fireAt },
});
