// Runs commands through the decider: decide, and evolve by what was decided. The same loop serves
// the Lambda handler, the local stack and the tests, so all three fold a stream the same way.
import {
  decideAndEvolve,
  initialState,
  type MachineCommand,
  type MachineDeciderConfig,
  type MachineDeciderState,
} from './decider.ts';
import type { MachineEvent } from './events.ts';

export type MachineRun = { readonly state: MachineDeciderState; readonly events: readonly MachineEvent[] };

// decideAndEvolve gives the state the events evolve to as it decides them: evolving them again here
// would repeat every copy of the pending buffer. The laws in decider.test.ts hold it to the fold.
export const handleCommand = (
  config: MachineDeciderConfig,
  state: MachineDeciderState,
  command: MachineCommand,
): MachineRun => decideAndEvolve(config)(command, state);

export const runMachine = (
  config: MachineDeciderConfig,
  commands: Iterable<MachineCommand>,
  from: MachineDeciderState = initialState,
): MachineRun => {
  const step = decideAndEvolve(config);
  let state = from;
  const events: MachineEvent[] = [];
  for (const command of commands) {
    const run = step(command, state);
    state = run.state;
    // One push per event: a spread push per command showed in the fold's profile (a call with variable arguments).
    for (const event of run.events) events.push(event);
  }
  return { state, events };
};
