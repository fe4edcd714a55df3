// The replay summary as a person reads it: one row per machine, then the messages, alerts and
// rejections. The same numbers as `--json`, rounded for reading.
import type { ReplaySummary } from '../../domain/pipeline/replaySummary.ts';

const percent = (ratio: number | null): string => (ratio === null ? '—' : `${(ratio * 100).toFixed(1)}%`);
const minutes = (seconds: number): string => (seconds / 60).toFixed(1);

const table = (header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
};

const topLoss = (downtimeByReason: Readonly<Record<string, number>>): string => {
  const [reason, seconds] = Object.entries(downtimeByReason).sort((a, b) => b[1] - a[1])[0] ?? [];
  return reason === undefined ? '' : `${reason} ${minutes(seconds!)} min`;
};

export const summaryTable = (summary: ReplaySummary): string => {
  const alertsByMachine = new Map<string, number>();
  for (const alert of summary.alerts) {
    const key = `${alert.factoryId}/${alert.lineId}/${alert.machineId}`;
    alertsByMachine.set(key, (alertsByMachine.get(key) ?? 0) + 1);
  }
  const machines = table(
    ['factory', 'line', 'machine', 'avail', 'perf', 'quality', 'OEE', 'planned min', 'down min', 'gap min', 'good/total', 'alerts', 'top loss'],
    summary.machines.map((m) => [
      m.factoryId, m.lineId, m.machineId, percent(m.availability), percent(m.performance), percent(m.quality), percent(m.oee),
      minutes(m.plannedS), minutes(m.downS), minutes(m.dataGapS), `${m.good}/${m.total}`,
      String(alertsByMachine.get(`${m.factoryId}/${m.lineId}/${m.machineId}`) ?? 0), topLoss(m.downtimeByReason),
    ]),
    new Set([3, 4, 5, 6, 7, 8, 9, 10, 11]),
  );
  const { received, accepted, rejected, duplicates } = summary.messages;
  const messages = `messages: ${received} received = ${accepted} accepted + ${rejected} rejected + ${duplicates} duplicates`;
  const alerts = summary.alerts.length === 0 ? 'alerts: none' : [
    `alerts: ${summary.alerts.length}`,
    table(['raised', 'cleared', 'machine', 'detector', 'cause'],
      summary.alerts.map((a) => [a.raisedAt.slice(0, 19).replace('T', ' '), a.clearedAt === null ? 'open' : a.clearedAt.slice(11, 19),
        `${a.factoryId}/${a.lineId}/${a.machineId}`, a.detector, a.cause]), new Set()),
  ].join('\n');
  const rejections = summary.rejections.length === 0 ? 'rejections: none' : [
    `rejections: ${summary.rejections.length} (kept in the store's dead letters)`,
    ...summary.rejections.slice(0, 20).map((r) => `  line ${r.line}: ${r.reason}`),
    ...(summary.rejections.length > 20 ? [`  … ${summary.rejections.length - 20} more: see --json`] : []),
  ].join('\n');
  return [machines, '', messages, '', alerts, '', rejections].join('\n');
};
