// A hand-made plant on the dashboard: a machine that falls silent is in a DATA GAP (not "running")
// while its heartbeat alert is open, and a machine whose numbers carry a warning is not drawn green.
import test from 'ava';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handMadeRecording, PLANT_START } from '../testing/handMadePlant.ts';
import type { Dashboard } from './dashboardServer.ts';
import { handMadePlantDashboard } from '../testing/handMadePlantDashboard.ts';
import { launchHeadlessChromium } from '../testing/headlessChromium.ts';
import type { MachineDetail, Overview } from './dashboardViews.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let dashboard: Dashboard;

let served: Awaited<ReturnType<typeof handMadePlantDashboard>> | undefined;
test.before(async () => {
  served = await handMadePlantDashboard(handMadeRecording({ minutes: 60, silentAfterMin: 30 }));
  dashboard = served.dashboard;
});
test.after.always(async () => served?.close());

const getJson = async <A>(path: string): Promise<A> => (await fetch(new URL(path, dashboard.url))).json() as Promise<A>;

test.serial(
  'a machine silent past its heartbeat timeout is in a DATA GAP since the timeout, while its heartbeat alert is open',
  async (t) => {
    const detail = await getJson<MachineDetail>('/api/machine/f1/l1/press-a');
    // Last heard 06:30:00 CST, timeout 300 s: a data gap from 06:35.
    t.deepEqual(detail.card.current, { state: 'GAP', reason: null, since: PLANT_START + 35 * 60_000 });
    t.true(detail.alerts.some((a) => a.detector === 'heartbeat' && a.open));
    const running = await getJson<MachineDetail>('/api/machine/f1/l1/press-b');
    t.is(running.card.current?.state, 'RUNNING');
  },
);

test.serial('warnings reach the API per machine and per window', async (t) => {
  const detail = await getJson<MachineDetail>('/api/machine/f1/l1/press-b');
  t.regex(detail.card.warnings[0] ?? '', /^performance 2\.000 is above 1/);
  t.true(detail.hours.every((h) => h.warnings.length > 0));
  const overview = await getJson<Overview>('/api/overview');
  t.deepEqual(
    overview.summary?.machines.map((m) => m.warnings.length),
    [0, 1],
  );
});

test.serial(
  'in headless Chromium the silent machine reads DATA GAP since 06:35 and the warned machine is not green (screenshot: artifacts/dashboard-data-gap.png)',
  async (t) => {
    const launched = await launchHeadlessChromium();
    if ('problem' in launched) return t.fail(launched.problem);
    const { browser } = launched;
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(dashboard.url);
      await page.waitForSelector('body[data-ready] [data-machine]');
      t.regex((await page.textContent('[data-machine="f1/l1/press-a"] .chip')) ?? '', /DATA GAP/);
      t.is(await page.getAttribute('[data-machine="f1/l1/press-b"] .badge.warning', 'data-warnings'), '1');
      const green = await page.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue('--good').trim(),
      );
      const drawn = await page.getAttribute('[data-machine="f1/l1/press-b"] svg.gauge circle:nth-of-type(2)', 'stroke');
      t.not(drawn, green, 'a machine with a warning is not drawn green');
      mkdirSync(join(ROOT, 'artifacts'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'artifacts', 'dashboard-data-gap.png') });

      await page.click('[data-machine="f1/l1/press-a"]');
      await page.waitForSelector('[data-machine-detail="f1/l1/press-a"]');
      t.regex((await page.textContent('.hero')) ?? '', /DATA GAP since 06:35/);
      await page.screenshot({ path: join(ROOT, 'artifacts', 'dashboard-data-gap-machine.png'), fullPage: true });
      await page.goto(`${dashboard.url}#/f1/l1/press-b`);
      await page.waitForSelector('[data-machine-detail="f1/l1/press-b"] .warnings');
      t.regex((await page.textContent('.hero .warnings')) ?? '', /performance 2\.000 is above 1/);
      t.true(Number(await page.getAttribute('.hours [data-window]', 'data-warnings')) > 0);
      await page.screenshot({ path: join(ROOT, 'artifacts', 'dashboard-warning-machine.png'), fullPage: true });
      t.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  },
);
