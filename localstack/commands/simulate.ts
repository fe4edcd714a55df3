// `factory simulate [--config site.json] [--factories N] [--broker <url>] [--certs <dir>] [--speed N|max]
// [--duration <s>] [--seed <n>] [--start <iso>] [--out <recording>]` (docs/command-line.md): the synthetic plant,
// live. Each machine publishes as its own thing over mutual TLS; --out writes the same messages as a
// recording, so `--out x.jsonl.gz --speed max` (without --broker) generates a recording.
import { InvalidArgumentError, type Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import * as E from 'fp-ts/lib/Either.js';
import { loadSiteConfigFile } from '../siteConfigFile.ts';
import { SAMPLE_OPTIONS, SAMPLE_SITE_PATH } from '../simulator/sampleRecording.ts';
import {
  firstFactories,
  runLiveSimulation,
  simulationOptions,
  simulationPlan,
  type SimulationProgress,
  type Speed,
} from '../simulator/liveSimulation.ts';
import { parseBrokerUrl, parsePositiveSeconds } from './record.ts';
import { writeHistoryFiles } from '../simulator/historyFiles.ts';

/** Where a history starts unless --start says otherwise: a fixed Monday, so the same seed gives the same bytes. */
const HISTORY_START_MS = Date.UTC(2026, 9, 5);

const parseWholeNumber =
  (what: string, max: number) =>
  (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || n < 1 || n > max)
      throw new InvalidArgumentError(`${JSON.stringify(text)}: expected a whole number of ${what} from 1 to ${max}`);
    return n;
  };

