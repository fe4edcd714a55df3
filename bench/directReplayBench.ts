// Direct replay against its limit: the same lines, read by the same reader, only JSON-parsed. Both
// run in this process one after the other, so the ratio holds even where absolute times drift.
import type { SiteConfig } from '../domain/site/siteConfig.ts';
import { openReplayEngine } from '../localstack/replay/replayEngine.ts';
import { recordingLines } from '../localstack/replay/recordingLines.ts';
import { replayDirect } from '../localstack/replay/replayRecording.ts';
import { openStore } from '../localstack/replay/openStore.ts';

export type Throughput = {
  readonly messages: number;
  readonly seconds: number;
  readonly perS: number;
  readonly cpuSeconds?: number;
};

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const throughput = (messages: number, ms: number): Throughput => ({
  messages,
  seconds: ms / 1000,
  perS: messages / (ms / 1000),
});

/** The design's limit: every line read and parsed, nothing else done with it. */
export const jsonParseOnly = async (path: string): Promise<Throughput> => {
  const start = performance.now();
  let messages = 0;
  let keep = 0;
  for await (const { text } of recordingLines(path)) {
    try {
      const parsed = JSON.parse(text) as { t?: unknown };
      if (parsed.t !== undefined) keep += 1;
    } catch {
      // The recording's few malformed lines: refused, as the replay refuses them.
    }
    messages += 1;
  }
  if (keep < 0) throw new Error('unreachable: keeps the parse from being optimised away');
  return throughput(messages, performance.now() - start);
};

/** One direct replay into a fresh temporary SQLite store, timed from the first line to the last commit. */
export const directReplay = async (path: string, site: SiteConfig): Promise<Throughput> => {
  const store = openStore(undefined);
  try {
    const engine = openReplayEngine(store.db, site, { id: `bench:${path}`, path });
    const start = performance.now();
    const cpuStart = cpuSeconds();
    await replayDirect(engine, path, { speed: 'max' });
    const ms = performance.now() - start;
    // CPU time too: other work on a shared machine stretches wall time, much less the CPU a run uses.
    const result = { ...throughput(engine.counts().received, ms), cpuSeconds: cpuSeconds() - cpuStart };

    return result;
  } finally {
    store.close();
  }
};
