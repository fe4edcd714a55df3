// Example tests of a decider written as given / when / then (after emmett's DeciderSpecification): the
// events a stream already holds, one command, and the events it decides. Not imported by production code.
import type { ExecutionContext } from 'ava';

type Decider<Command, Event, State> = {
  readonly initialState: State;
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
};

export const deciderSpecification =
  <Command, Event, State>(decider: Decider<Command, Event, State>) =>
  (given: readonly Event[]) => ({
    when: (command: Command) => {
      const decided = (): readonly Event[] =>
        decider.decide(command, given.reduce(decider.evolve, decider.initialState));
      return {
        /** The decided events are exactly these, in this order. */
        then: (t: ExecutionContext, expected: readonly Event[]): void => {
          t.deepEqual(decided(), expected);
        },
        thenNothingHappened: (t: ExecutionContext): void => {
          t.deepEqual(decided(), []);
        },
        /** The decided events, for an assertion the two above cannot say (a reason matched by a pattern). */
        events: decided,
      };
    },
  });