/** `--days`/`--machines`: the maintenance history (docs/predictive-maintenance.md) instead of the live sample plant. */
const simulateHistory = async (options: SimulateCliOptions): Promise<void> => {
  const conflicting = (['config', 'factories', 'broker', 'speed'] as const).filter((o) => options[o] !== undefined);
  if (options.out === undefined || conflicting.length > 0) {
    process.stderr.write(
      options.out === undefined
        ? 'factory simulate: --days/--machines write a history as a recording; add --out <file.jsonl.gz>\n'
        : `factory simulate: --${conflicting[0]} does not apply to a history (--days/--machines), which writes its own site beside --out; leave it out\n`,
    );
    process.exitCode = 2;
    return;
  }
  const days = options.days ?? 30;
  const machines = options.machines ?? 20;
  try {
    const { sitePath, lines } = await writeHistoryFiles(options.out, {
      startMs: options.start ?? HISTORY_START_MS,
      days,
      machines,
      seed: options.seed,
    });
    process.stderr.write(
      `factory simulate: wrote ${lines} line(s) to ${options.out}: ${days} day(s) of ${machines} machine(s) (synthetic); its site: ${sitePath}\n`,
    );
  } catch (error) {
    process.stderr.write(`factory simulate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
};

type SimulateCliOptions = {
  readonly config?: string;
  readonly factories?: number;
  readonly broker?: string;
  readonly certs: string;
  readonly speed?: Speed;
  readonly duration: number;
  readonly seed: number;
  readonly start?: number;
  readonly out?: string;
  readonly days?: number;
  readonly machines?: number;
};

/** Where `factory broker` listens by default. */
export const DEFAULT_BROKER_URL = 'mqtts://127.0.0.1:8883';
const DEFAULT_DURATION_S = 3600;

const parseSpeed = (text: string): Speed => {
  if (text === 'max') return 'max';
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(
      `${JSON.stringify(text)}: expected "max" or a factor of real time > 0 (1 = real time, 60 = a plant minute a second)`,
    );
  return n;
};

const parseFactories = (text: string): number => {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1)
    throw new InvalidArgumentError(
      `${JSON.stringify(text)}: expected a whole number of factories ≥ 1 (the first N of the site)`,
    );
  return n;
};

const parseSeed = (text: string): number => {
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text)))
    throw new InvalidArgumentError(
      `${JSON.stringify(text)}: expected a whole number (the same seed gives the same plant)`,
    );
  return Number(text);
};

const parseStart = (text: string): number => {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) || !Number.isFinite(ms))
    throw new InvalidArgumentError(
      `${JSON.stringify(text)}: expected an ISO-8601 time with a zone, e.g. 2026-11-24T03:00:00Z`,
    );
  return ms;
};

class UsageError extends Error {}

const progressBar = (): { readonly update: (p: SimulationProgress) => void; readonly stop: () => void } => {
  const bar = new SingleBar(
    {
      format: 'simulate [{bar}] {value}/{total} messages | {rate} msg/s | plant time {plant}',
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  const began = performance.now();
  let started = false;
  return {
    update: (p) => {
      if (!started) {
        bar.start(p.total, 0, { rate: 0, plant: '' });
        started = true;
      }
      const seconds = (performance.now() - began) / 1000;
      bar.update(p.done, {
        rate: seconds > 0 ? Math.round(p.done / seconds) : 0,
        plant: new Date(p.plantMs).toISOString().slice(0, 19),
      });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
};

export const registerSimulate = (program: Command): void => {
  program
    .command('simulate')
    .description(
      'a synthetic plant: each machine publishes telemetry, states and counts as its own thing over mutual TLS; or writes them as a recording',
    )
    .option(
      '--config <file>',
      'site configuration, JSON or YAML (docs/site-configuration.md; default: the bundled sample site): its own machines and metrics are simulated',
    )
    .option('--factories <n>', 'simulate only the first N factories of the site (default: all)', parseFactories)
    .option(
      '--broker <url>',
      `publish to this broker (default ${DEFAULT_BROKER_URL}, unless only --out is given)`,
      parseBrokerUrl,
    )
    .option(
      '--certs <dir>',
      "ca.pem and each machine's <factoryId:lineId:machineId>.pem and .key (as `factory broker --config` issues them)",
      'certs',
    )
    .option(
      '--speed <speed>',
      'max, or a factor of real time (default: 1 when publishing, max when only writing --out)',
      parseSpeed,
    )
    .option('--duration <s>', 'seconds of plant time to simulate', parsePositiveSeconds, DEFAULT_DURATION_S)
    .option(
      '--seed <n>',
      'random seed: the same seed, site and start give the same plant',
      parseSeed,
      SAMPLE_OPTIONS.seed,
    )
    .option('--start <iso>', 'plant time to start at (default: now)', parseStart)
    .option('--out <recording>', 'also (or, without --broker, only) write the messages as a recording; .gz compresses')
    .option(
      '--days <n>',
      'write a synthetic maintenance history of N days instead (with --out; default 30 when --machines is given)',
      parseWholeNumber('days', 366),
    )
    .option(
      '--machines <n>',
      'machines of that history (default 20 when --days is given); its site goes beside --out as <name>.site.json',
      parseWholeNumber('machines', 500),
    )
    .action(async (options: SimulateCliOptions) => {
      if (options.days !== undefined || options.machines !== undefined) return simulateHistory(options);
      const abort = new AbortController();
      const onSignal = (): void => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const bar = process.stderr.isTTY === true ? progressBar() : undefined;
      try {
        const configPath = options.config ?? SAMPLE_SITE_PATH;
        const loaded = await loadSiteConfigFile(configPath);
        if (E.isLeft(loaded))
          throw new UsageError(
            `--config is not a valid site configuration:\n${loaded.left.map((p) => `  ${p}`).join('\n')}`,
          );
        const available = loaded.right.factories.length;
        if (options.factories !== undefined && options.factories > available) {
          throw new UsageError(
            `--factories ${options.factories}: ${configPath} has only ${available} factor${available === 1 ? 'y' : 'ies'}; give at most ${available}`,
          );
        }
        const site = firstFactories(loaded.right, options.factories);
        // Whole seconds: the model samples on a one-second grid from the start.
        const startMs = options.start ?? Math.floor(Date.now() / 1000) * 1000;
        const plan = simulationPlan(site, simulationOptions(startMs, options.duration, options.seed));
        const url = options.broker ?? (options.out === undefined ? DEFAULT_BROKER_URL : undefined);
        const result = await runLiveSimulation(plan, {
          // Pacing is for a listener: with nothing published, the recording is written at once.
          url,
          certsDir: options.certs,
          speed: options.speed ?? (url === undefined ? 'max' : 1),
          out: options.out,
          signal: abort.signal,
          onNote: (note) => process.stderr.write(`factory simulate: ${note}\n`),
          onProgress: bar?.update,
        });
        bar?.stop();
        const parts = [
          ...(url === undefined
            ? []
            : [
                `published ${result.published} message(s) to ${url} as ${plan.things.length} machine(s)`,
                `skipped ${result.skipped}`,
              ]),
          ...(options.out === undefined ? [] : [`wrote ${result.written} to ${options.out}`]),
        ];
        process.stderr.write(
          `factory simulate: ${parts.join(', ')}${result.interrupted ? ' (stopped before the end)' : ''}\n`,
        );
      } catch (error) {
        bar?.stop();
        process.stderr.write(`factory simulate: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = error instanceof UsageError ? 2 : 1;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
};
