// `npm start`: the product's main job on one machine. Generates the bundled sample plant (3 factories,
// 12 machines, one shift, a few malformed messages), replays it through the local IoT Core over mutual
// TLS into a fresh store, prints OEE, downtime and alerts per machine, and serves the dashboard.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSampleRecording, loadSampleSite } from './simulator/sampleRecording.ts';
import { runReplay } from './replay/runReplay.ts';
import { summaryTable } from './replay/summaryTable.ts';

const WORK_DIR = '.factory';

const main = async (): Promise<void> => {
  const started = performance.now();
  process.stderr.write('Generating the sample plant recording (cached in .factory/)…\n');
  const recording = ensureSampleRecording(WORK_DIR);
  const db = join(WORK_DIR, 'sample.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
  process.stderr.write(`Replaying ${recording} through the local broker (mutual TLS) into ${db}…\n`);
  const summary = await runReplay({
    recording, site: loadSampleSite(), via: 'broker', speed: 'max', db, progress: process.stderr.isTTY === true,
    broker: { certsDir: join(WORK_DIR, 'certs') },
  });
  process.stdout.write(`${summaryTable(summary)}\n\n`);
  process.stdout.write(`Replayed in ${((performance.now() - started) / 1000).toFixed(1)} s. The store is ${db}: \`node bin/factory.js replay … --db ${db} --json\` prints the same numbers as JSON.\n`);
};

await main();
