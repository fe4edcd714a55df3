// The timer function (infra/processing.ts): EventBridge Scheduler invokes it with the Timer JSON.
// DynamoDB, which every timer reads, is loaded at init; SageMaker at init only when an endpoint is
// configured. The alerts a timer raises are sent by the dispatch function from its commit.
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { dynamoEventStore } from '../adapters/dynamoEventStore.ts';
import { loadBundledSite, loadBundledStreamOptions, requireEnv, riskEndpointConfigured } from '../lambdaEnvironment.ts';
import { processContext, type ProcessContext } from '../machines/machineContext.ts';
import { decodeTimerEvent, handleTimer, type TimerDeps } from './handleTimer.ts';

const logger = new Logger({ serviceName: 'timer' });
const risks = riskEndpointConfigured(process.env) ? await import('../machines/riskEnvironment.ts') : undefined;
let deps: TimerDeps | undefined;
let context: ProcessContext | undefined;

export const handler = async (event: unknown) => {
  const env = process.env;
  deps ??= {
    site: loadBundledSite(env, import.meta.url),
    store: dynamoEventStore<MachineEvent>({
      client: new DynamoDBClient({}),
      tableName: requireEnv(env, 'EVENT_TABLE'),
    }),
    checkpoints: new Map(),
  };
  if (context === undefined) {
    const options = loadBundledStreamOptions(env, import.meta.url, deps.site);
    // RISK_ENDPOINT_NAME (factory:sagemaker): risks from the SageMaker endpoint, else the bundled model.
    context = processContext(deps.site, options, risks?.risksFromEnvironment(env, options));
  }
  const timer = decodeTimerEvent(event);
  // A timer that can never be handled is logged and dropped: Scheduler's retries would not fix it.
  if (E.isLeft(timer)) return logger.error(timer.left);
  const outcome = await handleTimer(deps, context, timer.right);
  // A conflict that outlasted the retries is thrown, so Scheduler's retry policy invokes again.
  if (E.isLeft(outcome)) throw new Error(outcome.left);
  logger.info('timer handled', {
    machineKey: outcome.right.machineKey,
    decisions: outcome.right.decisions.length,
    alerts: outcome.right.alerts,
  });
};
