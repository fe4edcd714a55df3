// The observations each machine of a recording makes, decoded, enriched and converted as the
// pipeline does, so the fold benchmarks time the fold alone.
import * as E from 'fp-ts/lib/Either.js';
import type { Observation } from '../domain/machine/observation.ts';
import type { MachineStreamConfig } from '../domain/pipeline/machineStream.ts';
import { streamConfigs } from '../domain/pipeline/machineStreamConfig.ts';
import { receiveWireMessage } from '../domain/pipeline/receiveMessage.ts';
import type { SiteConfig } from '../domain/site/siteConfig.ts';
import { siteRegistry } from '../domain/site/siteRegistry.ts';
import { recordingLines } from '../localstack/replay/recordingLines.ts';
import { decodeLine } from '../localstack/replay/replayRecording.ts';

export type MachineObservations = {
  readonly key: string;
  readonly config: MachineStreamConfig;
  readonly observations: Observation[];
};

export const observationsByMachine = async (
  path: string,
  site: SiteConfig,
  limit = Infinity,
): Promise<MachineObservations[]> => {
  const registry = siteRegistry(site);
  const configFor = streamConfigs(site);
  const machines = new Map<string, MachineObservations>();
  for (const entry of registry.machines()) {
    const key = `${entry.factory}/${entry.line}/${entry.machine}`;
    machines.set(key, { key, config: configFor(entry), observations: [] });
  }
  let seen = 0;
  for await (const { line, text } of recordingLines(path)) {
    if (++seen > limit) break;
    const decoded = decodeLine(line, text);
    if (decoded.kind === 'refused') continue;
    const received = receiveWireMessage(site, registry, decoded.topic, decoded.body);
    if (E.isLeft(received) || !('observation' in received.right)) continue;
    const { machine, observation } = received.right;
    machines.get(`${machine.factory}/${machine.line}/${machine.machine}`)!.observations.push(observation);
  }
  return [...machines.values()];
};
