// Reason coding after the fact: an operator names why a machine stopped once the stop is over (or while
// it goes on). `decideClassification` checks the request against the machine's stops and the site's
// reason catalog and gives the decision to append; `applyClassifications` moves the stop's booked
// seconds, in every window it touched, from the reason it had ("unspecified" when none) to the new
// one — the last classification of a stop wins. Planned, run and down time never change, so neither
// does availability or OEE: only the loss Pareto does.
import * as E from 'fp-ts/lib/Either.js';
import type { DowntimeClassified } from '../machine/events.ts';
import { bookTime, type OeeConfig, type OeeProjectionState } from '../oee/oeeProjection.ts';
import type { WindowTotals } from '../oee/windowTotals.ts';
import { DOWNTIME_CATEGORIES, UNSPECIFIED, type ReasonConfig } from '../site/reasonCatalog.ts';
import { stopAt, type Stop } from './stops.ts';

export type ClassifyRequest = {
  /** `factory/line/machine`, for messages. */
  readonly machine: string;
  readonly at: number;
  readonly reason: string;
  readonly by: string | null;
  readonly classifiedAt: number;
};

/** Which input is wrong (`reason` or `at`) and why, in words a person can act on. */
export type ClassifyProblem = { readonly field: 'reason' | 'at'; readonly message: string };

const iso = (ms: number): string => new Date(ms).toISOString();

const describeStop = (stop: Stop): string =>
  `${stop.state} ${iso(stop.startTs)}–${stop.endTs === null ? 'ongoing' : iso(stop.endTs)}`;

/** Whether any of the stop's time was booked as downtime (a span at least as long as the micro-stop threshold). */
export const bookedAsDowntime = (stop: Stop, microStopMs: number): boolean =>
  stop.endTs === null || stop.spans.some(([from, to]) => to - from >= microStopMs);

export const decideClassification = (
  catalog: readonly ReasonConfig[] | undefined,
  stops: readonly Stop[],
  microStopMs: number,
  request: ClassifyRequest,
): E.Either<ClassifyProblem, DowntimeClassified> => {
  if (catalog === undefined || catalog.length === 0)
    return E.left({
      field: 'reason',
      message: `the site configuration has no reason catalog; add "reasons" (code and category of each reason, docs/site-configuration.md) and replay with it`,
    });
  const entry = catalog.find((r) => r.code === request.reason);
  if (entry === undefined)
    return E.left({
      field: 'reason',
      message: `"${request.reason}" is not in the site's reason catalog; use one of ${catalog.map((r) => r.code).join(', ')}`,
    });
  if (!DOWNTIME_CATEGORIES.includes(entry.category))
    return E.left({
      field: 'reason',
      message: `"${request.reason}" is a ${entry.category} loss, not downtime; a stop takes a reason of ${DOWNTIME_CATEGORIES.join(', ')}`,
    });
  const stop = stopAt(stops, request.at);
  if (stop === undefined) {
    const before = stops.filter((s) => s.startTs <= request.at).at(-1);
    const after = stops.find((s) => s.startTs > request.at);
    const near = [before, after].filter((s): s is Stop => s !== undefined).map(describeStop);
    return E.left({
      field: 'at',
      message: `${request.machine} was not stopped (DOWN, SETUP or IDLE) at ${iso(request.at)}; ${
        near.length === 0 ? 'it has no stops to classify' : `the nearest stops: ${near.join(', ')}`
      }`,
    });
  }
  if (!bookedAsDowntime(stop, microStopMs))
    return E.left({
      field: 'at',
      message: `the stop at ${iso(request.at)} (${describeStop(stop)}) is shorter than the micro-stop threshold (${microStopMs / 1000} s): it counts as run time, so it has no downtime to classify`,
    });
  return E.right({
    type: 'DowntimeClassified',
    ts: stop.startTs,
    reason: request.reason,
    classifiedAt: request.classifiedAt,
    by: request.by,
  });
};

/** The reason each classified stop counts under, by its start: the last classification wins. */
export const classifiedReasons = (classifications: Iterable<DowntimeClassified>): Map<number, DowntimeClassified> => {
  const latest = new Map<number, DowntimeClassified>();
  for (const c of classifications) latest.set(c.ts, c);
  return latest;
};

/** The reason a stop's downtime counts under: its classification's, else its state message's, else "unspecified". */
export const reasonOfStop = (stop: Stop, classified: ReadonlyMap<number, DowntimeClassified>): string =>
  classified.get(stop.startTs)?.reason ?? stop.reason ?? UNSPECIFIED;

const moveReason = (totals: WindowTotals, from: string, to: string, ms: number): WindowTotals => {
  const downByReason: Record<string, number> = { ...totals.downByReason };
  const left = (downByReason[from] ?? 0) - ms;
  if (left > 0) downByReason[from] = left;
  else delete downByReason[from];
  downByReason[to] = (downByReason[to] ?? 0) + ms;
  return { ...totals, downByReason };
};

/** The OEE projection with every classified stop's downtime moved to its reason, in every window it was booked into. */
export const applyClassifications = (
  config: OeeConfig,
  oee: OeeProjectionState,
  stops: readonly Stop[],
  classifications: Iterable<DowntimeClassified>,
): OeeProjectionState => {
  const classified = classifiedReasons(classifications);
  if (classified.size === 0) return oee;
  const open: Record<string, WindowTotals> = { ...oee.openWindows };
  const closed: Record<string, WindowTotals> = { ...oee.closedWindows };
  for (const stop of stops) {
    const to = classified.get(stop.startTs)?.reason;
    const from = stop.reason ?? UNSPECIFIED;
    if (to === undefined || to === from) continue;
    for (const [start, end] of stop.spans) {
      if (end - start < config.microStopMs) continue;
      // The same booking the projection made of this span, on empty windows: what it put in each.
      const booking = bookTime(
        config,
        { openWindows: {}, closedWindows: {} },
        { kind: 'down', reason: from },
        start,
        end,
        // Its product's and order's windows too, as the projection booked them.
        stop.jobs,
      );
      const booked = { ...booking.closedWindows, ...booking.openWindows };
      for (const [key, totals] of Object.entries(booked)) {
        const ledger = key in open ? open : key in closed ? closed : undefined;
        if (ledger !== undefined) ledger[key] = moveReason(ledger[key]!, from, to, totals.downMs);
      }
    }
  }
  return { ...oee, openWindows: open, closedWindows: closed };
};

/** Stops nobody gave a reason — no state message reason, no classification — with at least `minMs` booked as downtime, oldest first. */
export const unclassifiedStops = (
  stops: readonly Stop[],
  classifications: Iterable<DowntimeClassified>,
  microStopMs: number,
  minMs: number,
): Stop[] => {
  const classified = classifiedReasons(classifications);
  return stops.filter(
    (stop) =>
      stop.reason === null &&
      !classified.has(stop.startTs) &&
      stop.spans.reduce((sum, [from, to]) => sum + (to - from >= microStopMs ? to - from : 0), 0) >= minMs,
  );
};
