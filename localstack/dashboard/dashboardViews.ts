// What the dashboard's JSON API answers, computed from the live store. Every number comes from the
// lead's read model: the whole-range OEE is `summarizeStore(...)` itself (so the page shows exactly
// what `factory replay --json` prints), hours and shifts are the closed view's OEE windows through
// oeeForWindow, alerts the closed view's alerts. Views are cached per change marker.
import type { AlertRecord } from '../../domain/alerts/alertProjection.ts';
import type { MachineEvent } from '../../domain/machine/events.ts';
import type {
  AlertSummary,
  MachineSummary,
  ReplaySummary,
  WindowSummary,
} from '../../domain/pipeline/replaySummary.ts';
import { unclassifiedStops } from '../../domain/downtime/classification.ts';
import { stopsOf } from '../../domain/downtime/stops.ts';
import type { ReasonConfig } from '../../domain/site/reasonCatalog.ts';
import { closedView, newestTs, summarizeStore } from '../replay/storeReadModel.ts';
import type { FactoryDb } from '../store/schema.ts';
import { sqliteTelemetrySink } from '../store/sqliteTelemetrySink.ts';
import { paretoOf, rollUpOee, type RolledUpOee } from './lineOee.ts';
import type { LiveStore } from './liveStore.ts';
import {
  foldTimeline,
  timelineSegments,
  type MachineTimeline,
  type TimelineSegment,
  type TimelineState,
} from './machineTimeline.ts';
import { trendBuckets, type TrendSample, type TrendSeries } from './trendBuckets.ts';

type Pareto = ReturnType<typeof paretoOf>;

export type MachineCard = MachineSummary & {
  readonly key: string;
  readonly name: string;
  readonly type: string;
  readonly idealCycleTimeS: number;
  /** Its products' ideal cycle times (present only when the catalog gives it some). */
  readonly productCycleTimesS?: Readonly<Record<string, number>>;
  /** The machine's state at the store's newest time: `GAP` (a data gap) once nothing was heard for the heartbeat timeout. */
  readonly current: { readonly state: TimelineState; readonly reason: string | null; readonly since: number } | null;
  readonly openAlerts: number;
  readonly timeline: readonly TimelineSegment[];
};
export type LineView = {
  readonly id: string;
  readonly name: string;
  readonly oee: RolledUpOee;
  readonly pareto: Pareto;
  readonly machines: readonly MachineCard[];
};
export type FactoryView = {
  readonly id: string;
  readonly name: string;
  readonly timezone: string;
  readonly oee: RolledUpOee;
  readonly pareto: Pareto;
  readonly lines: readonly LineView[];
};
export type AlertView = AlertSummary & { readonly key: string; readonly open: boolean };

export type Overview = {
  readonly version: 1;
  readonly marker: number;
  /** No replay has written this store yet: the page says so and waits. */
  readonly waiting: boolean;
  readonly startTs: number | null;
  readonly endTs: number | null;
  readonly messages: ReplaySummary['messages'];
  readonly factories: readonly FactoryView[];
  readonly alerts: readonly AlertView[];
  /** `factory replay --json` for this store, verbatim. */
  readonly summary: ReplaySummary | null;
};

export type WindowView = WindowSummary & { readonly label: string };
export type MachineDetail = {
  readonly marker: number;
  readonly card: MachineCard;
  readonly shifts: readonly WindowView[];
  readonly hours: readonly WindowView[];
  readonly pareto: Pareto;
  readonly alerts: readonly (AlertRecord & { readonly open: boolean })[];
  readonly metrics: readonly { readonly name: string; readonly unit: string | null }[];
};

export type TrendView = {
  readonly marker: number;
  readonly metrics: Readonly<Record<string, TrendSeries & { readonly unit: string | null }>>;
};

type Computed = { readonly overview: Overview; readonly details: ReadonlyMap<string, MachineDetail> };

/** `2026-11-24 06:00 +01:00` for an hour (the offset tells the two 01:00s of a fall-back night apart), `2026-11-24 early` for a shift. */
const windowLabel = (key: string): string => {
  const hour = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})([+-]\d{2}:\d{2})$/.exec(key);
  return hour === null ? key.replace('/', ' ') : `${hour[1]} ${hour[2]} ${hour[3]}`;
};

