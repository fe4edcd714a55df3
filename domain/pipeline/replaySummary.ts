// The replay summary, version 1 (DESIGN §7): a public interface that scripts read, so its shape is
// kept exactly — machines sorted by factory, line, machine; null for a ratio with a zero denominator.
// Extensions are additive only (alerts carry factoryId, lineId and cause besides the documented keys).
import type { AlertRecord } from '../alerts/alertProjection.ts';
import { oeeForWindow } from '../oee/oeeForWindow.ts';
import { emptyTotals, type WindowTotals } from '../oee/windowTotals.ts';
import type { MachineEntry } from '../site/siteRegistry.ts';

export type MessageCounts = { readonly received: number; readonly accepted: number; readonly rejected: number; readonly duplicates: number };
export type Rejection = { readonly line: number; readonly topic: string; readonly reason: string };

export type MachineSummary = {
  readonly factoryId: string; readonly lineId: string; readonly machineId: string;
  readonly plannedS: number; readonly runS: number; readonly downS: number; readonly dataGapS: number;
  readonly total: number; readonly good: number;
  readonly availability: number | null; readonly performance: number | null; readonly quality: number | null; readonly oee: number | null;
  readonly downtimeByReason: Readonly<Record<string, number>>;
};

export type AlertSummary = {
  readonly machineId: string; readonly detector: string; readonly raisedAt: string; readonly clearedAt: string | null;
  readonly factoryId: string; readonly lineId: string; readonly cause: string;
  /** Present, `"edge"`, only for an alert the gateway raised (a compatible addition). */
  readonly origin?: 'edge';
};

export type ReplaySummary = {
  readonly version: 1;
  readonly messages: MessageCounts;
  readonly machines: readonly MachineSummary[];
  readonly alerts: readonly AlertSummary[];
  readonly rejections: readonly Rejection[];
};

export type MachineOutcome = { readonly machine: MachineEntry; readonly totals: WindowTotals | undefined; readonly alerts: readonly AlertRecord[] };

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byMachine = (a: { factoryId: string; lineId: string; machineId: string }, b: typeof a): number =>
  compareCodeUnits(a.factoryId, b.factoryId) || compareCodeUnits(a.lineId, b.lineId) || compareCodeUnits(a.machineId, b.machineId);

export const machineSummary = (outcome: MachineOutcome): MachineSummary => {
  const r = oeeForWindow(outcome.totals ?? emptyTotals, outcome.machine.idealCycleTimeS);
  return {
    factoryId: outcome.machine.factory, lineId: outcome.machine.line, machineId: outcome.machine.machine,
    plannedS: r.plannedS, runS: r.runS, downS: r.downS, dataGapS: r.dataGapS, total: r.total, good: r.good,
    availability: r.availability, performance: r.performance, quality: r.quality, oee: r.oee,
    downtimeByReason: r.downtimeByReason,
  };
};

export const replaySummary = (messages: MessageCounts, outcomes: readonly MachineOutcome[], rejections: readonly Rejection[]): ReplaySummary => {
  const machines = outcomes.map(machineSummary);
  const alerts = outcomes.flatMap((o) => o.alerts.map((a): AlertSummary => ({
    machineId: o.machine.machine, detector: a.detector, raisedAt: new Date(a.raisedAt).toISOString(),
    clearedAt: a.clearedAt === null ? null : new Date(a.clearedAt).toISOString(),
    factoryId: o.machine.factory, lineId: o.machine.line, cause: a.cause,
    ...(a.origin === undefined ? {} : { origin: a.origin }),
  })));
  return {
    version: 1,
    messages,
    machines: [...machines].sort(byMachine),
    alerts: [...alerts].sort((a, b) => compareCodeUnits(a.raisedAt, b.raisedAt) || byMachine(a, b) || compareCodeUnits(a.detector, b.detector)),
    rejections: [...rejections].sort((a, b) => a.line - b.line),
  };
};
