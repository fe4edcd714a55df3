// `factory replay <recording>` (docs/command-line.md): a recording through the local pipeline, directly
// or through the local broker over mutual TLS, into a SQLite store; then the per-machine table, or
// with --json the replay summary (docs/replay-summary.md) alone on stdout.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { loadSiteConfigFile } from '../siteConfigFile.ts';
import { SAMPLE_SITE_PATH } from '../simulator/sampleRecording.ts';
import { ReplayConfigurationError, runReplay } from '../replay/runReplay.ts';
import { DEFAULT_DASHBOARD_PORT } from './dashboard.ts';
import { modelForSite } from '../maintenance/modelFile.ts';
import { summaryTable } from '../replay/summaryTable.ts';
import type { Speed } from '../replay/replayRecording.ts';
import { openFactoryDb } from '../store/schema.ts';
import type { MaintenanceModel } from '../../domain/maintenance/maintenanceModel.ts';
import { isSampleRecording, readFailure, recordingProblem } from './recordingArgument.ts';
import { refuse } from './argumentProblem.ts';
import { writableStoreProblem } from './storeArgument.ts';

type ReplayOptions = {
  readonly config?: string;
  readonly via: 'direct' | 'broker' | 'lambda';
  readonly batchSize?: number;
  readonly speed: Speed;
  readonly db?: string;
  readonly json?: boolean;
  readonly model?: string;
  readonly dashboard?: number | true;
};

const parseSpeed = (text: string): Speed => {
  if (text === 'max') return 'max';
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('expected "max" or a number > 0 (1 = real time, 10 = ten times faster)');
  return n;
};

const parsePort = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('expected a port number 0-65535 (0 picks a free one)');
  return n;
};

const parseVia = (text: string): 'direct' | 'broker' | 'lambda' => {
  if (text === 'direct' || text === 'broker' || text === 'lambda') return text;
  throw new InvalidArgumentError('expected "direct", "broker" or "lambda"');
};

const parseBatchSize = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new InvalidArgumentError(
      "expected a whole number from 1 to 10000 (a Kinesis event source mapping's BatchSize)",
    );
  return n;
};

export const loadSite = async (path: string | undefined, command: string): Promise<SiteConfig | undefined> => {
  const site = await loadSiteConfigFile(path ?? SAMPLE_SITE_PATH);
  if (E.isLeft(site)) {
    process.stderr.write(
      `${command}: --config is not a valid site configuration:\n${site.left.map((p) => `  ${p}`).join('\n')}\n`,
    );
    process.exitCode = 2;
    return undefined;
  }
  return site.right;
};

const isAddressInUse = (error: unknown): boolean => (error as { code?: string } | null)?.code === 'EADDRINUSE';

/**
 * The dashboard of the store being replayed into. `--dashboard` alone: port 8080, or a free one when
 * that is taken (the URL says which); `--dashboard <port>`: that port or nothing, as `factory dashboard --port`.
 */
const startReplayDashboard = async (
  db: string,
  port: number | true,
  maintenanceModel: MaintenanceModel | undefined,
) => {
  const { startDashboard } = await import('../dashboard/dashboardServer.ts');
  openFactoryDb(db).close();
  const options = { db, ...(maintenanceModel === undefined ? {} : { maintenanceModel }) };
  try {
    const dashboard = await startDashboard({ ...options, port: port === true ? DEFAULT_DASHBOARD_PORT : port }).catch(
      (error: unknown) =>
        port === true && isAddressInUse(error) ? startDashboard({ ...options, port: 0 }) : Promise.reject(error),
    );
    process.stderr.write(`factory replay: dashboard at ${dashboard.url} (live while the replay runs)\n`);
    return dashboard;
  } catch (error) {
    refuse('factory replay', {
      message: `--dashboard: cannot listen on 127.0.0.1:${port === true ? DEFAULT_DASHBOARD_PORT : port} (${error instanceof Error ? error.message : String(error)}); choose another port`,
      exitCode: 1,
    });
    return undefined;
  }
};

