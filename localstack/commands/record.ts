// `factory record --broker <url> --out <file> [--certs <dir>] [--client-id <thing>] [--topic <filter>…]
// [--duration <s>] [--count <n>]` (docs/command-line.md): live traffic captured as a recording (docs/wire-contract.md).
// Stops cleanly on SIGINT/SIGTERM, after --duration or at --count; the count goes to stderr.
import { InvalidArgumentError, type Command } from 'commander';
import { brokerUrlProblem } from '../recorder/thingConnection.ts';
import { recordTraffic, type RecordResult } from '../recorder/recordTraffic.ts';

type RecordCliOptions = {
  readonly broker: string;
  readonly out: string;
  readonly certs: string;
  readonly clientId: string;
  readonly topic: readonly string[];
  readonly duration?: number;
  readonly count?: number;
};

export const DEFAULT_TOPICS: readonly string[] = ['dt/#'];

export const parseBrokerUrl = (text: string): string => {
  const problem = brokerUrlProblem(text);
  if (problem !== undefined) throw new InvalidArgumentError(problem);
  return text;
};

export const parsePositiveSeconds = (text: string): number => {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`${JSON.stringify(text)}: expected a number of seconds > 0`);
  return n;
};

const parseCount = (text: string): number => {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(`${JSON.stringify(text)}: expected a whole number of messages ≥ 1`);
  return n;
};

/** An MQTT topic filter: `+` and `#` take a whole level, `#` only the last (MQTT 3.1.1 §4.7.1). */
const topicFilterProblem = (filter: string): string | undefined => {
  if (filter === '') return 'expected a topic filter such as dt/# or dt/f1/+/+/state, not an empty one';
  const levels = filter.split('/');
  for (const [i, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1))
      return `${JSON.stringify(filter)}: # must be a whole level and the last one (dt/f1/#)`;
    if (level.includes('+') && level !== '+')
      return `${JSON.stringify(filter)}: + must be a whole level (dt/+/l1/+/state)`;
  }
  return undefined;
};

const collectTopic = (value: string, previous: readonly string[] | undefined): readonly string[] => {
  const problem = topicFilterProblem(value);
  if (problem !== undefined) throw new InvalidArgumentError(problem);
  return [...(previous ?? []), value];
};

const summary = (result: RecordResult, out: string): string => {
  const why = {
    count: 'the --count was reached',
    duration: 'the --duration passed',
    signal: 'stopped',
    'connection lost': 'the connection was lost',
  }[result.stoppedBy];
  return `factory record: recorded ${result.recorded} message${result.recorded === 1 ? '' : 's'} to ${out} (${why})\n`;
};

export const registerRecord = (program: Command): void => {
  program
    .command('record')
    .description('capture live broker traffic as a recording (JSON Lines, gzip when --out ends in .gz)')
    .requiredOption('--broker <url>', 'the broker: mqtts://host:port (mutual TLS) or mqtt://host:port', parseBrokerUrl)
    .requiredOption('--out <file>', 'the recording to write; .gz compresses')
    .option('--certs <dir>', "ca.pem and the client thing's <thing>.pem and <thing>.key (for mqtts://)", 'certs')
    .option('--client-id <thing>', 'the thing to connect as (a service thing may read dt/#)', 'factory-recorder')
    .option(
      '--topic <filter>',
      `topic filter to subscribe to (repeatable; default ${DEFAULT_TOPICS.join(' ')})`,
      collectTopic,
    )
    .option('--duration <s>', 'stop after this many seconds', parsePositiveSeconds)
    .option('--count <n>', 'stop after this many messages', parseCount)
    .action(async (options: RecordCliOptions) => {
      const topics = options.topic ?? DEFAULT_TOPICS;
      const abort = new AbortController();
      const onSignal = (): void => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      // A running count on a terminal only (docs/command-line.md: progress goes to stderr, only on a TTY).
      let shownAt = 0;
      const showCount =
        process.stderr.isTTY !== true
          ? undefined
          : (recorded: number): void => {
              if (performance.now() - shownAt < 250) return;
              shownAt = performance.now();
              process.stderr.write(`\rfactory record: ${recorded} messages`);
            };
      try {
        const result = await recordTraffic({
          url: options.broker,
          certsDir: options.certs,
          clientId: options.clientId,
          topics,
          out: options.out,
          durationS: options.duration,
          count: options.count,
          signal: abort.signal,
          onRecorded: showCount,
          onReady: () =>
            process.stderr.write(
              `factory record: recording ${topics.join(', ')} from ${options.broker} to ${options.out}; stop with Ctrl-C\n`,
            ),
        });
        process.stderr.write(`${shownAt > 0 ? '\n' : ''}${summary(result, options.out)}`);
        if (result.stoppedBy === 'connection lost') {
          process.stderr.write(`factory record: ${result.detail ?? 'the connection was lost'}\n`);
          process.exitCode = 1;
        }
      } catch (error) {
        process.stderr.write(`factory record: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
};
