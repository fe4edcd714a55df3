// `factory report --db <store> --by shift|hour|day|product|order [--format table|csv|json]`: OEE, losses
// and counts per window (or per product and order the machines ran) from a store a replay filled — a supervisor's shift report. The numbers are the replay
// summary's own windows (what `factory replay --json` prints per machine), read back from the store.
import { InvalidArgumentError, type Command } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { reportRows, REPORT_BY, type ReportBy } from '../../domain/pipeline/windowReport.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import { modelForSite } from '../maintenance/modelFile.ts';
import { loadMachines, summarizeStore } from '../replay/storeReadModel.ts';
import { REPORT_FORMATS, reportCsv, reportJson, reportTable, type ReportFormat } from './reportFormats.ts';
import { refuse } from './argumentProblem.ts';
import { openFilledStore } from './storeArgument.ts';

const oneOf =
  <A extends string>(allowed: readonly A[]) =>
  (text: string): A => {
    if ((allowed as readonly string[]).includes(text)) return text as A;
    throw new InvalidArgumentError(`expected ${allowed.map((a) => `"${a}"`).join(', ')}`);
  };

type ReportOptions = { readonly db: string; readonly by: ReportBy; readonly format: ReportFormat };

export const registerReport = (program: Command): void => {
  program
    .command('report')
    .description("OEE, losses and counts per shift, hour or day for every machine of a store (a supervisor's report)")
    .requiredOption('--db <file>', 'the SQLite store a replay wrote (factory replay … --db <file>)')
    .requiredOption(
      '--by <window>',
      'shift, hour (factory-local, keyed by its start with offset), day (factory-local), or product or order (from job messages)',
      oneOf(REPORT_BY),
    )
    .option(
      '--format <format>',
      'table (to read), csv (for a spreadsheet) or json (for a script)',
      oneOf(REPORT_FORMATS),
      'table' as ReportFormat,
    )
    .action((options: ReportOptions) => {
      const store = openFilledStore(options.db);
      if (E.isLeft(store)) return refuse('factory report', store.left);
      const { db, site } = store.right;
      try {
        const model = modelForSite(site, undefined);
        const machines = loadMachines(
          db,
          site,
          E.isRight(model) && model.right !== undefined ? { maintenanceModel: model.right } : {},
        );
        const summary = summarizeStore(db, machines);
        const entries = new Map(
          siteRegistry(site)
            .machines()
            .map((e) => [`${e.factory}/${e.line}/${e.machine}`, e]),
        );
        const rows = reportRows(summary.machines, options.by, (m) =>
          entries.get(`${m.factoryId}/${m.lineId}/${m.machineId}`)!,
        );
        const text =
          options.format === 'json'
            ? reportJson(rows, options.by)
            : options.format === 'csv'
              ? reportCsv(rows)
              : reportTable(rows, options.by);
        process.stdout.write(`${text}\n`);
      } finally {
        db.close();
      }
    });
};
