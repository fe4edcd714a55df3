// `factory rules eval`: one IoT SQL topic rule on one message, evaluated by domain/rules as IoT Core
// would (DESIGN §9). Prints the output object as JSON, or null when the rule does not fire.
// Exit status: 0 evaluated (fired or not), 2 bad SQL, bad JSON or a bad topic.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { compileRule, runRule } from '../../domain/rules/topicRule.ts';

type EvalOptions = { readonly sql: string; readonly topic: string; readonly payload: string; readonly clientId?: string };

const badInput = (message: string): void => {
  process.stderr.write(`factory rules eval: ${message}\n`);
  process.exitCode = 2;
};

const parseJson = (text: string): E.Either<string, unknown> =>
  E.tryCatch(() => JSON.parse(text) as unknown, (error) => (error instanceof Error ? error.message : String(error)));

const evalRule = (options: EvalOptions): void => {
  const rule = compileRule(options.sql);
  if (E.isLeft(rule)) return badInput(`--sql: ${rule.left}`);
  if (options.topic.length === 0 || /[+#]/.test(options.topic)) {
    return badInput(`--topic ${JSON.stringify(options.topic)}: expected a topic name such as dt/f1/l1/m1/telemetry (no wildcards)`);
  }
  const payload = parseJson(options.payload);
  if (E.isLeft(payload)) return badInput(`--payload is not JSON (${payload.left}): quote it, e.g. --payload '{"v":1}'`);
  const result = runRule(rule.right, {
    topic: options.topic,
    payload: payload.right,
    ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
    timestampMs: Date.now(),
    newUuid: randomUUID,
  });
  if (!result.fires) process.stderr.write(`rule does not fire: ${result.reason}\n`);
  process.stdout.write(`${JSON.stringify(result.fires ? result.output : null)}\n`);
};

export const registerRules = (program: Command): void => {
  const rules = program.command('rules').description('IoT SQL topic rules, evaluated locally as IoT Core evaluates them');
  rules.command('eval')
    .description('evaluate one topic rule on one message: prints the output as JSON, or null when the rule does not fire')
    .requiredOption('--sql <sql>', 'the rule\'s IoT SQL (version 2016-03-23), e.g. "SELECT *, topic(2) AS factoryId FROM \'dt/#\'"')
    .requiredOption('--topic <topic>', 'the MQTT topic the message was published on')
    .requiredOption('--payload <json>', 'the message payload, JSON')
    .option('--client-id <id>', 'the MQTT client id clientid() returns (n/a when not given, as for non-MQTT messages)')
    .action((options: EvalOptions) => evalRule(options));
};
