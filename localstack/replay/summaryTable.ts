// The replay summary as a person reads it: one row per machine, then the messages, alerts and
// rejections. The same numbers as `--json`, rounded for reading.
import type { ReplaySummary } from '../../domain/pipeline/replaySummary.ts';

export const percent = (ratio: number | null): string => (ratio === null ? '—' : `${(ratio * 100).toFixed(1)}%`);
export const minutes = (seconds: number): string => (seconds / 60).toFixed(1);

export const table = (
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: ReadonlySet<number>,
): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
};

export const topLoss = (downtimeByReason: Readonly<Record<string, number>>): string => {
  const [reason, seconds] = Object.entries(downtimeByReason).sort((a, b) => b[1] - a[1])[0] ?? [];
  return reason === undefined ? '' : `${reason} ${minutes(seconds!)} min`;
};

/** What a warning is about, so a shift or hour repeating its machine's warning is not listed twice. */
const warningKind = (text: string): string =>
  /^performance/.test(text)
    ? 'performance'
    : /data gaps/.test(text)
      ? 'gap'
      : /no run time/.test(text)
        ? 'no run time'
        : text;

/**
 * The replay's warnings as `machine [window]: warning`: each machine's own, then those of its shifts
 * and hours that its own do not already say (an hour at 154 % in a replay at 88 % is listed).
 */
export const warningLines = (summary: ReplaySummary): string[] =>
  summary.machines.flatMap((m) => {
    const name = `${m.factoryId}/${m.lineId}/${m.machineId}`;
    const said = new Set(m.warnings.map(warningKind));
    return [
      ...m.warnings.map((w) => `${name}: ${w}`),
      ...[...m.shifts, ...m.hours].flatMap((w) =>
        w.warnings.filter((text) => !said.has(warningKind(text))).map((text) => `${name} ${w.key}: ${text}`),
      ),
    ];
  });

const WARNINGS_SHOWN = 20;

export const summaryTable = (summary: ReplaySummary): string => {
  const alertsByMachine = new Map<string, number>();
  for (const alert of summary.alerts) {
    const key = `${alert.factoryId}/${alert.lineId}/${alert.machineId}`;
    alertsByMachine.set(key, (alertsByMachine.get(key) ?? 0) + 1);
  }
  const machines = table(
    [
      'factory',
      'line',
      'machine',
      'avail',
      'perf',
      'quality',
      'OEE',
      'planned min',
      'down min',
      'gap min',
      'good/total',
      'alerts',
      'top loss',
    ],
    summary.machines.map((m) => [
      m.factoryId,
      m.lineId,
      m.machineId,
      percent(m.availability),
      percent(m.performance),
      percent(m.quality),
      percent(m.oee),
      minutes(m.plannedS),
      minutes(m.downS),
      minutes(m.dataGapS),
      `${m.good}/${m.total}`,
      String(alertsByMachine.get(`${m.factoryId}/${m.lineId}/${m.machineId}`) ?? 0),
      topLoss(m.downtimeByReason),
    ]),
    new Set([3, 4, 5, 6, 7, 8, 9, 10, 11]),
  );
  const { received, accepted, rejected, duplicates } = summary.messages;
  const messages = `messages: ${received} received = ${accepted} accepted + ${rejected} rejected + ${duplicates} duplicates`;
  const alerts =
    summary.alerts.length === 0
      ? 'alerts: none'
      : [
          `alerts: ${summary.alerts.length}`,
          table(
            ['raised (UTC)', 'cleared (UTC)', 'machine', 'detector', 'cause'],
            summary.alerts.map((a) => [
              a.raisedAt.slice(0, 19).replace('T', ' '),
              a.clearedAt === null ? 'open' : a.clearedAt.slice(11, 19),
              `${a.factoryId}/${a.lineId}/${a.machineId}`,
              a.detector,
              a.cause,
            ]),
            new Set(),
          ),
        ].join('\n');
  const rejections =
    summary.rejections.length === 0
      ? 'rejections: none'
      : [
          `rejections: ${summary.rejections.length} (kept in the store's dead letters)`,
          // The file is named when the store holds rejections of more than one.
          ...summary.rejections
            .slice(0, 20)
            .map(
              (r) =>
                `  ${new Set(summary.rejections.map((x) => x.file)).size > 1 && r.file ? `${r.file} ` : ''}line ${r.line}: ${r.reason}`,
            ),
          ...(summary.rejections.length > 20 ? [`  … ${summary.rejections.length - 20} more: see --json`] : []),
        ].join('\n');
  const warnings = warningLines(summary);
  const warningBlock =
    warnings.length === 0
      ? []
      : [
          '',
          `warnings: ${warnings.length}`,
          ...warnings.slice(0, WARNINGS_SHOWN).map((w) => `  ${w}`),
          ...(warnings.length > WARNINGS_SHOWN
            ? [`  … ${warnings.length - WARNINGS_SHOWN} more: see --json (warnings per machine, shift and hour)`]
            : []),
        ];
  return [machines, ...warningBlock, '', messages, '', alerts, '', rejections].join('\n');
};
