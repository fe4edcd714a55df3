// The dispatch function (infra/processing.ts): the event table's DynamoDB stream, records in commit
// order per machine, hands it each commit; it sends the commit's alerts (SNS), OEE values (SiteWise
// and the OEE table) and heartbeat timer (EventBridge Scheduler). Partial batch responses make Lambda
// retry from the first commit that could not be sent; after its retries the event source mapping's
// on-failure destination (an SQS queue in infra) keeps the record.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { IoTSiteWiseClient } from '@aws-sdk/client-iotsitewise';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { snsAlertPublisherOnFirstUse } from '../adapters/loadedOnFirstUse.ts';
import { schedulerTimerScheduler } from '../adapters/schedulerTimerScheduler.ts';
import { sitewiseAssetPropertyWriter } from '../adapters/sitewiseAssetPropertyWriter.ts';
import { loadBundledSite, requireEnv } from '../lambdaEnvironment.ts';
import type { DispatchPorts } from '../machines/dispatchEffects.ts';
import { loadSinks } from '../timeSeriesSinks.ts';
import { dispatchCommits, type DynamoStreamEvent, type DynamoStreamRecord } from './dispatchCommits.ts';

const logger = new Logger({ serviceName: 'dispatch' });
const sinksFrom = await loadSinks(process.env);
const processor = new BatchProcessor(EventType.DynamoDBStreams);
let ports: DispatchPorts | undefined;
let site: ReturnType<typeof loadBundledSite> | undefined;

export const handler = async (event: DynamoStreamEvent, lambdaContext?: unknown) => {
  const env = process.env;
  site ??= loadBundledSite(env, import.meta.url);
  ports ??= {
    alerts: snsAlertPublisherOnFirstUse(requireEnv(env, 'ALERT_TOPIC_ARN')),
    assets: sitewiseAssetPropertyWriter({ client: new IoTSiteWiseClient({}), aliasPrefix: env.SITEWISE_ALIAS_PREFIX }),
    timers: schedulerTimerScheduler({
      client: new SchedulerClient({}),
      targetArn: requireEnv(env, 'TIMER_FUNCTION_ARN'),
      roleArn: requireEnv(env, 'SCHEDULER_ROLE_ARN'),
      groupName: requireEnv(env, 'SCHEDULE_GROUP'),
    }),
    oee: sinksFrom(env).oee,
  };
  const result = await dispatchCommits(site, ports, event.Records);
  for (const warning of result.warnings) logger.warn(warning);
  const failed = new Map(result.failures.map((f) => [f.sequenceNumber, f.reason]));
  logger.info('commits dispatched', { records: event.Records.length, sent: result.sent, failed: failed.size });
  return processPartialResponse(
    event as never,
    async (record: DynamoStreamRecord) => {
      const reason = failed.get(record.dynamodb?.SequenceNumber ?? '');
      if (reason !== undefined) throw new Error(reason);
    },
    processor,
    { context: lambdaContext as never, throwOnFullBatchFailure: false },
  );
};
