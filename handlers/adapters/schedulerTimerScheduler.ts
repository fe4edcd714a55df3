// Timers as EventBridge Scheduler one-time schedules: at(yyyy-mm-ddThh:mm:ss) in UTC, deleted by the
// service after they fire (ActionAfterCompletion DELETE), named deterministically from machine key
// and kind so a re-schedule finds the same schedule (create; on ConflictException, update).
import { createHash } from 'node:crypto';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { Timer, TimerScheduler } from '../ports/timerScheduler.ts';

const NAME_MAX = 64;
const INVALID = /[^0-9a-zA-Z_.-]/g;

/** A Scheduler name (^[0-9a-zA-Z-_.]+$, ≤ 64): readable when it fits, else prefix + a hash of the whole key. */
export const scheduleName = (machineKey: string, kind: string): string => {
  const readable = `${kind}.${machineKey}`.replace(/\//g, '.').replace(INVALID, '_');
  if (readable.length <= NAME_MAX) return readable;
  const hash = createHash('sha256').update(`${kind}\u0000${machineKey}`).digest('hex').slice(0, 16);
  return `${readable.slice(0, NAME_MAX - hash.length - 1)}-${hash}`;
};

/** at() takes whole seconds; rounding up means a timer never fires before its time. */
export const atExpression = (fireAt: number): string =>
  `at(${new Date(Math.ceil(fireAt / 1000) * 1000).toISOString().slice(0, 19)})`;

export type SchedulerTimerOptions = {
  readonly client: SchedulerClient;
  /** The timer handler Lambda and the role Scheduler assumes to invoke it. */
  readonly targetArn: string;
  readonly roleArn: string;
  readonly groupName?: string;
};

export const schedulerTimerScheduler = (options: SchedulerTimerOptions): TimerScheduler => {
  const { client, targetArn, roleArn, groupName } = options;
  const definition = (timer: Timer) => ({
    Name: scheduleName(timer.machineKey, timer.kind),
    GroupName: groupName,
    ScheduleExpression: atExpression(timer.fireAt),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    ActionAfterCompletion: 'DELETE' as const,
    Target: { Arn: targetArn, RoleArn: roleArn, Input: JSON.stringify(timer) },
  });
  return {
    schedule: async (timer) => {
      try {
        await client.send(new CreateScheduleCommand(definition(timer)));
      } catch (error) {
        if (!(error instanceof ConflictException)) throw error;
        await client.send(new UpdateScheduleCommand(definition(timer)));
      }
    },
    cancel: async (machineKey, kind) => {
      try {
        await client.send(new DeleteScheduleCommand({ Name: scheduleName(machineKey, kind), GroupName: groupName }));
      } catch (error) {
        // Already fired (and deleted by the service) or never made: either way there is nothing to cancel.
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    },
  };
};
