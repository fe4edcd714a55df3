// One suite, every timer scheduler: one timer per machine key and kind, moved by a second schedule,
// gone after cancel, and cancel of a missing timer is fine.
import type { TestFn } from 'ava';
import type { Timer, TimerScheduler } from './timerScheduler.ts';

export type TimerSchedulerUnderTest = {
  readonly scheduler: TimerScheduler;
  readonly pending: () => Promise<readonly Timer[]>;
  readonly close: () => Promise<void>;
};

const heartbeat = (machineKey: string, fireAt: number): Timer => ({
  machineKey,
  kind: 'heartbeat',
  fireAt,
  payload: { machineKey, lastSeen: fireAt - 300_000 },
});

export const timerSchedulerContract = (
  test: TestFn,
  name: string,
  make: () => Promise<TimerSchedulerUnderTest>,
): void => {
  test(`${name}: scheduling twice moves the one timer; cancel removes it; cancelling again is fine`, async (t) => {
    const { scheduler, pending, close } = await make();
    await scheduler.schedule(heartbeat('f1/l1/press-01', 1_700_000_300_000));
    await scheduler.schedule(heartbeat('f1/l1/lathe-02', 1_700_000_400_000));
    await scheduler.schedule(heartbeat('f1/l1/press-01', 1_700_000_600_000));
    t.deepEqual(
      [...(await pending())].sort((a, b) => a.fireAt - b.fireAt),
      [heartbeat('f1/l1/lathe-02', 1_700_000_400_000), heartbeat('f1/l1/press-01', 1_700_000_600_000)],
    );
    await scheduler.cancel('f1/l1/press-01', 'heartbeat');
    await scheduler.cancel('f1/l1/press-01', 'heartbeat');
    t.deepEqual(
      (await pending()).map((p) => p.machineKey),
      ['f1/l1/lathe-02'],
    );
    await close();
  });
};
