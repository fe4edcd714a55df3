// Memory per tracked machine: 10,000 machines' states (decider + OEE projection) held at once, the
// heap measured after a full GC before and after. Run in its own process with --expose-gc (bench/run.ts
// does): `node --expose-gc --import tsx bench/foldMemory.ts <recording>` prints one JSON line.
// Two moments: in flight (the decider holds the last allowed-lateness window of observations,
// unsettled) and settled (the clock has passed the lateness; only running totals remain).
import type { Observation } from '../domain/machine/observation.ts';
import { machineDecider, type MachineDeciderState } from '../domain/machine/decider.ts';
import { foldOee, type OeeProjectionState } from '../domain/oee/oeeProjection.ts';
import { loadSampleSite } from '../localstack/simulator/sampleRecording.ts';
import { observationsByMachine } from './foldObservations.ts';

export type FoldMemory = {
  readonly machines: number;
  readonly observationsEach: number;
  /** Readings the decider held unsettled at the in-flight moment (one allowed-lateness window). */
  readonly pendingEach: number;
  readonly inFlightBytes: number;
  readonly settledBytes: number;
};

const heapAfterGc = (): number => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('foldMemory needs node --expose-gc: run it through npm run bench');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};

/** A machine's own copy of the observations: 10,000 machines share no strings or objects. */
const copyFor = (observations: readonly Observation[], machine: number): Observation[] =>
  observations.map((o) =>
    o.kind === 'telemetry'
      ? { ...o, messageId: `${o.messageId}#${machine}`, metrics: { ...o.metrics } }
      : { ...o, messageId: `${o.messageId}#${machine}` },
  );

export const measureFoldMemory = async (recording: string, machines = 10_000, minutes = 15): Promise<FoldMemory> => {
  const site = loadSampleSite();
  const [source] = (await observationsByMachine(recording, site, 60_000))
    .filter((m) => m.observations.length > 0)
    .sort((a, b) => b.observations.length - a.observations.length);
  if (source === undefined) throw new Error(`${recording} has no machine observations`);
  const first = source.observations[0]!.ts;
  const window = source.observations.filter((o) => o.ts < first + minutes * 60_000);
  const newest = window.reduce((n, o) => Math.max(n, o.ts), first);
  const { machine: machineConfig, oee: oeeConfig } = source.config;

  const decider = machineDecider(machineConfig);
  type Held = { decider: MachineDeciderState; oee: OeeProjectionState };
  const before = heapAfterGc();
  const held: Held[] = [];
  for (let i = 0; i < machines; i++) {
    const opened = decider.decideAndEvolve({ kind: 'Open', ts: first }, decider.initialState);
    let oee = foldOee(oeeConfig, opened.events);
    let state = opened.state;
    for (const observation of copyFor(window, i)) {
      const run = decider.decideAndEvolve({ kind: 'Observe', observation }, state);
      state = run.state;
      oee = foldOee(oeeConfig, run.events, oee);
    }
    held.push({ decider: state, oee });
  }
  const inFlight = heapAfterGc();
  const pendingEach = held[0]!.decider.pending.reduce((n, bucket) => n + bucket.length, 0);
  for (const machine of held) {
    const run = decider.decideAndEvolve(
      { kind: 'AdvanceClock', ts: newest + machineConfig.allowedLatenessMs + 1 },
      machine.decider,
    );
    machine.decider = run.state;
    machine.oee = foldOee(oeeConfig, run.events, machine.oee);
  }
  const settled = heapAfterGc();
  if (held.length !== machines) throw new Error('unreachable: keeps the states alive until measured');
  return {
    machines,
    observationsEach: window.length,
    pendingEach,
    inFlightBytes: (inFlight - before) / machines,
    settledBytes: (settled - before) / machines,
  };
};

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await measureFoldMemory(process.argv[2]!))}\n`);
}
