// Reason coding after the fact on the dashboard, in headless Chromium: the page lists press-a's stop
// that has no reason, an operator classifies it with the page's form, and the stop moves from
// "unspecified" to its reason in the page's loss Pareto and in the replay summary of the store. A
// form another site posts to the dashboard is refused (403), and so is a request without the page's
// token or for another Host; nothing is written.
import test from 'ava';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { decodeSiteConfig } from '../../domain/site/siteConfig.ts';
import { loadMachines, summarizeStore } from '../replay/storeReadModel.ts';
import { tempDir } from '../testing/replayFixtures.ts';
import { runReplay } from '../replay/runReplay.ts';
import { stoppedSiteJson, UNSPECIFIED_STOP, writeStoppedPlant } from '../testing/stoppedPlant.ts';
import { openFactoryDb } from '../store/schema.ts';
import { startDashboard, type Dashboard } from './dashboardServer.ts';
import type { StopsView } from './dashboardViews.ts';
import { launchHeadlessChromium } from '../testing/headlessChromium.ts';

const dir = tempDir();
const db = join(dir, 'plant.db');
const decoded = decodeSiteConfig(stoppedSiteJson);
if (E.isLeft(decoded)) throw new Error(decoded.left.join('\n'));
const site = decoded.right;
let dashboard: Dashboard;

const pressA = () => {
  const store = openFactoryDb(db);
  try {
    return summarizeStore(store, loadMachines(store, site)).machines.find((m) => m.machineId === 'press-a')!;
  } finally {
    store.close();
  }
};
const classifications = () => {
  const store = openFactoryDb(db);
  try {
    return store
      .prepare<[], { events: string }>("SELECT events FROM commits WHERE events LIKE '%DowntimeClassified%'")
      .all().length;
  } finally {
    store.close();
  }
};

test.before(async () => {
  const { recording } = writeStoppedPlant(dir);
  await runReplay({ recording, site, via: 'direct', speed: 'max', db, progress: false });
  dashboard = await startDashboard({ db, port: 0 });
});
test.after.always(async () => dashboard?.close());

test.serial('the API lists the stops without a reason of at least N minutes, with the reason catalog', async (t) => {
  const stops = (await (await fetch(new URL('/api/stops', dashboard.url))).json()) as StopsView;
  t.is(stops.minMinutes, 5);
  t.deepEqual(
    stops.reasons.map((r) => r.code),
    ['tool_failure', 'jam', 'changeover', 'slow_feed'],
  );
  // press-b's stop has its reason (jam) from its state message: not listed.
  t.deepEqual(
    stops.stops.map((s) => [s.key, s.state, s.startTs, s.endTs, s.downS]),
    [['f1/l1/press-a', 'DOWN', UNSPECIFIED_STOP.from, UNSPECIFIED_STOP.to, 1800]],
  );
  const longer = (await (await fetch(new URL('/api/stops?minMinutes=31', dashboard.url))).json()) as StopsView;
  t.deepEqual(longer.stops, []);
});

test.serial(
  'a request without the page token, for another Host, or from another origin is refused with 403',
  async (t) => {
    const body = JSON.stringify({ machine: 'f1/l1/press-a', at: UNSPECIFIED_STOP.from, reason: 'jam' });
    const post = (headers: Record<string, string>) =>
      fetch(new URL('/api/classify', dashboard.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    t.is((await post({})).status, 403);
    const page = await (await fetch(dashboard.url)).text();
    const token = /<meta name="factory-token" content="([0-9a-f]+)"/.exec(page)![1]!;
    t.is((await post({ 'x-factory-token': 'wrong' })).status, 403);
    t.is((await post({ 'x-factory-token': token, origin: 'http://evil.example' })).status, 403);
    t.is((await post({ 'x-factory-token': token, 'sec-fetch-site': 'cross-site' })).status, 403);
    // A page of another site whose name was rebound to 127.0.0.1 sends its own name as Host.
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(
        new URL('/api/classify', dashboard.url),
        {
          method: 'POST',
          headers: { host: 'evil.example', 'content-type': 'application/json', 'x-factory-token': token },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    t.is(rebound, 403);
    t.is(classifications(), 0);
  },
);

test.serial(
  'in Chromium: a form another site posts is refused; the page classifies the stop and its Pareto and the replay summary show the reason',
  async (t) => {
    const launched = await launchHeadlessChromium();
    if ('problem' in launched) return t.fail(launched.problem);
    // Another site (another origin: localhost on another port) with a form that posts to the dashboard.
    const target = new URL('/api/classify', dashboard.url).href;
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<form id="f" method="POST" action="${target}" enctype="text/plain">
      <input name='{"machine":"f1/l1/press-a","at":${UNSPECIFIED_STOP.from},"reason":"jam","x":"' value='"}'></form>
      <script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      const page = await launched.browser.newPage();
      const refused = page.waitForResponse((r) => r.url() === target);
      await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
      t.is((await refused).status(), 403);
      t.is(classifications(), 0);

      await page.goto(new URL('#/f1/l1', dashboard.url).href);
      await page.waitForSelector('body[data-ready] [data-machine]');
      const pareto = page.locator('.pareto', { hasText: 'Loss Pareto · press-a' });
      t.is(await pareto.locator('.item[data-reason="unspecified"]').getAttribute('data-seconds'), '1800');
      const stop = page.locator(`[data-stop="f1/l1/press-a@${UNSPECIFIED_STOP.from}"]`);
      await stop.locator('select[name="reason"]').selectOption('tool_failure');
      await stop.locator('input[name="by"]').fill('anna');
      await stop.locator('button[type="submit"]').click();

      await pareto.locator('.item[data-reason="tool_failure"]').waitFor();
      t.is(await pareto.locator('.item[data-reason="tool_failure"]').getAttribute('data-seconds'), '1800');
      t.is(await pareto.locator('.item[data-reason="unspecified"]').count(), 0);
      t.regex((await pareto.locator('.item[data-reason="tool_failure"]').textContent()) ?? '', /equipmentFailure/);
      await page.locator('#stops', { hasText: 'none of 5 min or more' }).waitFor();

      const a = pressA();
      t.deepEqual(a.downtimeByReason, { tool_failure: 1800 });
      t.like(a.classifiedStops?.[0], { reason: 'tool_failure', by: 'anna' });
    } finally {
      await launched.browser.close();
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    }
  },
);
