// The AWS adapters of the rarely used ports, each loaded with its SDK client at its first non-empty
// write (onFirstUse.ts): the SNS publisher of alerts and the SQS queue of dead letters. Only
// dynamic imports here, so a bundle that includes this file loads neither SDK at init.
import type { AlertPublisher } from '../ports/alertPublisher.ts';
import type { DeadLetterQueue } from '../ports/deadLetterQueue.ts';
import { alertPublisherOnFirstUse, deadLetterQueueOnFirstUse } from './onFirstUse.ts';

export const snsAlertPublisherOnFirstUse = (topicArn: string): AlertPublisher =>
  alertPublisherOnFirstUse(async () => {
    const [{ SNSClient }, { snsAlertPublisher }] = await Promise.all([
      import('@aws-sdk/client-sns'),
      import('./snsAlertPublisher.ts'),
    ]);
    return snsAlertPublisher({ client: new SNSClient({}), topicArn });
  });

export const sqsDeadLetterQueueOnFirstUse = (queueUrl: string): DeadLetterQueue =>
  deadLetterQueueOnFirstUse(async () => {
    const [{ SQSClient }, { sqsDeadLetterQueue }] = await Promise.all([
      import('@aws-sdk/client-sqs'),
      import('./sqsDeadLetterQueue.ts'),
    ]);
    return sqsDeadLetterQueue({ client: new SQSClient({}), queueUrl });
  });
