// Alert fan-out for people: each alert the process or timer function published to the alert topic
// becomes one readable notification (subject and text) on the notification topic (e-mail, chat).
import * as E from 'fp-ts/lib/Either.js';
import type { Alert } from '../ports/alertPublisher.ts';

/** The parts of `aws-lambda`'s SNSEvent that are read. */
export type SnsEvent = {
  readonly Records: readonly { readonly Sns: { readonly MessageId: string; readonly Message: string } }[];
};

export type Notification = { readonly subject: string; readonly text: string; readonly dedupKey: string };

export const decodeAlert = (message: string): E.Either<string, Alert> => {
  try {
    const a = JSON.parse(message) as Partial<Alert>;
    const missing = (
      ['alertId', 'factoryId', 'lineId', 'machineId', 'detector', 'status', 'at', 'message'] as const
    ).filter((k) => a[k] === undefined);
    return missing.length > 0
      ? E.left(`alert message lacks ${missing.join(', ')}; expected the JSON snsAlertPublisher sends`)
      : E.right(a as Alert);
  } catch (error) {
    return E.left(`alert message is not JSON: ${(error as Error).message}`);
  }
};

/** SNS subjects hold at most 100 ASCII characters, no line breaks. */
export const notificationOf = (a: Alert): Notification => {
  const verb = a.status === 'RAISED' ? 'ALERT' : 'cleared';
  const where = `${a.factoryId} / ${a.lineId} / ${a.machineId}`;
  const subject = `[${verb}] ${a.machineId}: ${a.detector}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
  const text = [
    `${a.status === 'RAISED' ? 'Raised' : 'Cleared'}: ${a.detector} on ${where}`,
    `When: ${new Date(a.at).toISOString()}`,
    `Why: ${a.message}`,
    `Alert id: ${a.alertId}`,
  ].join('\n');
  return { subject, text, dedupKey: a.alertId };
};

export const notificationsOf = (event: SnsEvent): { notifications: Notification[]; problems: string[] } => {
  const notifications: Notification[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const record of event.Records) {
    const alert = decodeAlert(record.Sns.Message);
    if (E.isLeft(alert)) problems.push(`SNS message ${record.Sns.MessageId}: ${alert.left}`);
    else if (!seen.has(alert.right.alertId)) {
      seen.add(alert.right.alertId);
      notifications.push(notificationOf(alert.right));
    }
  }
  return { notifications, problems };
};
