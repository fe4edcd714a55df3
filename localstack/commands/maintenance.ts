// `factory maintenance train|eval --data <csv>` (docs/command-line.md): trains the predictive-maintenance model
// from a labelled history, or cross-validates it and reports recall, precision, F1 and PR-AUC.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { crossValidate, DEFAULT_CROSS_VALIDATION } from '../../domain/maintenance/crossValidation.ts';
import { TARGETS, trainMaintenanceModel, type LabeledObservation } from '../../domain/maintenance/maintenanceModel.ts';
import { evaluationTable } from '../maintenance/evaluationTable.ts';
import { readHistoryFile } from '../maintenance/historyFile.ts';
import { inputFileProblem } from './argumentProblem.ts';

// progress is for a person watching; piped or captured output stays clean
const progress = (text: string): void => {
  if (process.stderr.isTTY) process.stderr.write(`\r${text}\x1b[K`);
};
const progressDone = (): void => {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
};

const fail = (message: string, exitCode: 1 | 2): void => {
  process.stderr.write(`factory maintenance: ${message}\n`);
  process.exitCode = exitCode;
};

const loadHistory = async (path: string): Promise<LabeledObservation[] | undefined> => {
  const missing = inputFileProblem('--data', path, 'a labelled history, CSV in the AI4I 2020 layout');
  if (missing !== undefined) return void fail(missing.message, missing.exitCode);
  const rows = await readHistoryFile(path);
  if (E.isRight(rows)) return rows.right;
  fail(rows.left.message, rows.left.kind === 'unreadable' ? 1 : 2);
  return undefined;
};

const train = async (options: { data: string; out: string; json?: boolean }): Promise<void> => {
  const rows = await loadHistory(options.data);
  if (rows === undefined) return;
  let done = 0;
  const model = trainMaintenanceModel(rows, undefined, (target) =>
    progress(`training ${target} (${++done}/${TARGETS.length})`),
  );
  progressDone();
  if (E.isLeft(model)) return fail(model.left, 2);
  try {
    await writeFile(options.out, JSON.stringify(model.right) + '\n');
  } catch (error) {
    return fail(
      `--out ${options.out}: cannot write the model (${error instanceof Error ? error.message : String(error)}); check the directory exists and is writable`,
      1,
    );
  }
  const summary = {
    out: options.out,
    trainingRows: model.right.trainingRows,
    targets: Object.fromEntries(
      TARGETS.map((t) => [
        t,
        { threshold: model.right.targets[t].threshold, trainingPositives: model.right.targets[t].trainingPositives },
      ]),
    ),
  };
  process.stdout.write(
    options.json === true
      ? JSON.stringify(summary) + '\n'
      : `wrote ${options.out}: ${TARGETS.length} models from ${rows.length} rows (${model.right.targets.failure.trainingPositives} failures)\n`,
  );
};

const evaluate = async (options: { data: string; json?: boolean }): Promise<void> => {
  const rows = await loadHistory(options.data);
  if (rows === undefined) return;
  const positives = rows.filter((r) => r.labels.failure).length;
  if (positives < DEFAULT_CROSS_VALIDATION.folds) {
    return fail(
      `--data ${options.data}: ${positives} rows with "Machine failure" = 1; expected at least ${DEFAULT_CROSS_VALIDATION.folds}, one per cross-validation fold — supply a longer history`,
      2,
    );
  }
  const report = crossValidate(rows, DEFAULT_CROSS_VALIDATION, (fold, of) =>
    progress(`cross-validating: fold ${fold}/${of} done`),
  );
  progressDone();
  process.stdout.write(options.json === true ? JSON.stringify(report) + '\n' : evaluationTable(report));
};

export const registerMaintenance = (program: Command): void => {
  const maintenance = program
    .command('maintenance')
    .description('predictive maintenance on a labelled history (AI4I 2020 CSV layout)');
  maintenance
    .command('train')
    .description('train the failure and failure-mode models and write them as JSON')
    .requiredOption('--data <csv>', 'labelled history in the AI4I 2020 layout')
    .requiredOption('--out <file>', 'where to write model.json')
    .option('--json', 'print a JSON summary on stdout')
    .action(train);
  maintenance
    .command('eval')
    .description('5-fold stratified cross-validation: recall, precision, F1 and PR-AUC per target')
    .requiredOption('--data <csv>', 'labelled history in the AI4I 2020 layout')
    .option('--json', 'print only the JSON report on stdout')
    .action(evaluate);
};
