// The local dashboard's web server: a static page, a JSON API over the live store, and a server-sent
// event stream that says "the store changed" — the server polls the store once a second (a few
// indexed lookups), the page refetches. No framework: node:http and one page of plain JavaScript.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import * as E from 'fp-ts/lib/Either.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MaintenanceModel } from '../../domain/maintenance/maintenanceModel.ts';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { classifyBodyOf, classifyReply, CLASSIFY_USAGE } from '../../handlers/classify/classifyRequest.ts';
import { classifyStop } from '../../handlers/classify/classifyStop.ts';
import { openFactoryDb, type FactoryDb } from '../store/schema.ts';
import { sqliteEventStore } from '../store/sqliteEventStore.ts';
import { dashboardViews } from './dashboardViews.ts';
import { openLiveStore } from './liveStore.ts';
import { sameOriginGuard } from './sameOriginGuard.ts';

export type DashboardOptions = {
  /** The store: a path (opened read-mostly on a connection of the dashboard's own) or an open handle. */
  readonly db: string | FactoryDb;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly pollMs?: number;
  /** The model the replay scores maintenance detectors with, when it is not the bundled one. */
  readonly maintenanceModel?: MaintenanceModel;
  /** The page lists unclassified stops with at least this many minutes of downtime (default 5). */
  readonly unclassifiedStopMinutes?: number;
};

export const DEFAULT_UNCLASSIFIED_STOP_MINUTES = 5;
/** A classify request is a few hundred bytes; anything much larger is not one. */
const MAX_BODY_BYTES = 16 * 1024;

export type Dashboard = {
  readonly url: string;
  readonly close: () => Promise<void>;
  /** Look at the store now rather than at the next poll (a replay in this process just committed). */
  readonly notify: () => void;
};

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
// uPlot is served from node_modules as installed, so the page works offline and nothing is vendored.
const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve('uplot'));

const STATIC: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/': { file: join(PAGE_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/dashboard.js': { file: join(PAGE_DIR, 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  '/dashboard.css': { file: join(PAGE_DIR, 'dashboard.css'), type: 'text/css; charset=utf-8' },
  '/vendor/uPlot.iife.min.js': { file: join(UPLOT_DIR, 'uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  '/vendor/uPlot.min.css': { file: join(UPLOT_DIR, 'uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

export const startDashboard = async (options: DashboardOptions): Promise<Dashboard> => {
  const ownDb = typeof options.db === 'string' ? openFactoryDb(options.db) : undefined;
  const db = ownDb ?? (options.db as FactoryDb);
  const live = openLiveStore(
    db,
    options.maintenanceModel === undefined ? {} : { maintenanceModel: options.maintenanceModel },
  );
  const views = dashboardViews(db, live);
  const streams = new Set<ServerResponse>();
  const guard = sameOriginGuard();
  const store = sqliteEventStore<MachineEvent>(db);
  // The page carries this server's token, which only a page of its own origin can read.
  const page = readFileSync(STATIC['/']!.file, 'utf8').replace(
    '</head>',
    `  <meta name="factory-token" content="${guard.token}" />\n  </head>`,
  );
  let port = 0;

  const push = (): void => {
    const message = `event: change\ndata: ${JSON.stringify({ marker: live.marker() })}\n\n`;
    for (const res of streams) res.write(message);
  };
  const poll = (): void => {
    try {
      if (live.refresh()) push();
    } catch (error) {
      // A busy or momentarily locked store is retried at the next poll rather than ending the server.
      process.stderr.write(
        `factory dashboard: reading the store failed, retrying: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
  };
  const timer = setInterval(poll, options.pollMs ?? 1000);
  const keepAlive = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, 15_000);

  const machineKey = (path: string, prefix: string): string => decodeURIComponent(path.slice(prefix.length));

  /** POST /api/classify {machine, at, reason, by?}: the same decision as `factory downtime classify`. */
  const classify = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refusal = guard.refusal(req, port);
    if (refusal !== undefined) {
      req.resume();
      return sendJson(res, 403, { error: `POST /api/classify refused: ${refusal}` });
    }
    let text = '';
    for await (const chunk of req) {
      text += String(chunk);
      if (text.length > MAX_BODY_BYTES) return sendJson(res, 413, { error: 'the request body is too large' });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return sendJson(res, 400, { error: `the body is not JSON; ${CLASSIFY_USAGE}` });
    }
    const site = live.site();
    if (site === undefined) return sendJson(res, 409, { error: 'the store holds no replay yet' });
    const request = classifyBodyOf(parsed);
    if (E.isLeft(request)) return sendJson(res, request.left.status, request.left.body);
    const { machine, at, reason } = request.right;
    const by = request.right.by !== undefined && request.right.by.trim() !== '' ? request.right.by.trim() : null;
    const answer = classifyReply(
      await classifyStop(store, site, { machine, at, reason, by, classifiedAt: Date.now() }),
    );
    if (answer.status !== 200) return sendJson(res, answer.status, answer.body);
    poll();
    sendJson(res, 200, answer.body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method === 'POST' && path === '/api/classify') {
      classify(req, res).catch((error: unknown) =>
        sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    if (req.method !== 'GET')
      return sendJson(res, 405, { error: `${req.method} ${path}: only GET is served (and POST /api/classify)` });
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page);
      return;
    }
    if (path === '/api/stops') {
      const asked = Number(url.searchParams.get('minMinutes'));
      const minMinutes =
        url.searchParams.has('minMinutes') && Number.isFinite(asked) && asked >= 0
          ? asked
          : (options.unclassifiedStopMinutes ?? DEFAULT_UNCLASSIFIED_STOP_MINUTES);
      return sendJson(res, 200, views.stops(minMinutes));
    }
    const file = STATIC[path];
    if (file !== undefined) {
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache' });
      res.end(readFileSync(file.file));
      return;
    }
    if (path === '/api/overview') return sendJson(res, 200, views.overview());
    if (path.startsWith('/api/machine/')) {
      const detail = views.machine(machineKey(path, '/api/machine/'));
      return detail === undefined
        ? sendJson(res, 404, {
            error: `${path}: no such machine; expected /api/machine/<factory>/<line>/<machine> as listed by /api/overview`,
          })
        : sendJson(res, 200, detail);
    }
    if (path.startsWith('/api/trend/')) {
      const buckets = Math.min(4000, Math.max(10, Number(url.searchParams.get('buckets') ?? 800) || 800));
      const trend = views.trend(machineKey(path, '/api/trend/'), buckets);
      return trend === undefined
        ? sendJson(res, 404, {
            error: `${path}: no such machine; expected /api/trend/<factory>/<line>/<machine>?buckets=<n>`,
          })
        : sendJson(res, 200, trend);
    }
    if (path === '/api/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ marker: live.marker() })}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    sendJson(res, 404, { error: `${path}: not found; the dashboard is at /` });
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    clearInterval(timer);
    clearInterval(keepAlive);
    ownDb?.close();
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    notify: poll,
    close: async () => {
      clearInterval(timer);
      clearInterval(keepAlive);
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      ownDb?.close();
    },
  };
};
