// How each simulated machine behaves over the shift: its states (breakdowns, micro-stops, a
// changeover, breaks), its production and its sensors, with the faults a demo should show.
import type { MachineState } from '../../domain/wire/messages.ts';
import type { MachineEntry } from '../../domain/site/siteRegistry.ts';
import type { Random } from './simulatorRandom.ts';

export type StateSpan = { readonly from: number; readonly state: MachineState; readonly reason: string | null };

/** Faults given to particular machines, so that every detector and every OEE loss shows in the sample. */
export type Faults = {
  readonly temperatureDrift?: boolean;
  readonly toolWearOut?: { readonly failAt: number };
  readonly stuckSensor?: { readonly metric: string; readonly from: number; readonly to: number };
  readonly silence?: { readonly from: number; readonly to: number };
  readonly pressureSpike?: { readonly at: number };
  readonly counterResetAt?: number;
  readonly lateBatch?: { readonly from: number; readonly to: number };
  readonly imperialUnits?: boolean;
};

const MIN = 60_000;

/** Tool life in minutes of cutting: a clean machine's tool is changed at this wear (a planned tool change). */
export const TOOL_LIFE_MIN = 200;
/** The worn-out tool breaks at this wear (AI4I 2020: tool wear failures fall between 200 and 240 min). */
export const TOOL_BREAKS_AT_MIN = 240;
const TORQUE_RISES_FROM_MIN = 140;
const TORQUE_PER_WEAR_NM = 0.19;
const REPAIR_MS = 25 * MIN;

/**
 * The tool wear of each telemetry step, in minutes of cutting. A clean machine's tool is changed when
 * it reaches TOOL_LIFE_MIN. A machine with `toolWearOut` runs its tool past that life: the tool is
 * fitted so that it has TOOL_BREAKS_AT_MIN of cutting when it fails at `failAt`, and the repair after
 * the failure fits a new one. `initialMin` is the wear at the start of the recording.
 */
export const toolWear = (spans: readonly StateSpan[], faults: Faults, initialMin: number) => {
  const failAt = faults.toolWearOut?.failAt;
  if (failAt === undefined) {
    let wearMs = initialMin * MIN;
    return (_ts: number, running: boolean, stepMs: number): number => {
      if (running) wearMs = wearMs + stepMs >= TOOL_LIFE_MIN * MIN ? 0 : wearMs + stepMs;
      return wearMs / MIN;
    };
  }
  let runningMsToFailure = 0;
  spans.forEach((span, i) => {
    const end = Math.min(spans[i + 1]?.from ?? failAt, failAt);
    if (span.state === 'RUNNING' && end > span.from) runningMsToFailure += end - span.from;
  });
  // After this much cutting the worn-out tool was fitted (negative: it was already in at the start).
  const fittedAfterMs = runningMsToFailure - TOOL_BREAKS_AT_MIN * MIN;
  let wearMs = Math.max(0, -fittedAfterMs);
  let fitted = fittedAfterMs <= 0;
  let runningMs = 0;
  return (ts: number, running: boolean, stepMs: number): number => {
    if (ts === failAt + REPAIR_MS) wearMs = 0;
    if (running) {
      runningMs += stepMs;
      wearMs += stepMs;
      if (!fitted && runningMs >= fittedAfterMs) {
        wearMs = runningMs - fittedAfterMs;
        fitted = true;
      }
    }
    return wearMs / MIN;
  };
};

