// `factory rules eval`: one IoT SQL topic rule on one message, evaluated by domain/rules as IoT Core
// would (docs/iot-sql.md). Prints the output (JSON, or the bytes of a binary output), or null when the
// rule does not fire. Exit status: 0 evaluated (fired or not), 1 the rule could not be evaluated here
// (a function that calls AWS), 2 bad SQL, bad payload or a bad topic.
// `factory rules functions`: the IoT SQL functions the local interpreter knows, as a table or --json.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { FAMILIES, FUNCTIONS, type SqlFunction } from '../../domain/rules/functions/registry.ts';
import { compileRule, runRule } from '../../domain/rules/topicRule.ts';

type EvalOptions = {
  readonly sql: string;
  readonly topic: string;
  readonly payload?: string;
  readonly payloadBase64?: string;
  readonly clientId?: string;
  readonly timestamp?: string;
  readonly principal?: string;
  readonly accountId?: string;
};

const badInput = (message: string): void => {
  process.stderr.write(`factory rules eval: ${message}\n`);
  process.exitCode = 2;
};

const parseJson = (text: string): E.Either<string, unknown> =>
  E.tryCatch(
    () => JSON.parse(text) as unknown,
    (error) => (error instanceof Error ? error.message : String(error)),
  );

// The payload as IoT Core sees it: JSON when the bytes are JSON, otherwise the bytes (a binary payload).
const payloadOf = (
  options: EvalOptions,
): E.Either<string, { readonly payload: unknown; readonly bytes: Uint8Array }> => {
  if ((options.payload === undefined) === (options.payloadBase64 === undefined)) {
    return E.left("give the message as --payload '<json>' or, for a binary payload, --payload-base64 <bytes>");
  }
  if (options.payload !== undefined) {
    const parsed = parseJson(options.payload);
    return E.isLeft(parsed)
      ? E.left(
          `--payload is not JSON (${parsed.left}): quote it, e.g. --payload '{"v":1}', or give a binary payload with --payload-base64`,
        )
      : E.right({ payload: parsed.right, bytes: Buffer.from(options.payload, 'utf8') });
  }
  const base64 = options.payloadBase64 ?? '';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64))
    return E.left('--payload-base64 is not base64: give the bytes as base64, e.g. --payload-base64 AP8QgA==');
  const bytes = Buffer.from(base64, 'base64');
  const parsed = parseJson(bytes.toString('utf8'));
  return E.right({
    payload: bytes.length > 0 && E.isRight(parsed) ? parsed.right : new Uint8Array(bytes),
    bytes: new Uint8Array(bytes),
  });
};

// The statement's line an error points at, with a caret under the column, as a compiler shows it.
const pointAt = (sql: string, message: string): string => {
  const at = /at line (\d+), column (\d+)/.exec(message);
  if (at === null) return '';
  const line = (sql.split('\n')[Number(at[1]) - 1] ?? '').replace(/\t/g, ' ');
  return `\n  ${line}\n  ${' '.repeat(Math.max(0, Number(at[2]) - 1))}^`;
};

