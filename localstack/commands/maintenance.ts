// `factory maintenance train|eval --data <csv>` (docs/command-line.md): trains the predictive-maintenance model
// from a labelled history, or cross-validates it and reports recall, precision, F1 and PR-AUC.
import { readFile, writeFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { crossValidate, DEFAULT_CROSS_VALIDATION } from '../../domain/maintenance/crossValidation.ts';
import {
  TARGETS,
  trainMaintenanceModel,
  type LabeledObservation,
  type TrainingOptions,
} from '../../domain/maintenance/maintenanceModel.ts';
import { evaluationTable } from '../maintenance/evaluationTable.ts';
import { readHistoryFile } from '../maintenance/historyFile.ts';
import { inputFileProblem } from './argumentProblem.ts';
import {
  DEFAULT_SPLIT,
  evaluateTimeSplit,
  labelledObservations,
  timeSplit,
  trainingByMachine,
  type FailureTableRow,
} from '../../domain/maintenance/timeSplitEvaluation.ts';
import { isFailureTableHeader, readFailureTable } from '../maintenance/failureTableCsv.ts';
import { timeSplitTable } from '../maintenance/timeSplitTable.ts';
import { registerMaintenanceExport } from './maintenanceExport.ts';

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

type History =
  | { readonly kind: 'ai4i'; readonly rows: LabeledObservation[] }
  | { readonly kind: 'failureWindows'; readonly rows: FailureTableRow[] };

type MaintenanceCliOptions = {
  readonly data: string;
  readonly out: string;
  readonly json?: boolean;
  readonly split?: 'time' | 'folds';
  readonly testFrom?: string;
};

/** A table from `factory maintenance export` (failure windows, with times) or a history in the AI4I layout. */
const loadHistory = async (options: MaintenanceCliOptions): Promise<History | undefined> => {
  const path = options.data;
  const missing = inputFileProblem(
    '--data',
    path,
    'a table from `factory maintenance export`, or a labelled history in the AI4I 2020 layout',
  );
  if (missing !== undefined) return void fail(missing.message, missing.exitCode);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return void fail(`--data ${path}: cannot be read (${error instanceof Error ? error.message : String(error)})`, 1);
  }
  if (isFailureTableHeader(text)) {
    if (options.split === 'folds')
      return void fail(
        `--split folds: ${path} is a time series (a table from factory maintenance export), where random folds put neighbouring minutes on both sides; use --split time`,
        2,
      );
    const rows = readFailureTable(text, path);
    if (E.isLeft(rows)) return void fail(rows.left, 2);
    return { kind: 'failureWindows', rows: rows.right };
  }
  if (options.split === 'time')
    return void fail(
      `--split time: ${path} is in the AI4I 2020 layout, whose rows carry no time; export a plant's history with \`factory maintenance export\`, or leave --split out`,
      2,
    );
  const rows = await readHistoryFile(path);
  if (E.isRight(rows)) return { kind: 'ai4i', rows: rows.right };
  fail(rows.left.message, rows.left.kind === 'unreadable' ? 1 : 2);
  return undefined;
};

const splitOf = (rows: readonly FailureTableRow[], options: MaintenanceCliOptions) => {
  const testFrom = options.testFrom === undefined ? undefined : Date.parse(options.testFrom);
  if (testFrom !== undefined && !Number.isFinite(testFrom)) {
    fail(`--test-from ${options.testFrom}: expected an ISO-8601 time, e.g. 2026-10-26T00:00:00Z`, 2);
    return undefined;
  }
  return timeSplit(rows, { ...DEFAULT_SPLIT, ...(testFrom === undefined ? {} : { testFrom }) });
};

const train = async (options: MaintenanceCliOptions): Promise<void> => {
  const history = await loadHistory(options);
  if (history === undefined) return;
  let rows: LabeledObservation[];
  let training: TrainingOptions | undefined;
  if (history.kind === 'ai4i') rows = history.rows;
  else {
    let tableRows: readonly FailureTableRow[] = history.rows;
    if (options.split === 'time') {
      const split = splitOf(history.rows, options);
      if (split === undefined) return;
      tableRows = split.train;
    }
    rows = labelledObservations(tableRows);
    training = trainingByMachine(tableRows);
  }
  let done = 0;
  const model = trainMaintenanceModel(rows, training, (target) =>
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

const evaluate = async (options: MaintenanceCliOptions): Promise<void> => {
  const history = await loadHistory(options);
  if (history === undefined) return;
  if (history.kind === 'failureWindows') {
    const split = splitOf(history.rows, options);
    if (split === undefined) return;
    let done = 0;
    const result = evaluateTimeSplit(split, undefined, (target) =>
      progress(`training ${target} (${++done}/${TARGETS.length})`),
    );
    progressDone();
    if (E.isLeft(result)) return fail(`--data ${options.data}: ${result.left}`, 2);
    process.stdout.write(
      options.json === true ? JSON.stringify(result.right.report) + '\n' : timeSplitTable(result.right.report),
    );
    return;
  }
  const rows = history.rows;
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

const parseSplit = (text: string): 'time' | 'folds' => {
  if (text === 'time' || text === 'folds') return text;
  throw new InvalidArgumentError(
    `${JSON.stringify(text)}: expected time (earlier weeks train, later weeks on held-out machines test) or folds (AI4I layout)`,
  );
};

export const registerMaintenance = (program: Command): void => {
  const maintenance = program
    .command('maintenance')
    .description("predictive maintenance: a plant's own history (export) or the AI4I 2020 table");
  const data = '--data <csv>';
  const dataHelp = 'a table from `factory maintenance export`, or a labelled history in the AI4I 2020 layout';
  const split = [
    '--split <kind>',
    'time (a table from export: earlier part trains, later part on held-out machines tests; its default) or folds (AI4I)',
    parseSplit,
  ] as const;
  const testFrom = [
    '--test-from <iso>',
    'with --split time: the test period starts here (default: the last quarter)',
  ] as const;
  maintenance
    .command('train')
    .description(
      'train the failure and failure-mode models and write them as JSON (the model the maintenance detector loads)',
    )
    .requiredOption(data, dataHelp)
    .requiredOption('--out <file>', 'where to write model.json')
    .option(...split)
    .option(...testFrom)
    .option('--json', 'print a JSON summary on stdout')
    .action(train);
  maintenance
    .command('eval')
    .description(
      'a table from export: train on the earlier part, test on the later part of held-out machines, beside a one-metric baseline; AI4I: 5-fold stratified cross-validation',
    )
    .requiredOption(data, dataHelp)
    .option(...split)
    .option(...testFrom)
    .option('--json', 'print only the JSON report on stdout')
    .action(evaluate);
  registerMaintenanceExport(maintenance);
};
