// `npm start`: the product's main job on one machine. Generates the bundled sample plant (3 factories,
// 12 machines, one shift, a few malformed messages), replays it through the local IoT Core over mutual
// TLS into a fresh store while the dashboard watches it live, prints OEE, downtime and alerts per
// machine, and keeps the dashboard up until Ctrl-C (on a terminal; elsewhere it ends after the table).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startDashboard } from './dashboard/dashboardServer.ts';
import { openFactoryDb } from './store/schema.ts';
import { ensureSampleRecording, loadSampleSite } from './simulator/sampleRecording.ts';
import { runReplay } from './replay/runReplay.ts';
import { summaryTable } from './replay/summaryTable.ts';

const WORK_DIR = '.factory';
const DASHBOARD_PORT = 8080;

const dashboardOn = async (db: string) => {
  try {
    return await startDashboard({ db, port: DASHBOARD_PORT });
  } catch {
    return startDashboard({ db, port: 0 }); // 8080 is taken: any free port will do
  }
};

const main = async (): Promise<void> => {
  const started = performance.now();
  process.stderr.write('Generating the sample plant recording (cached in .factory/)…\n');
  const recording = ensureSampleRecording(WORK_DIR);
  const db = join(WORK_DIR, 'sample.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
  openFactoryDb(db).close();
  const dashboard = await dashboardOn(db);
  process.stderr.write(`Dashboard (live while the replay runs): ${dashboard.url}\n`);
  process.stderr.write(`Replaying ${recording} through the local broker (mutual TLS) into ${db}…\n`);
  const summary = await runReplay({
    recording,
    site: loadSampleSite(),
    via: 'broker',
    speed: 'max',
    db,
    progress: process.stderr.isTTY === true,
    broker: { certsDir: join(WORK_DIR, 'certs') },
  });
  dashboard.notify();
  process.stdout.write(`${summaryTable(summary)}\n\n`);
  process.stdout.write(
    `Replayed in ${((performance.now() - started) / 1000).toFixed(1)} s into ${db}; \`node bin/factory.js replay <recording> --db ${db} --json\` prints the same numbers as JSON.\n`,
  );
  if (process.stdin.isTTY !== true) {
    await dashboard.close();
    return;
  }
  process.stdout.write(`Dashboard: ${dashboard.url}  (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await dashboard.close();
};

await main();
