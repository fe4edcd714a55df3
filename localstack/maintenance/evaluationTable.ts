// The cross-validation report as a person reads it: one row per target, four metrics as columns.
import type { ClassificationMetrics } from '../../domain/maintenance/classificationMetrics.ts';
import { FAILURE_MODES } from '../../domain/maintenance/maintenanceModel.ts';
import type { EvaluationReport } from '../../domain/maintenance/crossValidation.ts';

const COLUMNS = [
  ['recall', 'recall'],
  ['precision', 'precision'],
  ['f1', 'F1'],
  ['prAuc', 'PR-AUC'],
] as const;

const cell = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(3));

export const evaluationTable = (report: EvaluationReport): string => {
  const rows: [string, ClassificationMetrics][] = [
    ['failure', report.failure],
    ...FAILURE_MODES.map((m): [string, ClassificationMetrics] => [m, report.modes[m]]),
  ];
  const header = ['', ...COLUMNS.map(([, title]) => title)];
  const lines = [header, ...rows.map(([name, metrics]) => [name, ...COLUMNS.map(([key]) => cell(metrics[key]))])];
  const widths = header.map((_, c) => Math.max(...lines.map((line) => (line[c] as string).length)));
  return (
    lines
      .map((line) =>
        line
          .map((text, c) => (c === 0 ? text.padEnd(widths[c] as number) : text.padStart(widths[c] as number)))
          .join('  '),
      )
      .join('\n') + '\n'
  );
};
