// One machine's stream as the pipeline runs it: the decider decides, and the alert projection turns
// what settled into raised and cleared alerts, which join the stream as its own events. The OEE
// projection is folded from the same events wherever OEE is read.
import { alertProjection, type AlertProjectionConfig } from '../alerts/alertProjection.ts';
import type { DetectorsState } from '../detectors/runDetectors.ts';
import {
  machineDecider,
  type MachineCommand,
  type MachineDeciderConfig,
  type MachineDeciderState,
} from '../machine/decider.ts';
import type { MachineEvent } from '../machine/events.ts';
import type { OeeConfig } from '../oee/oeeProjection.ts';

export type MachineStreamConfig = {
  readonly machine: MachineDeciderConfig;
  readonly alerts: AlertProjectionConfig;
  readonly oee: OeeConfig;
  readonly idealCycleTimeS: number;
  /** The ideal cycle time of each product the machine makes (a `job` names the current one). */
  readonly productCycleTimesS?: Readonly<Record<string, number>>;
};

export type MachineStreamState = { readonly decider: MachineDeciderState; readonly detectors: DetectorsState };

export const initialStreamState = (config: MachineStreamConfig): MachineStreamState => ({
  decider: machineDecider(config.machine).initialState,
  detectors: alertProjection(config.alerts).initialState,
});

export type MachineStream = {
  readonly initialState: MachineStreamState;
  /** The events a command adds to the stream (decided and alert events, in order) and the state after them. */
  readonly handle: (
    command: MachineCommand,
    state: MachineStreamState,
  ) => { readonly state: MachineStreamState; readonly events: readonly MachineEvent[] };
  /** The state a stored stream folds to; alert events are outputs, recomputed rather than read back. */
  readonly fold: (events: Iterable<MachineEvent>, from?: MachineStreamState) => MachineStreamState;
};

export const machineStream = (config: MachineStreamConfig): MachineStream => {
  const alerts = alertProjection(config.alerts);
  const decider = machineDecider(config.machine);
  const initial = initialStreamState(config);

  const handle: MachineStream['handle'] = (command, state) => {
    // The decider hands back the state it reached while deciding, so its events are not evolved twice.
    const decided = decider.decideAndEvolve(command, state.decider);
    let detectors = state.detectors;
    const events: MachineEvent[] = [];
    for (const event of decided.events) {
      events.push(event);
      const [nextDetectors, alertEvents] = alerts.step(detectors, event);
      detectors = nextDetectors;
      if (alertEvents.length > 0) events.push(...alertEvents);
    }
    return { state: { decider: decided.state, detectors }, events };
  };

  const fold: MachineStream['fold'] = (events, from = initial) => {
    let deciderState = from.decider;
    let detectors = from.detectors;
    for (const event of events) {
      if (event.type === 'DetectorRaised' || event.type === 'DetectorCleared') continue;
      deciderState = decider.evolve(deciderState, event);
      detectors = alerts.step(detectors, event)[0];
    }
    return { decider: deciderState, detectors };
  };

  return { initialState: initial, handle, fold };
};
