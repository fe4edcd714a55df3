import test from 'ava';
import { sampleAlert } from '../ports/alertPublisher.contract.ts';
import { notificationsOf } from './notifyAlerts.ts';

const snsEvent = (messages: string[]) => ({
  Records: messages.map((Message, i) => ({ Sns: { MessageId: `sns-${i}`, Message } })),
});

test('notify: each alert becomes one readable notification; a repeated alert id is sent once; a bad message is reported', (t) => {
  const raised = sampleAlert(1);
  const { notifications, problems } = notificationsOf(
    snsEvent([
      JSON.stringify(raised),
      JSON.stringify(raised),
      JSON.stringify(sampleAlert(1, 'CLEARED')),
      'not json',
      '{"alertId":"x"}',
    ]),
  );
  t.deepEqual(
    notifications.map((n) => n.subject),
    ['[ALERT] press-01: threshold:spindle_temp', '[cleared] press-01: threshold:spindle_temp'],
  );
  t.is(
    notifications[0]!.text,
    [
      'Raised: threshold:spindle_temp on f1 / l1 / press-01',
      'When: 2023-11-14T22:13:20.001Z',
      'Why: spindle_temp above 90 degC on press-01',
      'Alert id: a-1-RAISED',
    ].join('\n'),
  );
  t.is(problems.length, 2);
  t.regex(problems[0]!, /sns-3: alert message is not JSON/);
  t.regex(problems[1]!, /sns-4: alert message lacks factoryId, lineId, machineId, detector, status, at, message/);
});
