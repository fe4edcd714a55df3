// `factory maintenance export --db <store> --horizon 2h --every 5m --out table.csv [--config <site>]`
// (docs/command-line.md, docs/predictive-maintenance.md): the training table of a plant's own history.
import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { loadSiteConfigFile } from '../siteConfigFile.ts';
import { failureTableText, sagemakerTrainingText } from '../maintenance/failureTableCsv.ts';
import { exportFailureTable } from '../maintenance/storeHistories.ts';
import { refuse } from './argumentProblem.ts';
import { openFilledStore } from './storeArgument.ts';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** "2h", "5m", "90s", "1d" → milliseconds (a whole number of seconds, > 0). */
export const parseDuration = (text: string): number => {
  const match = /^(\d+(?:\.\d+)?)(s|m|min|h|d)$/.exec(text.trim());
  const ms = match === null ? Number.NaN : Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  if (!Number.isFinite(ms) || ms <= 0 || ms % 1000 !== 0)
    throw new InvalidArgumentError(
      `${JSON.stringify(text)}: expected a duration such as 2h, 5m, 90s or 1d (whole seconds, > 0)`,
    );
  return ms;
};

type ExportCliOptions = {
  readonly db: string;
  readonly horizon: number;
  readonly every: number;
  readonly out: string;
  readonly config?: string;
  readonly format: 'table' | 'sagemaker';
};

const COMMAND = 'factory maintenance export';

const exportTable = async (options: ExportCliOptions): Promise<void> => {
  const store = openFilledStore(options.db);
  if (E.isLeft(store)) return refuse(COMMAND, store.left);
  const { db } = store.right;
  try {
    let site = store.right.site;
    if (options.config !== undefined) {
      const loaded = await loadSiteConfigFile(options.config);
      if (E.isLeft(loaded)) {
        for (const problem of loaded.left) process.stderr.write(`${COMMAND}: --config ${problem}\n`);
        process.exitCode = 2;
        return;
      }
      site = loaded.right;
    }
    if (Object.keys(site.maintenance?.failureReasons ?? {}).length === 0) {
      return refuse(COMMAND, {
        message: `the site of --db ${options.db} names no failure reasons, so nothing can be labelled; add maintenance.failureReasons (docs/site-configuration.md) and pass that site with --config`,
        exitCode: 2,
      });
    }
    const { rows, unlabelledTypes } = await exportFailureTable(db, site, {
      horizonMs: options.horizon,
      everyMs: options.every,
    });
    if (unlabelledTypes.length > 0)
      process.stderr.write(
        `${COMMAND}: machine types ${unlabelledTypes.join(', ')} have no maintenance.failureReasons; their machines are left out\n`,
      );
    try {
      await writeFile(
        options.out,
        options.format === 'sagemaker' ? sagemakerTrainingText(rows) : failureTableText(rows),
      );
    } catch (error) {
      return refuse(COMMAND, {
        message: `--out ${options.out}: cannot write the table (${error instanceof Error ? error.message : String(error)}); check the directory exists and is writable`,
        exitCode: 1,
      });
    }
    const positives = rows.filter((r) => r.failsWithinHorizon).length;
    const failures = new Set(rows.flatMap((r) => (r.nextFailure === null ? [] : [`${r.machine}@${r.nextFailure.ts}`])));
    process.stderr.write(
      `${COMMAND}: wrote ${rows.length} sample(s) to ${options.out}: ${positives} within the horizon of ${failures.size} failure(s)\n`,
    );
  } finally {
    db.close();
  }
};

export const registerMaintenanceExport = (maintenance: Command): void => {
  maintenance
    .command('export')
    .description(
      "a labelled training table (failure windows) from a store: the live scorer's features per machine and sample time",
    )
    .requiredOption('--db <store>', 'the SQLite store a replay wrote (factory replay … --db <file>)')
    .requiredOption(
      '--horizon <duration>',
      'label: a failure starts within this time after the sample (e.g. 2h)',
      parseDuration,
    )
    .requiredOption('--every <duration>', 'one sample per machine every (e.g. 5m)', parseDuration)
    .requiredOption('--out <csv>', 'where to write the table')
    .option(
      '--config <site>',
      "site configuration whose maintenance.failureReasons label the history (default: the store's)",
    )
    .option(
      '--format <format>',
      'table (default: context, features, label, with a header; what train and eval read) or sagemaker (label,<features>, no header: the SageMaker pipeline input)',
      (text: string) => {
        if (text === 'table' || text === 'sagemaker') return text;
        throw new InvalidArgumentError(`${JSON.stringify(text)}: expected table or sagemaker`);
      },
      'table',
    )
    .action(exportTable);
};
