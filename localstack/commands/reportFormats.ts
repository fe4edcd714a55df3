// `factory report` output: a table to read, CSV for a spreadsheet, JSON for a script. The same rows
// (domain/pipeline/windowReport.ts) in each; ratios as fractions in CSV and JSON, percentages in the table.
import type { ReportBy, ReportRow } from '../../domain/pipeline/windowReport.ts';
import { csvField } from '../maintenance/csvRecords.ts';
import { minutes, percent, table, topLoss } from '../replay/summaryTable.ts';

export type ReportFormat = 'table' | 'csv' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'csv', 'json'];

export const reportTable = (rows: readonly ReportRow[], by: ReportBy): string => {
  if (rows.length === 0) return `no ${by} windows in this store`;
  const body = table(
    [
      by,
      'start (UTC)',
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
      'in gap',
      'top loss',
    ],
    rows.map((r) => [
      r.key,
      (r.start ?? '').slice(0, 16).replace('T', ' '),
      r.factoryId,
      r.lineId,
      r.machineId,
      percent(r.availability),
      percent(r.performance),
      percent(r.quality),
      percent(r.oee),
      minutes(r.plannedS),
      minutes(r.downS),
      minutes(r.dataGapS),
      `${r.good}/${r.total}`,
      String(r.countsInGap.total),
      topLoss(r.downtimeByReason),
    ]),
    new Set([5, 6, 7, 8, 9, 10, 11, 12, 13]),
  );
  const warnings = rows.flatMap((r) =>
    r.warnings.map((w) => `  ${r.factoryId}/${r.lineId}/${r.machineId} ${r.key}: ${w}`),
  );
  return warnings.length === 0 ? body : [body, '', `warnings: ${warnings.length}`, ...warnings].join('\n');
};

const CSV_COLUMNS = [
  'factoryId',
  'lineId',
  'machineId',
  'window',
  'start',
  'end',
  'plannedS',
  'runS',
  'downS',
  'dataGapS',
  'total',
  'good',
  'availability',
  'performance',
  'quality',
  'oee',
  'countsInGapTotal',
  'countsInGapGood',
  'downtimeByReason',
  'warnings',
] as const;

export const reportCsv = (rows: readonly ReportRow[]): string =>
  [
    CSV_COLUMNS.join(','),
    ...rows.map((r) =>
      [
        r.factoryId,
        r.lineId,
        r.machineId,
        r.key,
        r.start,
        r.end,
        r.plannedS,
        r.runS,
        r.downS,
        r.dataGapS,
        r.total,
        r.good,
        r.availability,
        r.performance,
        r.quality,
        r.oee,
        r.countsInGap.total,
        r.countsInGap.good,
        Object.entries(r.downtimeByReason)
          .map(([reason, s]) => `${reason}=${s}`)
          .join(';'),
        r.warnings.join(' | '),
      ]
        .map(csvField)
        .join(','),
    ),
  ].join('\r\n');

export const reportJson = (rows: readonly ReportRow[], by: ReportBy): string =>
  JSON.stringify({ version: 1, by, windows: rows });
