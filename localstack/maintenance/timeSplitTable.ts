// The time-split evaluation as a person reads it: model and baseline side by side, one metric a row.
import type { TimeSplitReport, WindowMetrics } from '../../domain/maintenance/timeSplitEvaluation.ts';

const ratio = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));
const minutes = (v: number | undefined): string => (v === undefined ? 'n/a' : `${Math.round(v)} min`);

const ROWS: readonly [string, (m: WindowMetrics) => string][] = [
  ['recall', (m) => ratio(m.recall)],
  ['precision', (m) => ratio(m.precision)],
  ['F1', (m) => ratio(m.f1)],
  ['failures caught', (m) => `${m.caught}/${m.failures}`],
  ['lead time, median', (m) => minutes(m.leadTimeMin?.median)],
  ['lead time, worst', (m) => minutes(m.leadTimeMin?.worst)],
  ['false alarms per machine-week', (m) => m.falseAlarmsPerMachineWeek.toFixed(2)],
];

export const timeSplitTable = (report: TimeSplitReport): string => {
  const rule = report.baseline.rule;
  const header = [
    '',
    'model',
    `baseline (${rule.feature} ${rule.direction === 'above' ? '≥' : '≤'} ${Number(rule.threshold.toPrecision(5))})`,
  ];
  const lines = [header, ...ROWS.map(([name, cell]) => [name, cell(report.model), cell(report.baseline)])];
  const widths = header.map((_, c) => Math.max(...lines.map((line) => (line[c] as string).length)));
  const body = lines.map((line) =>
    line.map((text, c) => (c === 0 ? text.padEnd(widths[c] as number) : text.padStart(widths[c] as number))).join('  '),
  );
  return (
    [
      `test: from ${report.testFrom} on ${report.testMachines.length} held-out machine(s) (${report.testMachines.join(', ')}): ${report.model.samples} samples, ${report.model.positives} within a failure's horizon`,
      `train: ${report.trainingSamples} samples before the test period on the other machines`,
      ...body,
      report.bothCaught === null
        ? 'no failure caught by both'
        : `on the ${report.bothCaught.failures} failure(s) both caught, median lead time: model ${minutes(report.bothCaught.modelMedianMin)}, baseline ${minutes(report.bothCaught.baselineMedianMin)}`,
    ].join('\n') + '\n'
  );
};
