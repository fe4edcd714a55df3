// An alert the gateway raised, replayed from its wire message: the dashboard lists it with the
// machine's alerts, marked as raised at the edge, through the API and on the page in Chromium.
import test from 'ava';
import { handMadeRecording, PLANT_START } from '../testing/handMadePlant.ts';
import type { Dashboard } from './dashboardServer.ts';
import { handMadePlantDashboard } from '../testing/handMadePlantDashboard.ts';
import { launchHeadlessChromium } from '../testing/headlessChromium.ts';
import type { Overview } from './dashboardViews.ts';

let dashboard: Dashboard;
const raisedAt = PLANT_START + 10 * 60_000;

let served: Awaited<ReturnType<typeof handMadePlantDashboard>> | undefined;
test.before(async () => {
  const alert = {
    t: raisedAt + 300,
    topic: 'dt/f1/l1/press-a/alert',
    payload: {
      v: 1,
      id: 'gw-f1.press-a.alert.raised',
      ts: raisedAt,
      detector: 'threshold:spindle_temp',
      transition: 'raised',
      cause: 'spindle_temp 95 above 90 for 30 s (at the edge)',
    },
  };
  served = await handMadePlantDashboard(`${handMadeRecording({ minutes: 20 })}${JSON.stringify(alert)}\n`);
  dashboard = served.dashboard;
});
test.after.always(async () => served?.close());

test.serial("the API lists the gateway's alert with the machine's alerts, marked origin edge", async (t) => {
  const overview = (await (await fetch(new URL('/api/overview', dashboard.url))).json()) as Overview;
  const edge = overview.alerts.filter((a) => (a as { origin?: string }).origin === 'edge');
  t.deepEqual(
    edge.map((a) => [a.machineId, a.detector, a.raisedAt, a.open]),
    [['press-a', 'threshold:spindle_temp', new Date(raisedAt).toISOString(), true]],
  );
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
