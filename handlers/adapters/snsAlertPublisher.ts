// Alerts to an SNS standard topic: one Publish per alert (subscribers filter on the machine and
// detector MessageAttributes); standard topics need no MessageDeduplicationId. Alerts go out in order,
// and after a failure worth retrying the rest wait for the retry: an alert is never sent after one
// before it failed, and what was sent before the failure is the only part a retry repeats.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert, AlertPublisher } from '../ports/alertPublisher.ts';
import type { Rejected } from '../ports/writeReport.ts';

const RETRYABLE = new Set(['ThrottledException', 'InternalErrorException', 'KMSThrottlingException', 'TimeoutError']);

export const snsAlertPublisher = (options: {
  readonly client: SNSClient;
  readonly topicArn: string;
}): AlertPublisher => ({
  publish: async (alerts) => {
    const rejected: Rejected<Alert>[] = [];
    let stopped: string | undefined;
    for (const alert of alerts) {
      if (stopped !== undefined) {
        rejected.push({ item: alert, retryable: true, reason: `alert ${alert.alertId} not sent: ${stopped}` });
        continue;
      }
      try {
        await options.client.send(
          new PublishCommand({
            TopicArn: options.topicArn,
            Subject: `${alert.status} ${alert.detector} on ${alert.machineId}`.slice(0, 100),
            Message: JSON.stringify(alert),
            MessageAttributes: {
              machine: { DataType: 'String', StringValue: `${alert.factoryId}/${alert.lineId}/${alert.machineId}` },
              detector: { DataType: 'String', StringValue: alert.detector },
              status: { DataType: 'String', StringValue: alert.status },
            },
          }),
        );
      } catch (error) {
        const name = (error as Error).name;
        const reason = `SNS Publish of alert ${alert.alertId} to ${options.topicArn} failed: ${name}: ${(error as Error).message}`;
        rejected.push({ item: alert, retryable: RETRYABLE.has(name), reason });
        if (RETRYABLE.has(name)) stopped = `an alert before it failed (${reason})`;
      }
    }
    return { accepted: alerts.length - rejected.length, rejected };
  },
});
