// Runs a list of commands through the decider and gathers every event: how the tests and the fold benchmark
// drive one machine without a pipeline around it (the pipeline runs machineStream.ts, a command at a time).
import { machineDecider, type MachineCommand, type MachineDeciderConfig, type MachineDeciderState } from './decider.ts';
import type { MachineEvent } from './events.ts';

export type MachineRun = { readonly state: MachineDeciderState; readonly events: readonly MachineEvent[] };

export const runMachine = (
  config: MachineDeciderConfig,
  commands: Iterable<MachineCommand>,
  from?: MachineDeciderState,
): MachineRun => {
  const decider = machineDecider(config);
  let state = from ?? decider.initialState;
  const events: MachineEvent[] = [];
  for (const command of commands) {
    const run = decider.decideAndEvolve(command, state);
    state = run.state;
    // One push per event: a spread push per command showed in the fold's profile (a call with variable arguments).
    for (const event of run.events) events.push(event);
  }
  return { state, events };
};
