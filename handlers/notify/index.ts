// The notify function (infra/processing.ts), subscribed to the alert topic.
import { Logger } from '@aws-lambda-powertools/logger';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { requireEnv } from '../lambdaEnvironment.ts';
import { notificationsOf, type SnsEvent } from './notifyAlerts.ts';

const logger = new Logger({ serviceName: 'notify' });
let client: SNSClient | undefined;

export const handler = async (event: SnsEvent) => {
  const topicArn = requireEnv(process.env, 'NOTIFICATION_TOPIC_ARN');
  client ??= new SNSClient({});
  const { notifications, problems } = notificationsOf(event);
  for (const problem of problems) logger.error(problem);
  // A failed publish throws: SNS retries the Lambda delivery, and the alert id lets readers dedup.
  for (const n of notifications)
    await client.send(new PublishCommand({ TopicArn: topicArn, Subject: n.subject, Message: n.text }));
  logger.info('notifications sent', { count: notifications.length });
};
