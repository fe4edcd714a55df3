// Alerts are a projection of a machine's settled events (docs/processing.md): each settled event is one input
// to the machine's detectors, in time order, so a replay raises the same alerts at the same times.
import type { AlertEvent, DetectorInput } from '../detectors/detector.ts';
import { stepAlertDedup, type AlertDedupState } from './alertDedup.ts';
import type { DetectorSpec } from '../detectors/detectorSpec.ts';
import { runDetectors, type DetectorOptions, type DetectorsState } from '../detectors/runDetectors.ts';
import type { MachineEvent } from '../machine/events.ts';

export type AlertProjectionConfig = {
  readonly detectors: readonly DetectorSpec[];
  readonly allowedLatenessMs: number;
  /** The failure model and metric units `maintenance` detectors need (not part of the site file). */
  readonly options?: DetectorOptions;
};

/** The input a settled event gives the detectors; a clock tick reaches only as far as what has settled. */
const inputOf = (config: AlertProjectionConfig, event: MachineEvent): DetectorInput | null => {
  switch (event.type) {
    case 'SampleRecorded':
      return { kind: 'sample', ts: event.ts, messageId: event.messageId, metrics: event.metrics };
    case 'StateChanged':
    case 'StateConfirmed':
    case 'CountsAdvanced':
      return { kind: 'heard', ts: event.ts, messageId: event.messageId };
    case 'ClockAdvanced':
      return { kind: 'tick', ts: event.ts - config.allowedLatenessMs };
    case 'WindowClosed':
      return { kind: 'tick', ts: event.ts };
    default:
      return null;
  }
};

export const alertProjection = (config: AlertProjectionConfig) => {
  const detectors = runDetectors(config.detectors, config.options);
  const step = (state: DetectorsState, event: MachineEvent): readonly [DetectorsState, readonly AlertEvent[]] => {
    const input = inputOf(config, event);
    return input === null ? [state, []] : detectors.step(state, input);
  };
  return { initialState: detectors.initialState, step };
};

export type AlertRecord = {
  readonly detector: string;
  readonly raisedAt: number;
  readonly clearedAt: number | null;
  readonly cause: string;
  readonly clearCause: string | null;
  readonly trigger: Extract<AlertEvent, { type: 'DetectorRaised' }>['trigger'];
  /** `edge` when the gateway raised it first. */
  readonly origin?: 'edge';
};

/**
 * Raised/cleared events paired into alerts with their lifecycle, in the order they were raised; the
 * gateway's and the machine's decisions of the same alert are one alert (alertDedup.ts).
 */
export const alertLifecycles = (events: readonly AlertEvent[]): readonly AlertRecord[] => {
  const records: AlertRecord[] = [];
  const open = new Map<string, number>();
  let dedup: AlertDedupState = {};
  for (const event of events) {
    const [next, changes] = stepAlertDedup(dedup, event);
    dedup = next;
    if (!changes) continue;
    if (event.type === 'DetectorRaised') {
      open.set(event.detector, records.length);
      records.push({
        detector: event.detector,
        raisedAt: event.ts,
        clearedAt: null,
        cause: event.cause,
        clearCause: null,
        trigger: event.trigger,
        ...(event.origin === undefined ? {} : { origin: event.origin }),
      });
    } else {
      const index = open.get(event.detector)!;
      records[index] = { ...records[index]!, clearedAt: event.ts, clearCause: event.cause };
      open.delete(event.detector);
    }
  }
  return records;
};
