// A machine's stream configuration, read from the site configuration: its lateness and heartbeat,
// its detectors, and the production calendar of its factory.
import type { RiskStrategy } from '../detectors/maintenanceDetector.ts';
import { unrunnableDetectors, type DetectorOptions } from '../detectors/runDetectors.ts';
import type { MaintenanceModel } from '../maintenance/maintenanceModel.ts';
import type { ProductionCalendar } from '../oee/calendar.ts';
import { counterModulus } from '../machine/counterWidth.ts';
import { calendarOf, calendarShifts } from '../site/calendarConfig.ts';
import { hourKeyIn, plannedIntervalsIn, shiftKeyLookup, shiftSpanIn, type Shifts } from '../site/shiftCalendar.ts';
import type { SiteConfig } from '../site/siteConfig.ts';
import type { MachineEntry } from '../site/siteRegistry.ts';
import type { MachineStreamConfig } from './machineStream.ts';

const QUARTER_HOUR_MS = 15 * 60 * 1000;
const CACHE_LIMIT = 100_000;

/** Remembers a function of time that is constant within each bucket (a cache, so still a pure function). */
const perBucket = <A>(bucketMs: number, compute: (bucketStart: number) => A): ((ms: number) => A) => {
  const cache = new Map<number, A>();
  return (ms) => {
    const bucket = Math.floor(ms / bucketMs);
    let value = cache.get(bucket);
    if (value === undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      value = compute(bucket * bucketMs);
      cache.set(bucket, value);
    }
    return value;
  };
};

/**
 * The shifts a machine works: its line's calendar, else its factory's, else the site-wide `shifts`
 * (docs/site-configuration.md#calendars).
 */
export const machineShifts = (site: SiteConfig, machine: Pick<MachineEntry, 'calendar'>): Shifts => {
  const calendar = calendarOf(site.calendars, undefined, machine.calendar);
  return calendar === undefined ? site.shifts : calendarShifts(calendar);
};

/**
 * The calendar of one factory (or of one line's calendar there). Time-zone arithmetic is the costliest step of booking time, and its
 * answers change only on boundaries: local hours on quarter hours (every zone's offset is a whole
 * number of quarter hours), so each hour key is computed once per quarter hour; a shift key is looked
 * up in the shift instances of its local date, built once per date (shiftKeyLookup).
 */
export const factoryCalendar = (
  site: SiteConfig,
  timezone: string,
  shifts: Shifts = site.shifts,
): ProductionCalendar => ({
  plannedIntervals: (fromMs, toMs) => plannedIntervalsIn(timezone, shifts, fromMs, toMs),
  hourKey: perBucket(QUARTER_HOUR_MS, (start) => hourKeyIn(timezone, start)),
  shiftKeyAt: shiftKeyLookup(timezone, shifts),
  shiftSpan: (shiftKey) => shiftSpanIn(timezone, shifts, shiftKey),
});

/**
 * What the pipeline needs beyond the site file: the failure model of `maintenance` detectors, and
 * where their risks come from when not from that model (a shell's risks scored beforehand).
 */
export type StreamOptions = { readonly maintenanceModel?: MaintenanceModel; readonly scoreWith?: RiskStrategy };

/**
 * Why the site cannot run with these options, one line per detector (`detectors.cnc[5]: …`): checked
 * when a pipeline loads, so a maintenance detector without a model stops the start, not the alerts.
 */
export const streamConfigProblems = (site: SiteConfig, options: StreamOptions, howToSupply: string): string[] =>
  Object.entries(site.detectors).flatMap(([type, specs]) =>
    unrunnableDetectors(specs, options, howToSupply).map(
      (problem) => `detectors.${type}${problem.slice('detectors'.length)}`,
    ),
  );

/** One configuration per factory and calendar, shared by all of its machines. */
export const streamConfigs = (site: SiteConfig, options: StreamOptions = {}) => {
  const calendars = new Map<string, ProductionCalendar>();
  const metricUnits = Object.fromEntries(Object.entries(site.metrics).map(([name, metric]) => [name, metric.unit]));
  const detectorOptions: DetectorOptions = {
    metricUnits,
    ...(options.maintenanceModel === undefined ? {} : { maintenanceModel: options.maintenanceModel }),
    ...(options.scoreWith === undefined ? {} : { scoreWith: options.scoreWith }),
  };
  return (machine: MachineEntry): MachineStreamConfig => {
    // Ids cannot contain '/', and a calendar id is an id: the key names one factory and calendar.
    const key = `${machine.factory}/${machine.calendar ?? ''}`;
    let calendar = calendars.get(key);
    if (calendar === undefined) {
      calendar = factoryCalendar(site, machine.timezone, machineShifts(site, machine));
      calendars.set(key, calendar);
    }
    return {
      machine: {
        allowedLatenessMs: site.allowedLatenessS * 1000,
        heartbeatTimeoutMs: site.heartbeatTimeoutS * 1000,
        ...(machine.counterBits === undefined ? {} : { counterModulus: counterModulus(machine.counterBits) }),
      },
      alerts: {
        detectors: machine.detectors,
        allowedLatenessMs: site.allowedLatenessS * 1000,
        options: detectorOptions,
      },
      oee: { calendar, microStopMs: site.microStopS * 1000 },
      idealCycleTimeS: machine.idealCycleTimeS,
      ...(machine.productCycleTimesS === undefined ? {} : { productCycleTimesS: machine.productCycleTimesS }),
    };
  };
};
