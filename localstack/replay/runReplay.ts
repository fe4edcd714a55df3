// One replay from start to summary: open the store, identify the recording (a grown one continues
// the source it began as: grownRecording.ts), run it through the chosen path, show progress on a
// terminal, and return the summary of the store.
import { SingleBar } from 'cli-progress';
import * as E from 'fp-ts/lib/Either.js';
import type { MaintenanceModel } from '../../domain/maintenance/maintenanceModel.ts';
import { streamConfigProblems } from '../../domain/pipeline/machineStreamConfig.ts';
import type { ReplaySummary } from '../../domain/pipeline/replaySummary.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { openLambdaReplayEngine } from './lambdaReplay.ts';
import { openReplayEngine, type ReplayEngine } from './replayEngine.ts';
import { recordingLines } from './recordingLines.ts';
import { recordingSourceId, replayDirect, type ReplayProgress, type Speed } from './replayRecording.ts';
import { openStore } from './openStore.ts';
import { rememberText, resolveSourceId } from './grownRecording.ts';
import { MODEL_OPTION_HINT, modelForSite } from '../maintenance/modelFile.ts';

export type ReplayRequest = {
  readonly recording: string;
  readonly site: SiteConfig;
  readonly via: 'direct' | 'broker' | 'lambda';
  /** `--via lambda`: records per invocation of the process function (the stack's processBatchSize). */
  readonly batchSize?: number;
  readonly speed: Speed;
  readonly db: string | undefined;
  readonly progress: boolean;
  readonly broker?: { readonly certsDir: string };
  /** The failure model of maintenance detectors; default: the bundled model when the site has them. */
  readonly maintenanceModel?: MaintenanceModel;
};

/** A site the pipeline cannot run as asked (a maintenance detector without a model): bad input, exit 2. */
export class ReplayConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the site cannot be replayed:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** The model the replay scores with, checked against the site before anything is opened. */
export const replayModel = (
  request: Pick<ReplayRequest, 'site' | 'maintenanceModel'>,
): MaintenanceModel | undefined => {
  let model = request.maintenanceModel;
  if (model === undefined) {
    const bundled = modelForSite(request.site, undefined);
    if (E.isLeft(bundled)) throw new ReplayConfigurationError([bundled.left]);
    model = bundled.right;
  }
  const problems = streamConfigProblems(
    request.site,
    model === undefined ? {} : { maintenanceModel: model },
    MODEL_OPTION_HINT,
  );
  if (problems.length > 0) throw new ReplayConfigurationError(problems);
  return model;
};

const countLines = async (path: string): Promise<number> => {
  let count = 0;
  for await (const line of recordingLines(path)) count = line.line;
  return count;
};

export const runReplay = async (request: ReplayRequest): Promise<ReplaySummary> => {
  const model = replayModel(request);
  const store = openStore(request.db);
  try {
    const resolved = await resolveSourceId(store.db, request.recording, await recordingSourceId(request.recording));
    const source = { id: resolved.id, path: request.recording };
    const options = model === undefined ? {} : { maintenanceModel: model };
    const engine: ReplayEngine =
      request.via === 'lambda'
        ? openLambdaReplayEngine(store.db, request.site, source, options, request.batchSize)
        : openReplayEngine(store.db, request.site, source, options);
    let bar: SingleBar | undefined;
    let onProgress: ((p: ReplayProgress) => void) | undefined;
    if (request.progress) {
      bar = new SingleBar({
        format: 'replay [{bar}] {percentage}% | {value}/{total} lines | {rate} msg/s | ETA {eta}s',
        stream: process.stderr,
        hideCursor: true,
      });
      bar.start(await countLines(request.recording), engine.linesDone, { rate: 0 });
      const started = performance.now();
      const first = engine.linesDone;
      onProgress = (p) =>
        bar!.update(p.line, { rate: Math.round((p.line - first) / ((performance.now() - started) / 1000)) });
    }
    if (request.via === 'broker') {
      const { replayThroughBroker } = await import('./brokerReplay.ts');
      await replayThroughBroker(engine, request.recording, {
        speed: request.speed,
        onProgress,
        site: request.site,
        certsDir: request.broker?.certsDir,
      });
    } else {
      await replayDirect(engine, request.recording, { speed: request.speed, onProgress });
    }
    bar?.stop();
    const summary = engine.summary();
    rememberText(store.db, resolved.id, resolved.text);
    return summary;
  } finally {
    store.close();
  }
};
