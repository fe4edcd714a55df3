// Test support: the hand-made plant (localstack/testing/handMadePlant.ts) replayed into a store of a
// temporary folder and served by the dashboard, for the page's tests. Not imported by production code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handMadeSite, writeHandMadePlant } from './handMadePlant.ts';
import { runReplay } from '../replay/runReplay.ts';
import { startDashboard, type Dashboard } from '../dashboard/dashboardServer.ts';

export const handMadePlantDashboard = async (
  recordingText: string,
): Promise<{ readonly dashboard: Dashboard; readonly close: () => Promise<void> }> => {
  const dir = mkdtempSync(join(tmpdir(), 'factory-plant-dashboard-'));
  const { recording } = writeHandMadePlant(dir, recordingText);
  const db = join(dir, 'plant.db');
  await runReplay({ recording, site: handMadeSite(), via: 'direct', speed: 'max', db, progress: false });
  const dashboard = await startDashboard({ db, port: 0 });
  return {
    dashboard,
    close: async () => {
      await dashboard.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