const labelled = (windows: readonly WindowSummary[]): WindowView[] =>
  windows.map((w) => ({ ...w, label: windowLabel(w.key) }));

/** Where the machine is now: its timeline with pending readings settled up to `endTs` (a missed heartbeat is a data gap), not yet closed. */
const currentOf = (
  closing: readonly MachineEvent[],
  timeline: MachineTimeline,
  endTs: number,
): MachineCard['current'] => {
  const last = timelineSegments(
    foldTimeline(
      closing.filter((e) => e.type !== 'WindowClosed'),
      timeline,
    ),
    endTs,
  ).at(-1);
  return last === undefined ? null : { state: last.state, reason: last.reason, since: last.from };
};

const compute = (db: FactoryDb, live: LiveStore): Computed => {
  const site = live.site();
  const machines = live.machines();
  const marker = live.marker();
  if (site === undefined || machines.size === 0) {
    return {
      overview: {
        version: 1,
        marker,
        waiting: true,
        startTs: null,
        endTs: null,
        messages: { received: 0, accepted: 0, rejected: 0, duplicates: 0 },
        factories: [],
        alerts: [],
        summary: null,
      },
      details: new Map(),
    };
  }
  const summary = summarizeStore(db, machines);
  const end = newestTs(machines.values());
  const rowOf = new Map(summary.machines.map((m) => [`${m.factoryId}/${m.lineId}/${m.machineId}`, m]));
  const details = new Map<string, MachineDetail>();
  let startTs = Infinity;
  for (const runtime of machines.values()) {
    const view = closedView(runtime, end);
    const segments = timelineSegments(foldTimeline(view.events, live.timeline(runtime.key)), end);
    if (segments[0] !== undefined) startTs = Math.min(startTs, segments[0].from);
    const row = rowOf.get(runtime.key)!;
    const alerts = view.alerts.map((a) => ({ ...a, open: a.clearedAt === null }));
    const name = site.factories
      .find((f) => f.id === runtime.entry.factory)
      ?.lines.find((l) => l.id === runtime.entry.line)
      ?.machines.find((m) => m.id === runtime.entry.machine)?.name;
    const card: MachineCard = {
      ...row,
      key: runtime.key,
      name: name ?? runtime.entry.machine,
      type: runtime.entry.type,
      idealCycleTimeS: runtime.entry.idealCycleTimeS,
      ...(runtime.entry.productCycleTimesS === undefined
        ? {}
        : { productCycleTimesS: runtime.entry.productCycleTimesS }),
      current: currentOf(view.events, live.timeline(runtime.key), end),
      openAlerts: alerts.filter((a) => a.open).length,
      timeline: segments,
    };
    details.set(runtime.key, {
      marker,
      card,
      shifts: labelled(row.shifts),
      hours: labelled(row.hours),
      pareto: paretoOf(row.downtimeByReason),
      alerts,
      metrics: [],
    });
  }
  const factories: FactoryView[] = site.factories.map((factory) => {
    const lines: LineView[] = factory.lines.map((line) => {
      const cards = line.machines.map((m) => details.get(`${factory.id}/${line.id}/${m.id}`)!.card);
      const oee = rollUpOee(cards);
      return { id: line.id, name: line.name ?? line.id, oee, pareto: paretoOf(oee.downtimeByReason), machines: cards };
    });
    const oee = rollUpOee(lines.flatMap((l) => l.machines));
    return {
      id: factory.id,
      name: factory.name ?? factory.id,
      timezone: factory.timezone,
      oee,
      pareto: paretoOf(oee.downtimeByReason),
      lines,
    };
  });
  const alerts: AlertView[] = summary.alerts.map((a) => ({
    ...a,
    key: `${a.factoryId}/${a.lineId}/${a.machineId}`,
    open: a.clearedAt === null,
  }));
  return {
    overview: {
      version: 1,
      marker,
      waiting: false,
      startTs: Number.isFinite(startTs) ? startTs : null,
      endTs: end,
      messages: summary.messages,
      factories,
      alerts,
      summary,
    },
    details,
  };
};

