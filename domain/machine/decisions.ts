// What a machine's stream keeps of the events its decider and detectors produce: the decisions
// (window opened and closed, state changed, counts advanced, job started, heartbeat missed, data heard again
// after a gap, alert raised or cleared, a reading refused). A reading's acceptance, a sample, a
// confirmation of an unchanged state and a clock tick are not kept: the reading's one durable record
// is the telemetry sink, and what the decider must remember of it is in the machine's checkpoint.
//
// Every projection of the stream (OEE, the dashboard's timeline) folds the decisions to the same state
// as all the events, because a sample or a confirmation changes a projection only when it is the first
// sign of life after a heartbeat gap, and that one is kept (decisions.test.ts holds this as a law).
import type { MachineEvent } from './events.ts';

/** Events that are always decisions. */
const ALWAYS: ReadonlySet<MachineEvent['type']> = new Set([
  'WindowOpened',
  'WindowClosed',
  'StateChanged',
  'CountsAdvanced',
  'JobStarted',
  'HeartbeatMissed',
  'DetectorRaised',
  'DetectorCleared',
  'ObservationTooLate',
  'OeeWindowsFinal',
]);

/** Events that say the machine was heard: the first of them after a missed heartbeat ends the gap. */
const HEARD: ReadonlySet<MachineEvent['type']> = new Set([
  'StateChanged',
  'StateConfirmed',
  'CountsAdvanced',
  'SampleRecorded',
  'JobStarted',
]);

/**
 * The decisions among `events`, in order. `inGap`: whether the machine was in a heartbeat gap before
 * them (its decider state's `heartbeatMissed`).
 */
export const decisionsOf = (events: readonly MachineEvent[], inGap: boolean): MachineEvent[] => {
  const decisions: MachineEvent[] = [];
  let gap = inGap;
  for (const event of events) {
    if (ALWAYS.has(event.type) || (gap && HEARD.has(event.type))) decisions.push(event);
    if (event.type === 'HeartbeatMissed') gap = true;
    else if (HEARD.has(event.type)) gap = false;
  }
  return decisions;
};
