// Where a direct replay's time goes, per message: the replay's stages run cumulatively on the same
// lines, each run adding one stage — read and parse, then the recording line's decode, then the
// payload's decode, enrichment and unit conversion, then the machine stream (decider, detectors,
// alerts) and the OEE fold, then everything the replay engine does (each machine's batch through the
// processing core and committed to SQLite). A stage's cost is the difference between a run with it
// and the run before.
import * as E from 'fp-ts/lib/Either.js';
import { evolveOee, initialOeeState, type OeeProjectionState } from '../domain/oee/oeeProjection.ts';
import { machineStream, type MachineStream, type MachineStreamState } from '../domain/pipeline/machineStream.ts';
import { streamConfigs } from '../domain/pipeline/machineStreamConfig.ts';
import { receiveWireMessage } from '../domain/pipeline/receiveMessage.ts';
import type { SiteConfig } from '../domain/site/siteConfig.ts';
import { siteRegistry } from '../domain/site/siteRegistry.ts';
import { recordingLines } from '../localstack/replay/recordingLines.ts';
import { decodeLine } from '../localstack/replay/replayRecording.ts';
import { directReplay } from './directReplayBench.ts';

export type StageCost = { readonly stage: string; readonly usPerMessage: number; readonly share: number };

type Runtime = {
  readonly stream: MachineStream;
  readonly step: (s: OeeProjectionState, e: Parameters<ReturnType<typeof evolveOee>>[1]) => OeeProjectionState;
  state: MachineStreamState;
  oee: OeeProjectionState;
};

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** One pass over the recording doing the stages up to `depth` (1 parse … 4 fold), in CPU ms. */
const pass = async (
  path: string,
  site: SiteConfig,
  depth: 1 | 2 | 3 | 4,
): Promise<{ ms: number; messages: number }> => {
  const registry = siteRegistry(site);
  const configFor = streamConfigs(site);
  const machines = new Map<string, Runtime>();
  for (const entry of registry.machines()) {
    const config = configFor(entry);
    const stream = machineStream(config);
    machines.set(`${entry.factory}/${entry.line}/${entry.machine}`, {
      stream,
      step: evolveOee(config.oee),
      state: stream.initialState,
      oee: initialOeeState,
    });
  }
  let opened = false;
  let messages = 0;
  const start = cpuMs();
  for await (const { line, text } of recordingLines(path)) {
    messages += 1;
    if (depth === 1) {
      try {
        JSON.parse(text);
      } catch {
        /* a malformed line */
      }
      continue;
    }
    const decoded = decodeLine(line, text);
    if (depth === 2 || decoded.kind === 'refused') continue;
    const received = receiveWireMessage(site, registry, decoded.topic, decoded.body);
    if (depth === 3 || E.isLeft(received) || !('observation' in received.right)) continue;
    const { machine, observation } = received.right;
    const runtime = machines.get(`${machine.factory}/${machine.line}/${machine.machine}`)!;
    const apply = (target: Runtime, command: Parameters<MachineStream['handle']>[0]): void => {
      const { state, events } = target.stream.handle(command, target.state);
      target.state = state;
      for (const event of events) target.oee = target.step(target.oee, event);
    };
    if (!opened) {
      for (const other of machines.values()) apply(other, { kind: 'Open', ts: observation.ts });
      opened = true;
    }
    apply(runtime, { kind: 'Observe', observation });
  }
  return { ms: cpuMs() - start, messages };
};

export const replayStages = async (path: string, site: SiteConfig): Promise<readonly StageCost[]> => {
  const names = [
    'read + JSON.parse (the limit)',
    'recording line decode',
    'payload decode + enrich + unit conversion',
    'machine stream (decider, detectors, alerts) + OEE fold',
  ];
  const cumulative: number[] = [];
  let messages = 0;
  for (const depth of [1, 2, 3, 4] as const) {
    const run = await pass(path, site, depth);
    cumulative.push(run.ms);
    messages = run.messages;
  }
  const fullStart = cpuMs();
  await directReplay(path, site);
  cumulative.push(cpuMs() - fullStart);
  names.push(
    "engine: each machine's batch committed (decisions, checkpoint, outbox), readings in machine-minute chunks, side effects dispatched, books kept",
  );
  const total = cumulative[cumulative.length - 1]!;
  return names.map((stage, i) => {
    const ms = Math.max(0, cumulative[i]! - (i === 0 ? 0 : cumulative[i - 1]!));
    return { stage, usPerMessage: (ms * 1000) / messages, share: ms / total };
  });
};
