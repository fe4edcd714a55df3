// The process function (infra/processing.ts: handler index.handler, fed by the Kinesis stream of
// the IoT rule). Adapters are built once per container; each invocation runs processBatch and hands
// its failures to Powertools, which answers with the partial batch response Lambda expects.
//
// What is loaded when (cold start is most of an invocation's latency, and loading SDK clients most of
// the cold start): the clients every batch uses (DynamoDB, Scheduler, SiteWise, and the time-series
// sink the environment selects) at init, where on-demand Lambda runs with a full vCPU and provisioned
// concurrency runs ahead of traffic; SageMaker at init only when an endpoint is configured; SNS and SQS,
// which a batch needs only when it raises an alert or dead-letters a record, at their first use.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IoTSiteWiseClient } from '@aws-sdk/client-iotsitewise';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { dynamoEventStore } from '../adapters/dynamoEventStore.ts';
import { influxTelemetrySink } from '../adapters/influxTelemetrySink.ts';
import { snsAlertPublisherOnFirstUse, sqsDeadLetterQueueOnFirstUse } from '../adapters/loadedOnFirstUse.ts';
import { schedulerTimerScheduler } from '../adapters/schedulerTimerScheduler.ts';
import { sitewiseAssetPropertyWriter } from '../adapters/sitewiseAssetPropertyWriter.ts';
import { loadBundledSite, loadBundledStreamOptions, requireEnv, riskEndpointConfigured, type Environment } from '../lambdaEnvironment.ts';
import type { TelemetrySink } from '../ports/telemetrySink.ts';
import type { KinesisStreamEvent, KinesisStreamRecord } from './kinesisRecord.ts';
import { processBatch, processContext, type ProcessDeps } from './processBatch.ts';

const logger = new Logger({ serviceName: 'process' });
const metrics = new Metrics({ namespace: 'SmartFactory', serviceName: 'process' });

type Sinks = { readonly telemetry: TelemetrySink; readonly oee: TelemetrySink };

/**
 * The time-series sinks infra/timeSeries.ts configures: Timestream tables, or InfluxDB measurements.
 * Awaited at init, so each sink's SDK is loaded only for that sink; the InfluxDB token is read then too,
 * the variables naming the Timestream endpoint and tables at the first invocation.
 */
const loadSinks = async (env: Environment): Promise<(env: Environment) => Sinks> => {
  if (env.TIME_SERIES_SINK === 'influxdb') {
    // The token is read from Secrets Manager here, at cold start: no invocation starts without it.
    const [{ SecretsManagerClient }, { influxConnectionFromEnvironment }] = await Promise.all([import('@aws-sdk/client-secrets-manager'), import('../adapters/influxConnection.ts')]);
    const connection = await influxConnectionFromEnvironment(env, new SecretsManagerClient({}));
    return () => ({ telemetry: influxTelemetrySink({ ...connection, measurement: 'telemetry' }), oee: influxTelemetrySink({ ...connection, measurement: 'oee' }) });
  }
  const [{ timestreamIngestClient }, { timestreamTelemetrySink }] = await Promise.all([import('../adapters/timestreamIngestClient.ts'), import('../adapters/timestreamTelemetrySink.ts')]);
  return (env) => {
    // The account's cell endpoint: no endpoint discovery, which private subnets cannot reach.
    const client = timestreamIngestClient(requireEnv(env, 'TIMESTREAM_INGEST_ENDPOINT'));
    const databaseName = requireEnv(env, 'TIMESTREAM_DATABASE');
    return {
      telemetry: timestreamTelemetrySink({ client, databaseName, tableName: requireEnv(env, 'TIMESTREAM_TELEMETRY_TABLE') }),
      oee: timestreamTelemetrySink({ client, databaseName, tableName: requireEnv(env, 'TIMESTREAM_OEE_TABLE') }),
    };
  };
};

export const depsFromEnvironment = (env: Environment, moduleUrl: string, sinksFrom: (env: Environment) => Sinks): ProcessDeps => {
  const site = loadBundledSite(env, moduleUrl);
  const sinks = sinksFrom(env);
  return {
    site,
    store: dynamoEventStore<MachineEvent>({ client: new DynamoDBClient({}), tableName: requireEnv(env, 'EVENT_TABLE'), snapshotTtlS: Number(env.SNAPSHOT_TTL_S ?? 7 * 24 * 3600) }),
    telemetry: sinks.telemetry,
    oee: sinks.oee,
    alerts: snsAlertPublisherOnFirstUse(requireEnv(env, 'ALERT_TOPIC_ARN')),
    assets: sitewiseAssetPropertyWriter({ client: new IoTSiteWiseClient({}), aliasPrefix: env.SITEWISE_ALIAS_PREFIX }),
    timers: schedulerTimerScheduler({ client: new SchedulerClient({}), targetArn: requireEnv(env, 'TIMER_FUNCTION_ARN'), roleArn: requireEnv(env, 'SCHEDULER_ROLE_ARN'), groupName: requireEnv(env, 'SCHEDULE_GROUP') }),
    deadLetters: sqsDeadLetterQueueOnFirstUse(requireEnv(env, 'DEAD_LETTER_QUEUE_URL')),
    warn: (message) => logger.warn(message),
  };
};

// Init: what the environment selects is loaded before the first invocation (top-level await).
const sinksFrom = await loadSinks(process.env);
const risks = riskEndpointConfigured(process.env) ? await import('./riskEnvironment.ts') : undefined;

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
  return processPartialResponse(event as never, async (record: KinesisStreamRecord) => {
    const reason = failed.get(record.kinesis.sequenceNumber);
    if (reason !== undefined) throw new Error(reason);
  }, processor, { context: lambdaContext as never, throwOnFullBatchFailure: false });
};