/** State spans over [start, end): RUNNING by default, planned stops outside planned time, and random losses. */
export const stateSpans = (
  random: Random,
  planned: readonly { startMs: number; endMs: number }[],
  start: number,
  end: number,
  faults: Faults,
): StateSpan[] => {
  const spans: StateSpan[] = [];
  let cursor = start;
  for (const interval of planned) {
    if (interval.startMs > cursor) spans.push({ from: cursor, state: 'PLANNED_STOP', reason: 'break' });
    spans.push(...runningWithLosses(random, Math.max(cursor, interval.startMs), interval.endMs));
    cursor = interval.endMs;
  }
  if (cursor < end) spans.push({ from: cursor, state: 'PLANNED_STOP', reason: 'off_shift' });
  if (faults.toolWearOut !== undefined) {
    const at = faults.toolWearOut.failAt;
    const after = spans.filter((s) => s.from < at + REPAIR_MS && s.from > at);
    const kept = spans.filter((s) => s.from <= at || s.from >= at + REPAIR_MS);
    const resume = after.length > 0 ? after[after.length - 1]! : spans.filter((s) => s.from <= at).pop()!;
    kept.push({ from: at, state: 'DOWN', reason: 'tool_failure' }, { ...resume, from: at + REPAIR_MS });
    return kept.sort((a, b) => a.from - b.from);
  }
  return spans;
};

const runningWithLosses = (random: Random, from: number, to: number): StateSpan[] => {
  const spans: StateSpan[] = [{ from, state: 'RUNNING', reason: null }];
  let t = from + random.between(10, 40) * MIN;
  while (t < to - 5 * MIN) {
    const roll = random.next();
    const [state, reason, minutes] =
      roll < 0.55
        ? (['IDLE', 'micro_stop', random.between(0.4, 1.6)] as const)
        : roll < 0.8
          ? (['DOWN', random.chance(0.5) ? 'jam' : 'no_material', random.between(4, 18)] as const)
          : roll < 0.9
            ? (['SETUP', 'changeover', random.between(8, 15)] as const)
            : (['DOWN', null, random.between(3, 8)] as const);
    const stopEnd = Math.min(to, t + minutes * MIN);
    spans.push({ from: t, state, reason }, { from: stopEnd, state: 'RUNNING', reason: null });
    t = stopEnd + random.between(15, 70) * MIN;
  }
  return spans;
};

export const stateAt = (spans: readonly StateSpan[], ts: number): StateSpan => {
  let current = spans[0]!;
  for (const span of spans) {
    if (span.from > ts) break;
    current = span;
  }
  return current;
};

/** Sensor values at `ts` in canonical units; `progress` runs 0 → 1 over the shift. */
export const sensorValues = (
  machine: MachineEntry,
  random: Random,
  state: MachineState,
  progress: number,
  faults: Faults,
  toolWearMin: number,
): Record<string, number> => {
  const running = state === 'RUNNING';
  const noise = (scale: number): number => (random.next() - 0.5) * 2 * scale;
  switch (machine.type) {
    case 'press':
      return {
        pressure: running ? 25_000 + noise(1_500) : 600 + noise(50),
        vibration: running ? 3 + noise(0.8) : 0.3 + noise(0.1),
      };
    case 'robot':
      return {
        power: running ? 9.5 + noise(1.5) : 1.2 + noise(0.2),
        vibration: running ? 4 + noise(1) : 0.4 + noise(0.1),
      };
    default: {
      const drift = faults.temperatureDrift === true ? Math.max(0, progress - 0.55) * 75 : 0;
      // A dull tool cuts with more force: torque climbs once the tool is past its usual life, so wear ×
      // torque crosses the overstrain limit (AI4I 2020: 12,000 min·Nm for M) some 15 minutes of cutting
      // before the tool breaks, while power stays under the 9 kW that would read as a power failure.
      const wearTorque =
        faults.toolWearOut !== undefined ? Math.max(0, toolWearMin - TORQUE_RISES_FROM_MIN) * TORQUE_PER_WEAR_NM : 0;
      return {
        spindle_temp: (running ? 68 : 35) + drift + noise(0.8),
        vibration: running ? 2.6 + noise(0.6) : 0.2 + noise(0.05),
        spindle_speed: running ? 1500 + noise(40) : Math.abs(noise(3)),
        torque: running ? 38 + wearTorque + noise(3) : 0,
        tool_wear: toolWearMin,
        air_temp: 299.5 + noise(0.3),
        process_temp: 309.8 + noise(0.3),
      };
    }
  }
};
