// An alert the gateway raised, replayed from its wire message: the dashboard lists it with the
// machine's alerts, marked as raised at the edge, through the API and on the page in Chromium.
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReplay } from '../replay/runReplay.ts';
import { handMadeRecording, handMadeSite, PLANT_START, writeHandMadePlant } from '../replay/handMadePlant.ts';
import { startDashboard, type Dashboard } from './dashboardServer.ts';
import { launchHeadlessChromium } from './headlessChromium.ts';
import type { Overview } from './dashboardViews.ts';

const dir = mkdtempSync(join(tmpdir(), 'factory-edge-dashboard-'));
let dashboard: Dashboard;
const raisedAt = PLANT_START + 10 * 60_000;

test.before(async () => {
  const alert = { t: raisedAt + 300, topic: 'dt/f1/l1/press-a/alert',
    payload: { v: 1, id: 'gw-f1.press-a.alert.raised', ts: raisedAt, detector: 'threshold:spindle_temp', transition: 'raised', cause: 'spindle_temp 95 above 90 for 30 s (at the edge)' } };
  const { recording } = writeHandMadePlant(dir, `${handMadeRecording({ minutes: 20 })}${JSON.stringify(alert)}\n`);
  const db = join(dir, 'plant.db');
  await runReplay({ recording, site: handMadeSite(), via: 'direct', speed: 'max', db, progress: false });
  dashboard = await startDashboard({ db, port: 0 });
});
test.after.always(async () => {
  await dashboard?.close();
  rmSync(dir, { recursive: true, force: true });
});

test.serial('the API lists the gateway\'s alert with the machine\'s alerts, marked origin edge', async (t) => {
  const overview = await (await fetch(new URL('/api/overview', dashboard.url))).json() as Overview;
  const edge = overview.alerts.filter((a) => (a as { origin?: string }).origin === 'edge');
  t.deepEqual(edge.map((a) => [a.machineId, a.detector, a.raisedAt, a.open]), [['press-a', 'threshold:spindle_temp', new Date(raisedAt).toISOString(), true]]);
});

test.serial('in headless Chromium the alert carries the edge badge', async (t) => {
  const launched = await launchHeadlessChromium();
  if ('problem' in launched) return t.fail(launched.problem);
  try {
    const page = await launched.browser.newPage();
    await page.goto(dashboard.url);
    await page.waitForSelector('body[data-ready] [data-machine]');
    const item = page.locator('#alerts li', { hasText: 'threshold:spindle_temp' });
    t.is(await item.locator('.badge.edge').textContent(), 'edge');
  } finally {
    await launched.browser.close();
  }
});
