// End to end: the bundled sample replayed into a store while the dashboard watches it, then the JSON
// API and the page in real headless Chromium checked against the replay's own summary (`--json`).
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReplaySummary } from '../../domain/pipeline/replaySummary.ts';
import { streamConfigs } from '../../domain/pipeline/machineStreamConfig.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import { ensureReplaySchema, saveSiteConfig } from '../replay/replaySchema.ts';
import { runReplay } from '../replay/runReplay.ts';
import { ensureSampleRecording, loadSampleSite } from '../simulator/sampleRecording.ts';
import { openFactoryDb } from '../store/schema.ts';
import { startDashboard, type Dashboard } from './dashboardServer.ts';
import { launchHeadlessChromium } from '../testing/headlessChromium.ts';
import type { MachineDetail, Overview } from './dashboardViews.ts';

const site = loadSampleSite();
const configOf = streamConfigs(site);
const oeeConfigOf = (key: string) =>
  configOf(
    siteRegistry(site)
      .machines()
      .find((e) => `${e.factory}/${e.line}/${e.machine}` === key)!,
  ).oee;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'factory-dashboard-'));
const dbPath = join(dir, 'sample.db');
let dashboard: Dashboard;
let replayed: ReplaySummary;
let changesDuringReplay = 0;
const streamAbort = new AbortController();

/** Counts the `change` events of the dashboard's event stream, as the page's EventSource would see them. */
const listen = async (url: string): Promise<void> => {
  const res = await fetch(`${url}api/events`, { signal: streamAbort.signal });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      changesDuringReplay += decoder.decode(chunk).split('event: change').length - 1;
  } catch {
    // aborted at the end of the replay
  }
};

test.before(async () => {
  const recording = ensureSampleRecording(dir);
  dashboard = await startDashboard({ db: dbPath, port: 0, pollMs: 1000 });
  void listen(dashboard.url);
  replayed = await runReplay({ recording, site, via: 'direct', speed: 'max', db: dbPath, progress: false });
  dashboard.notify();
  streamAbort.abort();
});
test.after.always(async () => {
  await dashboard?.close();
  rmSync(dir, { recursive: true, force: true });
});

const getJson = async <A>(path: string): Promise<A> => {
  const res = await fetch(new URL(path, dashboard.url));
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as A;
};

test.serial('the dashboard pushes change events while a replay writes the store', (t) => {
  t.true(
    changesDuringReplay >= 2,
    `expected the event stream to announce changes during the replay, saw ${changesDuringReplay}`,
  );
});

test.serial("the API's summary is the replay's --json summary, number for number", async (t) => {
  const overview = await getJson<Overview>('/api/overview');
  t.false(overview.waiting);
  // The replay's summary is what `factory replay --json` prints; the dashboard read the same numbers back from the store.
  t.deepEqual(overview.summary, replayed);
  const cards = overview.factories.flatMap((f) => f.lines.flatMap((l) => l.machines));
  t.is(cards.length, 12);
  for (const card of cards)
    t.is(
      card.oee,
      replayed.machines.find((m) => `${m.factoryId}/${m.lineId}/${m.machineId}` === card.key)?.oee ?? Number.NaN,
      card.key,
    );
});

test.serial(
  "per-hour and per-shift windows add up to the whole range, and the timeline's stops to its downtime",
  async (t) => {
    const overview = await getJson<Overview>('/api/overview');
    for (const card of overview.factories.flatMap((f) => f.lines.flatMap((l) => l.machines))) {
      const detail = await getJson<MachineDetail>(`/api/machine/${card.key}`);
      const sum = (xs: readonly { plannedS: number; total: number }[], k: 'plannedS' | 'total'): number =>
        xs.reduce((a, x) => a + x[k], 0);
      t.true(Math.abs(sum(detail.hours, 'plannedS') - card.plannedS) < 1e-6, `${card.key} hours`);
      t.true(Math.abs(sum(detail.shifts, 'plannedS') - card.plannedS) < 1e-6, `${card.key} shifts`);
      t.is(sum(detail.hours, 'total'), card.total);
      const timeline = detail.card.timeline;
      t.is(timeline[0]?.from ?? null, overview.startTs, `${card.key} timeline starts with the store`);
      for (let i = 1; i < timeline.length; i += 1) t.is(timeline[i]!.from, timeline[i - 1]!.to);
      // The stops the timeline draws, counted the way OEE counts them (planned time only, micro-stops
      // as run time), are the machine's downtime: the picture and the number cannot disagree.
      const { calendar, microStopMs } = oeeConfigOf(card.key);
      const downMs = timeline
        .filter((s) => ['DOWN', 'SETUP', 'IDLE'].includes(s.state) && s.to - s.from >= microStopMs)
        .flatMap((s) => calendar.plannedIntervals(s.from, s.to))
        .reduce((a, i) => a + (i.endMs - i.startMs), 0);
      t.true(
        Math.abs(downMs / 1000 - card.downS) < 1e-6,
        `${card.key}: timeline stops ${downMs / 1000} s, OEE downtime ${card.downS} s`,
      );
    }
    const res = await fetch(new URL('/api/machine/nowhere/l/m', dashboard.url));
    t.is(res.status, 404);
    t.regex(((await res.json()) as { error: string }).error, /no such machine/);
  },
);

