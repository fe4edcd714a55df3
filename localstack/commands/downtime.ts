// `factory downtime classify --db <store> --machine f/l/m --at <ts> --reason <code> [--by <name>]`
// (docs/command-line.md): gives a stop its reason after the fact. The decision is appended to the
// machine's stream through the event store port (handlers/classify/classifyStop.ts, the same path as
// the dashboard's form and the cloud's classify API); the summary, `factory report` and the
// dashboard count the stop under its reason from then on.
import { InvalidArgumentError, type Command } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { isId, timestampMs } from '../../domain/wire/primitives.ts';
import { classifyStop } from '../../handlers/classify/classifyStop.ts';
import { sqliteEventStore } from '../store/sqliteEventStore.ts';
import { refuse } from './argumentProblem.ts';
import { openFilledStore } from './storeArgument.ts';

const COMMAND = 'factory downtime classify';

const parseAt = (text: string): number => {
  const ms = timestampMs(/^\d+$/.test(text) ? Number(text) : text);
  if (ms === undefined)
    throw new InvalidArgumentError(
      'expected an ISO-8601 time with its zone (2026-11-24T07:15:00Z, 2026-11-24T08:15+01:00) or epoch milliseconds',
    );
  return ms;
};

const parseMachine = (text: string): string => {
  const ids = text.split('/');
  if (ids.length !== 3 || !ids.every(isId))
    throw new InvalidArgumentError('expected factory/line/machine, e.g. leipzig/body/press-01');
  return text;
};

type ClassifyOptions = {
  readonly db: string;
  readonly machine: string;
  readonly at: number;
  readonly reason: string;
  readonly by?: string;
};

export const registerDowntime = (program: Command): void => {
  const downtime = program.command('downtime').description('work with the stops of a store');
  downtime
    .command('classify')
    .description(
      "give a stop its reason after the fact: the stop of --machine that --at falls in counts under --reason (a code of the site's reason catalog) in the loss Pareto, every window and factory report",
    )
    .requiredOption('--db <file>', 'the SQLite store a replay wrote (factory replay … --db <file>)')
    .requiredOption('--machine <factory/line/machine>', 'the machine that stopped', parseMachine)
    .requiredOption('--at <time>', 'a time inside the stop, or its start (ISO-8601 with zone, or epoch ms)', parseAt)
    .requiredOption('--reason <code>', "a reason code of the site configuration's reason catalog")
    .option('--by <name>', 'who classified it (kept with the decision)')
    .action(async (options: ClassifyOptions) => {
      const store = openFilledStore(options.db);
      if (E.isLeft(store)) return refuse(COMMAND, store.left);
      const { db, site } = store.right;
      try {
        const classified = await classifyStop(sqliteEventStore<MachineEvent>(db), site, {
          machine: options.machine,
          at: options.at,
          reason: options.reason,
          by: options.by ?? null,
          classifiedAt: Date.now(),
        });
        if (E.isLeft(classified)) {
          const failure = classified.left;
          if (failure.kind === 'RetriesExhausted')
            return refuse(COMMAND, {
              message: `${options.machine}: other writers kept committing (${failure.attempts} attempts); try again`,
              exitCode: 1,
            });
          const message =
            failure.kind === 'unknownMachine'
              ? `--machine ${failure.message}`
              : `--${failure.field} ${failure.field === 'at' ? new Date(options.at).toISOString() : options.reason}: ${failure.message}`;
          return refuse(COMMAND, { message, exitCode: 2 });
        }
        const { decision } = classified.right;
        const category = site.reasons?.find((r) => r.code === decision.reason)?.category;
        process.stdout.write(
          `${options.machine}: the stop of ${new Date(decision.ts).toISOString()} counts as ${decision.reason} (${category})${
            decision.by === null ? '' : `, classified by ${decision.by}`
          }\n`,
        );
      } finally {
        db.close();
      }
    });
};
