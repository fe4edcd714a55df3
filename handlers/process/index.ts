// The process function (infra/processing.ts: handler index.handler, fed by the Kinesis stream of
// the IoT rule). Adapters are built once per container; each invocation runs processBatch and hands
// its failures to Powertools, which answers with the partial batch response Lambda expects.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IoTSiteWiseClient } from '@aws-sdk/client-iotsitewise';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { dynamoEventStore } from '../adapters/dynamoEventStore.ts';
import { influxTelemetrySink } from '../adapters/influxTelemetrySink.ts';
import { schedulerTimerScheduler } from '../adapters/schedulerTimerScheduler.ts';
import { sitewiseAssetPropertyWriter } from '../adapters/sitewiseAssetPropertyWriter.ts';
import { snsAlertPublisher } from '../adapters/snsAlertPublisher.ts';
import { sqsDeadLetterQueue } from '../adapters/sqsDeadLetterQueue.ts';
import { timestreamTelemetrySink } from '../adapters/timestreamTelemetrySink.ts';
import { loadBundledSite, loadBundledStreamOptions, requireEnv, type Environment } from '../lambdaEnvironment.ts';
import type { TelemetrySink } from '../ports/telemetrySink.ts';
import type { KinesisStreamEvent, KinesisStreamRecord } from './kinesisRecord.ts';
import { processBatch, processContext, type ProcessDeps } from './processBatch.ts';
import { risksFromEnvironment } from './riskEnvironment.ts';

const logger = new Logger({ serviceName: 'process' });
const metrics = new Metrics({ namespace: 'SmartFactory', serviceName: 'process' });

/** The time-series sinks infra/timeSeries.ts configures: Timestream tables, or InfluxDB measurements. */
const sinksFrom = (env: Environment): { telemetry: TelemetrySink; oee: TelemetrySink } => {
  if (env.TIME_SERIES_SINK === 'influxdb') {
    const common = { endpoint: requireEnv(env, 'INFLUXDB_ENDPOINT'), org: env.INFLUXDB_ORG ?? 'smart-factory', bucket: requireEnv(env, 'INFLUXDB_BUCKET'), token: requireEnv(env, 'INFLUXDB_TOKEN') };
    return { telemetry: influxTelemetrySink({ ...common, measurement: 'telemetry' }), oee: influxTelemetrySink({ ...common, measurement: 'oee' }) };
  }
  const client = new TimestreamWriteClient({});
  const databaseName = requireEnv(env, 'TIMESTREAM_DATABASE');
  return {
    telemetry: timestreamTelemetrySink({ client, databaseName, tableName: requireEnv(env, 'TIMESTREAM_TELEMETRY_TABLE') }),
    oee: timestreamTelemetrySink({ client, databaseName, tableName: requireEnv(env, 'TIMESTREAM_OEE_TABLE') }),
  };
};

export const depsFromEnvironment = (env: Environment, moduleUrl: string): ProcessDeps => {
  const site = loadBundledSite(env, moduleUrl);
  const sinks = sinksFrom(env);
  return {
    site,
    store: dynamoEventStore<MachineEvent>({ client: new DynamoDBClient({}), tableName: requireEnv(env, 'EVENT_TABLE'), snapshotTtlS: Number(env.SNAPSHOT_TTL_S ?? 7 * 24 * 3600) }),
    telemetry: sinks.telemetry,
    oee: sinks.oee,
    alerts: snsAlertPublisher({ client: new SNSClient({}), topicArn: requireEnv(env, 'ALERT_TOPIC_ARN') }),
    assets: sitewiseAssetPropertyWriter({ client: new IoTSiteWiseClient({}) }),
    timers: schedulerTimerScheduler({ client: new SchedulerClient({}), targetArn: requireEnv(env, 'TIMER_FUNCTION_ARN'), roleArn: requireEnv(env, 'SCHEDULER_ROLE_ARN'), groupName: requireEnv(env, 'SCHEDULE_GROUP') }),
    deadLetters: sqsDeadLetterQueue({ client: new SQSClient({}), queueUrl: requireEnv(env, 'DEAD_LETTER_QUEUE_URL') }),
    warn: (message) => logger.warn(message),
  };
};

let deps: ProcessDeps | undefined;
let context: ReturnType<typeof processContext> | undefined;
const processor = new BatchProcessor(EventType.KinesisDataStreams);

export const handler = async (event: KinesisStreamEvent, lambdaContext?: unknown) => {
  deps ??= depsFromEnvironment(process.env, import.meta.url);
  if (context === undefined) {
    const options = loadBundledStreamOptions(process.env, import.meta.url, deps.site);
    // RISK_ENDPOINT_NAME (factory:sagemaker): risks from the SageMaker endpoint, else the bundled model.
    context = processContext(deps.site, options, risksFromEnvironment(process.env, options));
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
