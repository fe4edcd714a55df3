import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { timerSchedulerContract } from '../ports/timerScheduler.contract.ts';
import type { Timer } from '../ports/timerScheduler.ts';
import { startFakeScheduler } from '../testing/fakes/eventBridgeScheduler.ts';
import { atExpression, scheduleName, schedulerTimerScheduler } from './schedulerTimerScheduler.ts';

const setup = async () => {
  const fake = await startFakeScheduler();
  const client = new SchedulerClient({
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const scheduler = schedulerTimerScheduler({
    client,
    targetArn: 'arn:aws:lambda:us-east-1:000000000000:function:timer',
    roleArn: 'arn:aws:iam::000000000000:role/scheduler',
  });
  return {
    fake,
    scheduler,
    close: async () => {
      client.destroy();
      await fake.close();
    },
  };
};

timerSchedulerContract(test, 'eventbridge scheduler timers', async () => {
  const { fake, scheduler, close } = await setup();
  return {
    scheduler,
    close,
    pending: async () => [...fake.schedules.values()].map((s) => JSON.parse(s.Target.Input!) as Timer),
  };
});

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
testProp(
  'schedule names are valid for Scheduler and differ for different machines',
  [id, id, id, id],
  (t, f, l, m, other) => {
    const name = scheduleName(`${f}/${l}/${m}`, 'heartbeat');
    t.regex(name, /^[0-9a-zA-Z_.-]{1,64}$/);
    t.is(scheduleName(`${f}/${l}/${m}`, 'heartbeat'), name);
    if (other !== m) t.not(scheduleName(`${f}/${l}/${other}`, 'heartbeat'), name);
  },
  { numRuns: 300 },
);

test('eventbridge scheduler timers: a one-time UTC schedule that deletes itself, never firing early', async (t) => {
  const { fake, scheduler, close } = await setup();
  await scheduler.schedule({
    machineKey: 'f1/l1/press-01',
    kind: 'heartbeat',
    fireAt: Date.UTC(2026, 0, 2, 3, 4, 5, 1),
    payload: {},
  });
  const schedule = fake.schedules.get('heartbeat.f1.l1.press-01')!;
  t.is(schedule.ScheduleExpression, 'at(2026-01-02T03:04:06)');
  t.is(schedule.ActionAfterCompletion, 'DELETE');
  t.is(schedule.ScheduleExpressionTimezone, 'UTC');
  t.deepEqual(
    fake.requests.map((r) => r.method),
    ['POST'],
  );
  await scheduler.schedule({
    machineKey: 'f1/l1/press-01',
    kind: 'heartbeat',
    fireAt: Date.UTC(2026, 0, 2, 3, 9, 0),
    payload: {},
  });
  t.deepEqual(
    fake.requests.map((r) => r.method),
    ['POST', 'POST', 'PUT'],
    'ConflictException turns the create into an update',
  );
  t.is(atExpression(Date.UTC(2026, 0, 2, 3, 9, 0)), 'at(2026-01-02T03:09:00)');
  await close();
});
