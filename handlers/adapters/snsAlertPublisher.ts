// Alerts to an SNS standard topic: one Publish per alert (subscribers filter on the machine and
// detector MessageAttributes); standard topics need no MessageDeduplicationId.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert, AlertPublisher } from '../ports/alertPublisher.ts';
import type { Rejected } from '../ports/writeReport.ts';

const RETRYABLE = new Set(['ThrottledException', 'InternalErrorException', 'KMSThrottlingException', 'TimeoutError']);

export const snsAlertPublisher = (options: { readonly client: SNSClient; readonly topicArn: string }): AlertPublisher => ({
  publish: async (alerts) => {
    const rejected: Rejected<Alert>[] = [];
    for (const alert of alerts) {
      try {
        await options.client.send(new PublishCommand({ TopicArn: options.topicArn,
          Subject: `${alert.status} ${alert.detector} on ${alert.machineId}`.slice(0, 100),
          Message: JSON.stringify(alert),
          MessageAttributes: {
            machine: { DataType: 'String', StringValue: `${alert.factoryId}/${alert.lineId}/${alert.machineId}` },
            detector: { DataType: 'String', StringValue: alert.detector },
            status: { DataType: 'String', StringValue: alert.status },
          } }));
      } catch (error) {
        const name = (error as Error).name;
        rejected.push({ item: alert, retryable: RETRYABLE.has(name), reason: `SNS Publish of alert ${alert.alertId} to ${options.topicArn} failed: ${name}: ${(error as Error).message}` });
      }
    }
    return { accepted: alerts.length - rejected.length, rejected };
  },
});