/** A stop nobody gave a reason yet, for the page's classify form. */
export type StopView = {
  readonly key: string;
  readonly factoryId: string;
  readonly lineId: string;
  readonly machineId: string;
  readonly state: string;
  readonly startTs: number;
  /** The store's newest time when it goes on. */
  readonly endTs: number;
  readonly ongoing: boolean;
  readonly downS: number;
};
export type StopsView = {
  readonly marker: number;
  readonly minMinutes: number;
  /** The site's reason catalog: the codes the form offers (empty without one). */
  readonly reasons: readonly ReasonConfig[];
  readonly stops: readonly StopView[];
};

const stopsView = (live: LiveStore, minMinutes: number): StopsView => {
  const machines = live.machines();
  const site = live.site();
  const end = newestTs(machines.values());
  const stops: StopView[] = [];
  for (const runtime of machines.values()) {
    const microStopMs = runtime.processor.config.oee.microStopMs;
    const { events } = closedView(runtime, end);
    const ongoing = stopsOf(runtime.stopEvents).at(-1);
    for (const stop of unclassifiedStops(
      stopsOf([...runtime.stopEvents, ...events]),
      runtime.classifications,
      microStopMs,
      minMinutes * 60_000,
    )) {
      stops.push({
        key: runtime.key,
        factoryId: runtime.entry.factory,
        lineId: runtime.entry.line,
        machineId: runtime.entry.machine,
        state: stop.state,
        startTs: stop.startTs,
        endTs: stop.endTs ?? end,
        ongoing: ongoing?.endTs === null && ongoing.startTs === stop.startTs,
        downS: stop.spans.reduce((sum, [from, to]) => sum + (to - from >= microStopMs ? to - from : 0), 0) / 1000,
      });
    }
  }
  stops.sort((a, b) => a.startTs - b.startTs || (a.key < b.key ? -1 : 1));
  return { marker: live.marker(), minMinutes, reasons: site?.reasons ?? [], stops };
};

export type DashboardViews = {
  readonly overview: () => Overview;
  /** Unclassified stops of at least `minMinutes` of downtime, with the catalog to classify them by. */
  readonly stops: (minMinutes: number) => StopsView;
  readonly machine: (key: string) => MachineDetail | undefined;
  readonly trend: (key: string, buckets: number) => TrendView | undefined;
};

export const dashboardViews = (db: FactoryDb, live: LiveStore): DashboardViews => {
  let cached: { readonly marker: number; readonly computed: Computed } | undefined;
  let cachedStops: { readonly marker: number; readonly view: StopsView } | undefined;
  const current = (): Computed => {
    if (cached?.marker !== live.marker()) cached = { marker: live.marker(), computed: compute(db, live) };
    return cached.computed;
  };
  const telemetry = sqliteTelemetrySink(db);
  const samplesOf = (key: string): Map<string, TrendSample[]> => {
    const [factory = '', line = '', machine = ''] = key.split('/');
    const byMetric = new Map<string, TrendSample[]>();
    for (const row of telemetry.machineReadings(factory, line, machine)) {
      for (const [name, value] of Object.entries(row.measures)) {
        let list = byMetric.get(name);
        if (list === undefined) byMetric.set(name, (list = []));
        list.push({ ts: row.ts, value });
      }
    }
    return byMetric;
  };
  const unitOf = (name: string): string | null => live.site()?.metrics[name]?.unit ?? null;
  return {
    overview: () => current().overview,
    // Cached like the other views: the page asks at every change.
    stops: (minMinutes) => {
      if (cachedStops?.marker !== live.marker() || cachedStops.view.minMinutes !== minMinutes)
        cachedStops = { marker: live.marker(), view: stopsView(live, minMinutes) };
      return cachedStops.view;
    },
    machine: (key) => {
      const detail = current().details.get(key);
      if (detail === undefined) return undefined;
      const latest = telemetry.latestReading(detail.card.factoryId, detail.card.lineId, detail.card.machineId);
      const metrics =
        latest === undefined
          ? []
          : Object.keys(latest.measures)
              .sort()
              .map((name) => ({ name, unit: unitOf(name) }));
      return { ...detail, metrics };
    },
    trend: (key, buckets) => {
      if (!current().details.has(key)) return undefined;
      const metrics: Record<string, TrendSeries & { unit: string | null }> = {};
      for (const [name, samples] of [...samplesOf(key)].sort(([a], [b]) => (a < b ? -1 : 1)))
        metrics[name] = { ...trendBuckets(samples, buckets), unit: unitOf(name) };
      return { marker: live.marker(), metrics };
    },
  };
};
