// What is built once per site (at a Lambda's cold start, or when a replay opens): each machine's
// stream and configuration, and the failure risks scored beforehand when a remote scorer (the
// SageMaker endpoint) answers instead of the bundled model.
import type { MachineProcessor } from '../../domain/pipeline/machineBatch.ts';
import { machineStream } from '../../domain/pipeline/machineStream.ts';
import { streamConfigs, type StreamOptions } from '../../domain/pipeline/machineStreamConfig.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import type { MachineEntry } from '../../domain/site/siteRegistry.ts';
import type { ScoredRisks } from './scoredRisks.ts';
import { streamIdOf } from './machineOutputs.ts';

export type MachineRuntime = MachineProcessor & { readonly streamId: string; readonly entry: MachineEntry };

export type ProcessContext = {
  readonly machine: (entry: MachineEntry) => MachineRuntime;
  readonly risks?: ScoredRisks;
};

export const processContext = (site: SiteConfig, options: StreamOptions = {}, risks?: ScoredRisks): ProcessContext => {
  const configFor = streamConfigs(site, risks === undefined ? options : { ...options, scoreWith: risks.scoreWith });
  const cache = new Map<string, MachineRuntime>();
  return {
    machine: (entry) => {
      const streamId = streamIdOf(entry);
      let runtime = cache.get(streamId);
      if (runtime === undefined) {
        const config = configFor(entry);
        runtime = { streamId, entry, config, stream: machineStream(config) };
        cache.set(streamId, runtime);
      }
      return runtime;
    },
    ...(risks === undefined ? {} : { risks }),
  };
};

/** Runs a machine's fold, with its failure risks scored beforehand where the context has a remote scorer. */
export const withRisks = <A>(context: ProcessContext, fold: () => A): Promise<A> =>
  context.risks === undefined ? Promise.resolve(fold()) : context.risks.scoreFor(fold);
