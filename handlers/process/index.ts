// The process function (infra/processing.ts: handler index.handler, fed by the Kinesis stream of
// the IoT rule). Adapters are built once per container; each invocation runs processBatch and hands
// its failures to Powertools, which answers with the partial batch response Lambda expects.
//
// What is loaded when (cold start is most of an invocation's latency, and loading SDK clients most of
// the cold start): the clients every batch uses (DynamoDB and the time-series sink the environment
// selects) at init, where on-demand Lambda runs with a full vCPU and provisioned concurrency runs ahead
// of traffic; SageMaker at init only when an endpoint is configured; SQS, which a batch needs only when
// it dead-letters a record, at its first use. Alerts, SiteWise values and timers are sent by the
// dispatch function from what this one committed (handlers/dispatch).
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { dynamoEventStore } from '../adapters/dynamoEventStore.ts';
import { sqsDeadLetterQueueOnFirstUse } from '../adapters/loadedOnFirstUse.ts';
import {
  loadBundledSite,
  loadBundledStreamOptions,
  requireEnv,
  riskEndpointConfigured,
  type Environment,
} from '../lambdaEnvironment.ts';
import { loadSinks, type Sinks } from '../timeSeriesSinks.ts';
import type { KinesisStreamEvent, KinesisStreamRecord } from './kinesisRecord.ts';
import { processBatch, processContext, type ProcessDeps } from './processBatch.ts';

const logger = new Logger({ serviceName: 'process' });
const metrics = new Metrics({ namespace: 'SmartFactory', serviceName: 'process' });

export const depsFromEnvironment = (
  env: Environment,
  moduleUrl: string,
  sinksFrom: (env: Environment) => Sinks,
): ProcessDeps => {
  const site = loadBundledSite(env, moduleUrl);
  const sinks = sinksFrom(env);
  return {
    site,
    store: dynamoEventStore<MachineEvent>({
      client: new DynamoDBClient({}),
      tableName: requireEnv(env, 'EVENT_TABLE'),
    }),
    telemetry: sinks.telemetry,
    deadLetters: sqsDeadLetterQueueOnFirstUse(requireEnv(env, 'DEAD_LETTER_QUEUE_URL')),
    // The shard's partition keys come to this container in order: its checkpoints save a read per machine per batch.
    checkpoints: new Map(),
  };
};

// Init: what the environment selects is loaded before the first invocation (top-level await).
const sinksFrom = await loadSinks(process.env);
const risks = riskEndpointConfigured(process.env) ? await import('../machines/riskEnvironment.ts') : undefined;

let deps: ProcessDeps | undefined;
let context: ReturnType<typeof processContext> | undefined;
const processor = new BatchProcessor(EventType.KinesisDataStreams);

export const handler = async (event: KinesisStreamEvent, lambdaContext?: unknown) => {
  deps ??= depsFromEnvironment(process.env, import.meta.url, sinksFrom);
  if (context === undefined) {
    const options = loadBundledStreamOptions(process.env, import.meta.url, deps.site);
    // RISK_ENDPOINT_NAME (factory:sagemaker): risks from the SageMaker endpoint, else the bundled model.
    context = processContext(deps.site, options, risks?.risksFromEnvironment(process.env, options));
  }
  const outcome = await processBatch(deps, context, event.Records);
  const failed = new Map(outcome.failures.map((f) => [f.sequenceNumber, f.reason]));
  for (const [sequenceNumber, reason] of failed) logger.warn('record will be retried', { sequenceNumber, reason });
  metrics.addMetric('TimestreamRejectedRecords', MetricUnit.Count, outcome.stats.telemetryRejected);
  metrics.addMetric('DeadLetters', MetricUnit.Count, outcome.stats.deadLettered);
  metrics.addMetric('RecordsRetried', MetricUnit.Count, failed.size);
  metrics.publishStoredMetrics();
  logger.info('batch processed', { ...outcome.stats });
  // The work is done per machine above; Powertools turns the failed records into batchItemFailures.
  return processPartialResponse(
    event as never,
    async (record: KinesisStreamRecord) => {
      const reason = failed.get(record.kinesis.sequenceNumber);
      if (reason !== undefined) throw new Error(reason);
    },
    processor,
    { context: lambdaContext as never, throwOnFullBatchFailure: false },
  );
};
