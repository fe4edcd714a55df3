// The domain fold alone: each machine's observations through the decider (decide + evolve,
// runMachine.ts) and its events through the OEE projection (foldOee), in memory, no I/O. Events per
// second counts every event the decider produced and the projection folded.
import type { MachineCommand } from '../domain/machine/decider.ts';
import { runMachine } from '../domain/machine/runMachine.ts';
import { foldOee } from '../domain/oee/oeeProjection.ts';
import type { MachineObservations } from './foldObservations.ts';

export type FoldBench = { readonly events: number; readonly eventsPerS: number; readonly deciderShare: number };

const commandsOf = (m: MachineObservations): MachineCommand[] => {
  const first = m.observations[0]?.ts ?? 0;
  const last = m.observations.reduce((newest, o) => Math.max(newest, o.ts), first);
  return [
    { kind: 'Open', ts: first },
    ...m.observations.map((observation): MachineCommand => ({ kind: 'Observe', observation })),
    { kind: 'Close', ts: last + 1 },
  ];
};

/** Best of `rounds` passes over every machine (a shared machine only ever slows a pass down). */
export const benchFold = (machines: readonly MachineObservations[], rounds = 5): FoldBench => {
  const commands = machines.map((m) => ({ config: m.config, commands: commandsOf(m) }));
  let best = { ms: Infinity, deciderMs: 0, events: 0 };
  for (let round = 0; round < rounds; round++) {
    let deciderMs = 0;
    let events = 0;
    const start = performance.now();
    for (const { config, commands: stream } of commands) {
      const decided = performance.now();
      const run = runMachine(config.machine, stream);
      deciderMs += performance.now() - decided;
      foldOee(config.oee, run.events);
      events += run.events.length;
    }
    const ms = performance.now() - start;
    if (ms < best.ms) best = { ms, deciderMs, events };
  }
  return { events: best.events, eventsPerS: best.events / (best.ms / 1000), deciderShare: best.deciderMs / best.ms };
};
