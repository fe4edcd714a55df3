// Runs commands through the decider: decide, then evolve by what was decided. The same loop serves
// the Lambda handler, the local stack and the tests, so all three fold a stream the same way.
import { decide, evolve, initialState, type MachineCommand, type MachineConfig, type MachineDeciderState } from './decider.ts';
import type { MachineEvent } from './events.ts';

export type MachineRun = { readonly state: MachineDeciderState; readonly events: readonly MachineEvent[] };

export const handleCommand = (config: MachineConfig, state: MachineDeciderState, command: MachineCommand): MachineRun => {
  const events = decide(config)(command, state);
  let next = state;
  for (const event of events) next = evolve(next, event);
  return { state: next, events };
};

export const runMachine = (config: MachineConfig, commands: Iterable<MachineCommand>, from: MachineDeciderState = initialState): MachineRun => {
  let state = from;
  const events: MachineEvent[] = [];
  for (const command of commands) {
    const run = handleCommand(config, state, command);
    state = run.state;
    events.push(...run.events);
  }
  return { state, events };
};