const SAMPLE_ONLY =
  'without --config only a recording of the bundled sample plant can be replayed (against the sample site)';

export const registerReplay = (program: Command): void => {
  program
    .command('replay')
    .description(
      'replay a recording (JSON Lines, gzip read directly) through the local pipeline and print OEE, downtime and alerts per machine',
    )
    .argument('<recording>', 'the recording: one {"t","topic","payload"|"payloadB64"} object per line')
    .option(
      '--config <file>',
      'site configuration, JSON or YAML (docs/site-configuration.md); may be left out only for a recording of the bundled sample plant',
    )
    .option(
      '--via <path>',
      'direct (in process), broker (published to the local broker over mutual TLS) or lambda (Kinesis records through the process function, as its event source mapping calls it)',
      parseVia,
      'direct',
    )
    .option(
      '--batch-size <n>',
      "with --via lambda: records per invocation (the stack's processBatchSize)",
      parseBatchSize,
      1000,
    )
    .option('--speed <speed>', 'max, or a factor of real time (1, 10, …)', parseSpeed, 'max' as Speed)
    .option(
      '--db <file>',
      'SQLite store to replay into; a replay into the same store resumes, and a second one changes nothing (default: a temporary store)',
    )
    .option('--json', 'print the replay summary (docs/replay-summary.md) alone on stdout')
    .option(
      '--dashboard [port]',
      'serve the live dashboard of the store while the replay runs, and after it until Ctrl-C (URL on stderr; default port 8080)',
      parsePort,
    )
    .option(
      '--model <model.json>',
      'failure model for maintenance detectors, from `factory maintenance train` (default: the bundled model trained on AI4I 2020)',
    )
    .action(async (recording: string, options: ReplayOptions) => {
      const problem = await recordingProblem(recording);
      if (problem !== undefined) return refuse('factory replay', problem);
      if (options.config === undefined && !(await isSampleRecording(recording))) {
        return refuse('factory replay', {
          message: `${recording}: ${SAMPLE_ONLY}; pass --config <site.json|site.yaml> naming your factories, lines and machines (docs/site-configuration.md; localstack/sample/site.json is an example)`,
          exitCode: 2,
        });
      }
      const storeProblem = options.db === undefined ? undefined : writableStoreProblem(options.db);
      if (storeProblem !== undefined) return refuse('factory replay', storeProblem);
      const site = await loadSite(options.config, 'factory replay');
      if (site === undefined) return;
      const model = modelForSite(site, options.model);
      if (E.isLeft(model)) {
        process.stderr.write(`factory replay: --model ${model.left}\n`);
        process.exitCode = 2;
        return;
      }
      // The dashboard reads the store from its own connection, so it needs a file that outlives the replay.
      const db =
        options.dashboard === undefined
          ? options.db
          : (options.db ?? join(mkdtempSync(join(tmpdir(), 'factory-replay-')), 'replay.db'));
      const dashboard =
        options.dashboard === undefined ? undefined : await startReplayDashboard(db!, options.dashboard, model.right);
      if (options.dashboard !== undefined && dashboard === undefined) return;
      let summary;
      try {
        summary = await runReplay({
          recording,
          site,
          via: options.via,
          batchSize: options.batchSize,
          speed: options.speed,
          db,
          progress: process.stderr.isTTY === true,
          ...(model.right === undefined ? {} : { maintenanceModel: model.right }),
        });
      } catch (error) {
        await dashboard?.close();
        if (error instanceof ReplayConfigurationError)
          return refuse('factory replay', { message: error.message, exitCode: 2 });
        if ((error as NodeJS.ErrnoException | null)?.code?.startsWith('Z_') === true)
          return refuse('factory replay', readFailure(recording, error));
        throw error;
      }
      process.stdout.write(options.json === true ? `${JSON.stringify(summary)}\n` : `${summaryTable(summary)}\n`);
      if (dashboard !== undefined) {
        dashboard.notify();
        process.stderr.write(`factory replay: dashboard at ${dashboard.url} (Ctrl-C to stop)\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await dashboard.close();
      }
    });
};
