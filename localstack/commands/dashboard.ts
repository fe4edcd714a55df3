// `factory dashboard --db <f> [--port <n>]` (docs/command-line.md): serves the live dashboard of a store. The
// first stdout line is its URL. Default port 8080 (a bookmarkable address); when that one is taken
// and no --port was given, a free port is picked and the URL says which.
import { InvalidArgumentError, type Command } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { startDashboard, type Dashboard } from '../dashboard/dashboardServer.ts';
import { refuse } from './argumentProblem.ts';
import { openFilledStore } from './storeArgument.ts';

export const DEFAULT_DASHBOARD_PORT = 8080;

const parsePort = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('expected a port number 0–65535 (0 picks a free one)');
  return n;
};

const isAddressInUse = (error: unknown): boolean => (error as { code?: string } | null)?.code === 'EADDRINUSE';

export const registerDashboard = (program: Command): void => {
  program
    .command('dashboard')
    .description(
      'serve the live dashboard of a store: OEE per plant, line and machine, state timelines, loss Pareto, alerts, trends',
    )
    .requiredOption('--db <file>', 'the SQLite store a replay wrote (factory replay … --db <file>)')
    .option(
      '--port <n>',
      `TCP port on 127.0.0.1 (default ${DEFAULT_DASHBOARD_PORT}, or a free one when that is taken; 0 picks a free one)`,
      parsePort,
    )
    .option(
      '--unclassified-min <minutes>',
      'list stops without a reason of at least this many minutes of downtime, to classify them (default 5)',
      (text: string): number => {
        const n = Number(text);
        if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of minutes ≥ 0');
        return n;
      },
    )
    .action(async (options: { readonly db: string; readonly port?: number; readonly unclassifiedMin?: number }) => {
      const store = openFilledStore(options.db);
      if (E.isLeft(store)) return refuse('factory dashboard', store.left);
      store.right.db.close();
      let dashboard: Dashboard;
      try {
        dashboard = await startDashboard({
          db: options.db,
          port: options.port ?? DEFAULT_DASHBOARD_PORT,
          ...(options.unclassifiedMin === undefined ? {} : { unclassifiedStopMinutes: options.unclassifiedMin }),
        });
      } catch (error) {
        if (options.port !== undefined || !isAddressInUse(error)) {
          process.stderr.write(
            `factory dashboard: cannot listen on 127.0.0.1:${options.port ?? DEFAULT_DASHBOARD_PORT} (${error instanceof Error ? error.message : String(error)}); choose another --port\n`,
          );
          process.exitCode = 1;
          return;
        }
        dashboard = await startDashboard({
          db: options.db,
          port: 0,
          ...(options.unclassifiedMin === undefined ? {} : { unclassifiedStopMinutes: options.unclassifiedMin }),
        });
      }
      process.stdout.write(`${dashboard.url}\n`);
      const stop = (): void => {
        void dashboard.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
};