const evalRule = (options: EvalOptions): void => {
  const rule = compileRule(options.sql);
  if (E.isLeft(rule)) return badInput(`--sql: ${rule.left}${pointAt(options.sql, rule.left)}`);
  if (options.topic.length === 0 || /[+#]/.test(options.topic)) {
    return badInput(
      `--topic ${JSON.stringify(options.topic)}: expected a topic name such as dt/f1/l1/m1/telemetry (no wildcards)`,
    );
  }
  const payload = payloadOf(options);
  if (E.isLeft(payload)) return badInput(payload.left);
  const timestampMs = options.timestamp === undefined ? Date.now() : Number(options.timestamp);
  if (!Number.isSafeInteger(timestampMs))
    return badInput(
      `--timestamp ${JSON.stringify(options.timestamp)}: expected milliseconds since the epoch, e.g. 1700000000000`,
    );
  const result = runRule(rule.right, {
    topic: options.topic,
    payload: payload.right.payload,
    payloadBytes: payload.right.bytes,
    ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
    ...(options.principal === undefined ? {} : { principal: options.principal }),
    ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
    timestampMs,
    newUuid: randomUUID,
    random: Math.random,
  });
  if (!result.fires && result.reason === 'evaluation failed') {
    process.stderr.write(`factory rules eval: ${result.error}\n`);
    process.exitCode = 1;
    return;
  }
  if (!result.fires) process.stderr.write(`rule does not fire: ${result.reason}\n`);
  if (result.fires && result.output instanceof Uint8Array) {
    process.stderr.write(`the output is binary (${result.output.length} bytes), written as is\n`);
    process.stdout.write(result.output);
    process.stdout.write('\n');
    return;
  }
  process.stdout.write(`${JSON.stringify(result.fires ? result.output : null)}\n`);
};

const describeFunction = (fn: SqlFunction) => ({
  name: fn.name,
  signature: fn.signature,
  family: fn.family,
  local: fn.service === undefined,
  ...(fn.service === undefined ? {} : { service: fn.service }),
  minArgs: fn.minArgs,
  maxArgs: fn.maxArgs === Infinity ? null : fn.maxArgs,
  summary: fn.summary,
});

// Grouped by family; a signature too long for the first column puts its summary on the next line.
const functionsTable = (): string => {
  const column = 36;
  const lines: string[] = [];
  for (const family of FAMILIES) {
    const members = FUNCTIONS.filter((fn) => fn.family === family);
    const remote = family === 'AWS service';
    lines.push(
      '',
      `${family} (${members.length})${remote ? ': recognised; a rule that calls one fails with "not available locally: <function> calls <service>"' : ''}`,
    );
    for (const fn of members) {
      const summary = remote ? `calls ${fn.service ?? 'AWS'}: ${fn.summary}` : fn.summary;
      if (fn.signature.length > column) lines.push(`  ${fn.signature}`, `  ${' '.repeat(column)}  ${summary}`);
      else lines.push(`  ${fn.signature.padEnd(column)}  ${summary}`);
    }
  }
  const local = FUNCTIONS.filter((fn) => fn.service === undefined).length;
  return [
    `IoT SQL functions (SQL version 2016-03-23): ${FUNCTIONS.length} known, ${local} evaluated locally. The language: docs/iot-sql.md`,
    ...lines,
  ].join('\n');
};

export const registerRules = (program: Command): void => {
  const rules = program
    .command('rules')
    .description('IoT SQL topic rules, evaluated locally as IoT Core evaluates them');
  rules
    .command('eval')
    .description('evaluate one topic rule on one message: prints the output, or null when the rule does not fire')
    .requiredOption(
      '--sql <sql>',
      "the rule's IoT SQL (version 2016-03-23), e.g. \"SELECT *, topic(2) AS factoryId FROM 'dt/#'\"",
    )
    .requiredOption('--topic <topic>', 'the MQTT topic the message was published on')
    .option('--payload <json>', 'the message payload, JSON')
    .option(
      '--payload-base64 <bytes>',
      'the message payload as base64 bytes (JSON if they are JSON, else a binary payload)',
    )
    .option('--client-id <id>', 'the MQTT client id clientid() returns (n/a when not given, as for non-MQTT messages)')
    .option('--principal <principal>', 'what principal() returns (a certificate thumbprint or IAM identity)')
    .option('--account-id <id>', 'what accountid() returns')
    .option('--timestamp <ms>', 'what timestamp() returns, in epoch milliseconds (default: now)')
    .action((options: EvalOptions) => evalRule(options));
  rules
    .command('functions')
    .description('the IoT SQL functions the local rules engine knows, and which of them need AWS')
    .option('--json', 'one JSON array, for machines')
    .action((options: { readonly json?: boolean }) => {
      process.stdout.write(
        options.json === true ? `${JSON.stringify(FUNCTIONS.map(describeFunction))}\n` : `${functionsTable()}\n`,
      );
    });
};