test.serial('trends are bucketed server-side: no more points than asked, extremes kept', async (t) => {
  const trend = await getJson<{
    metrics: Record<string, { ts: number[]; min: number[]; max: number[]; count: number[] }>;
  }>('/api/trend/leipzig/machining/cnc-02?buckets=300');
  const temp = trend.metrics['spindle_temp'];
  if (temp === undefined) return t.fail('no spindle_temp trend for leipzig/machining/cnc-02');
  t.true(temp.ts.length <= 300 && temp.ts.length > 100);
  t.true(Math.max(...temp.max) > 90, "the sample's over-temperature reaches the chart");
  t.true(temp.count.reduce((a, b) => a + b, 0) > 5000);
});

test.serial(
  "in headless Chromium the page shows the --json OEE and the sample's alerts (screenshot: artifacts/dashboard.png)",
  async (t) => {
    const launched = await launchHeadlessChromium();
    if ('problem' in launched) return t.fail(launched.problem);
    const { browser } = launched;
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const started = performance.now();
      await page.goto(dashboard.url);
      await page.waitForSelector('body[data-ready] [data-machine]');
      t.log(
        `page load with the full sample store (12 machines, 11 h, 5 s telemetry): ${Math.round(performance.now() - started)} ms`,
      );

      const press = replayed.machines.find(
        (m) => m.factoryId === 'birmingham' && m.lineId === 'stamping' && m.machineId === 'press-01',
      )!;
      t.is(await page.getAttribute('[data-machine="birmingham/stamping/press-01"]', 'data-oee'), String(press.oee));
      const alert = replayed.alerts.find((a) => a.machineId === 'press-02' && a.detector === 'threshold:pressure')!;
      t.truthy(alert, 'the sample raises a pressure alert on leipzig press-02');
      t.true((await page.textContent('#alerts'))!.includes(alert.cause));

      mkdirSync(join(ROOT, 'artifacts'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'artifacts', 'dashboard.png'), fullPage: true });
      // The README's picture is the first screen, saved beside the artifacts; a test never rewrites a
      // tracked file (copy artifacts/dashboard-readme.png to docs/dashboard.png to refresh the README).
      await page.screenshot({ path: join(ROOT, 'artifacts', 'dashboard-readme.png') });
      t.true(
        statSync(join(ROOT, 'artifacts', 'dashboard-readme.png')).size < 300 * 1024,
        'the README screenshot stays under 300 KB',
      );

      const detailStarted = performance.now();
      await page.click('[data-machine="leipzig/machining/cnc-02"]');
      await page.waitForSelector('[data-machine-detail="leipzig/machining/cnc-02"] ~ .panel .uplot canvas');
      t.log(`machine drill-down with trends: ${Math.round(performance.now() - detailStarted)} ms`);
      const cnc = replayed.machines.find((m) => m.factoryId === 'leipzig' && m.machineId === 'cnc-02')!;
      t.is(await page.getAttribute('.hero [data-oee]', 'data-oee'), String(cnc.oee));
      t.true((await page.locator('tr[data-window$="/early"]').count()) >= 1, 'a row per shift');
      await page.screenshot({ path: join(ROOT, 'artifacts', 'dashboard-machine.png'), fullPage: true });
      t.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  },
);

test.serial(
  'factory dashboard prints its URL first and serves the page; a store without a replay is refused',
  async (t) => {
    const bin = join(ROOT, 'bin', 'factory.js');
    const missing = join(dir, 'missing.db');
    const refused = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, 'dashboard', '--db', missing]);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('close', (code) => resolve({ code, stderr }));
    });
    t.is(refused.code, 2, 'a path that does not exist is bad usage');
    t.regex(
      refused.stderr,
      /^factory dashboard: --db \S+missing\.db does not exist; check the path \(the store file a replay wrote; run `factory replay <recording> --db \S+` first\)\n$/,
    );

    // A store the replay has only begun (its site saved, nothing else yet) starts in a moment.
    const small = join(dir, 'small.db');
    const db = openFactoryDb(small);
    ensureReplaySchema(db);
    saveSiteConfig(db, site);
    db.close();
    const child = spawn(process.execPath, [bin, 'dashboard', '--db', small, '--port', '0']);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.on('close', (code) => reject(new Error(`factory dashboard exited ${code}`)));
      });
      t.regex(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(url);
      t.is(page.status, 200);
      t.regex(await page.text(), /<title>Factory · live OEE<\/title>/);
      t.is((await fetch(new URL('/vendor/uPlot.iife.min.js', url))).status, 200);
    } finally {
      child.kill('SIGTERM');
    }
  },
);
