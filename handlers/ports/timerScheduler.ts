// One-shot timers (heartbeat timeouts): EventBridge Scheduler in the cloud, a polled table locally.
export type Timer = {
  /** The stream the timer belongs to, `factory/line/machine` (wire/topic.ts machineKey). */
  readonly machineKey: string;
  /** What the timer is for, e.g. "heartbeat"; one timer per machine key and kind. */
  readonly kind: string;
  /** Epoch milliseconds. */
  readonly fireAt: number;
  /** Handed back to the timer handler when it fires. */
  readonly payload: Readonly<Record<string, unknown>>;
};

export interface TimerScheduler {
  /** Creates the timer, or moves it if one of the same machine key and kind exists. */
  schedule(timer: Timer): Promise<void>;
  /** Removes the timer; cancelling a timer that does not exist (already fired) is not an error. */
  cancel(machineKey: string, kind: string): Promise<void>;
}
