// The site configuration, version 1 (docs/site-configuration.md): factories ▸ lines ▸ machines, the shift calendar,
// each metric's canonical unit and valid range, and the detectors per machine type. Everything is
// checked at load, and each problem is one line naming the path of the bad field.
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { formatDecodeErrors } from '../decodeError.ts';
import type { DetectorSpec } from '../detectors/detectorSpec.ts';
import { Id, VersionOne } from '../wire/primitives.ts';
import {
  AnyNumber,
  ClockTime,
  Detector,
  listOf,
  MetricName,
  NonNegativeNumber,
  PositiveNumber,
  struct,
  TimeZone,
  UnitName,
} from './configCodecs.ts';
import { siteProblems } from './siteChecks.ts';
import {
  failureReasonProblems,
  MaintenanceSettingsCodec,
  type MaintenanceSettings,
} from '../maintenance/failureReasons.ts';

export { siteRegistry, type MachineEntry, type SiteRegistry } from './siteRegistry.ts';
export { normalizeMetric } from './normalizeMetric.ts';

export const MachineCodec = struct(
  'a machine',
  { id: Id, type: Id, idealCycleTimeS: PositiveNumber },
  { name: t.string },
);
export const LineCodec = struct(
  'a line',
  { id: Id, machines: listOf(MachineCodec, 'machines', false) },
  { name: t.string },
);
export const FactoryCodec = struct(
  'a factory',
  { id: Id, timezone: TimeZone, lines: listOf(LineCodec, 'lines', false) },
  { name: t.string },
);
export const BreakCodec = struct('a break', { start: ClockTime, end: ClockTime }, {});
export const ShiftCodec = struct(
  'a shift',
  { name: Id, start: ClockTime, end: ClockTime },
  { breaks: listOf(BreakCodec, 'breaks', false) },
);
export const MetricSpecCodec = struct('a metric', { unit: UnitName }, { min: AnyNumber, max: AnyNumber });

/** The document as written, before cross-field checks and defaults. */
export const SiteConfigCodec = struct(
  'a site configuration',
  { version: VersionOne, factories: listOf(FactoryCodec, 'factories', true) },
  {
    // An empty list would mean "no time is ever planned"; leaving `shifts` out means "all time is planned".
    shifts: listOf(ShiftCodec, 'shifts (leave shifts out to plan all time)', true),
    microStopS: NonNegativeNumber,
    heartbeatTimeoutS: NonNegativeNumber,
    allowedLatenessS: NonNegativeNumber,
    metrics: t.record(MetricName, MetricSpecCodec, 'an object of metric name to {unit, min, max}'),
    detectors: t.record(Id, listOf(Detector, 'detectors', false), 'an object of machine type to a list of detectors'),
    maintenance: MaintenanceSettingsCodec,
  },
);
export type SiteDocument = t.TypeOf<typeof SiteConfigCodec>;

export type MachineConfig = {
  readonly id: string;
  readonly type: string;
  readonly idealCycleTimeS: number;
  readonly name?: string;
};
export type LineConfig = { readonly id: string; readonly machines: readonly MachineConfig[]; readonly name?: string };
export type FactoryConfig = {
  readonly id: string;
  readonly timezone: string;
  readonly lines: readonly LineConfig[];
  readonly name?: string;
};
export type BreakConfig = { readonly start: string; readonly end: string };
export type ShiftConfig = {
  readonly name: string;
  readonly start: string;
  readonly end: string;
  readonly breaks?: readonly BreakConfig[];
};
/** A metric's canonical unit and valid range; an absent bound is unbounded. */
export type MetricSpec = { readonly unit: string; readonly min?: number; readonly max?: number };

export type SiteConfig = {
  readonly version: 1;
  readonly factories: readonly FactoryConfig[];
  /** Absent: all time is planned except PLANNED_STOP and OFF (docs/site-configuration.md). */
  readonly shifts?: readonly ShiftConfig[];
  readonly microStopS: number;
  readonly heartbeatTimeoutS: number;
  readonly allowedLatenessS: number;
  readonly metrics: Readonly<Record<string, MetricSpec>>;
  /** Per machine type; threshold clear bounds are filled in (absent = the raise bound). */
  readonly detectors: Readonly<Record<string, readonly DetectorSpec[]>>;
  /** Which stop reasons are failures, per machine type: the labels of the plant's own history. */
  readonly maintenance?: MaintenanceSettings;
};

export const DEFAULT_MICRO_STOP_S = 120;
export const DEFAULT_HEARTBEAT_TIMEOUT_S = 300;
export const DEFAULT_ALLOWED_LATENESS_S = 600;

// formatDecodeErrors joins keys with dots (`factories.0.lines`); a person reading a configuration
// thinks in `factories[0].lines`. Formatting once more with a marker message recovers each line's
// exact path, so a message that itself contains ": " is never cut in the wrong place.
const MARK = '\u0000';
const bracketed = (path: string): string => path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
const codecProblems = (errors: t.Errors): string[] => {
  const lines = formatDecodeErrors(errors);
  const paths = formatDecodeErrors(errors.map((error) => ({ ...error, message: MARK })));
  return lines.map((line, i) => {
    const marked = paths[i] ?? '';
    if (marked === MARK) return line;
    const path = marked.slice(0, -(MARK.length + 2));
    return `${bracketed(path)}${line.slice(path.length)}`;
  });
};

const withClearBounds = (spec: DetectorSpec): DetectorSpec =>
  spec.kind !== 'threshold'
    ? spec
    : {
        ...spec,
        ...(spec.above !== undefined && spec.clearBelow === undefined ? { clearBelow: spec.above } : {}),
        ...(spec.below !== undefined && spec.clearAbove === undefined ? { clearAbove: spec.below } : {}),
      };

const withDefaults = (doc: SiteDocument): SiteConfig => ({
  ...doc,
  version: 1,
  microStopS: doc.microStopS ?? DEFAULT_MICRO_STOP_S,
  heartbeatTimeoutS: doc.heartbeatTimeoutS ?? DEFAULT_HEARTBEAT_TIMEOUT_S,
  allowedLatenessS: doc.allowedLatenessS ?? DEFAULT_ALLOWED_LATENESS_S,
  metrics: doc.metrics ?? {},
  detectors: Object.fromEntries(
    Object.entries(doc.detectors ?? {}).map(([type, specs]) => [type, specs.map(withClearBounds)]),
  ),
});

/** A parsed JSON or YAML document → the site, or every problem found, one line each. */
export const decodeSiteConfig = (json: unknown): E.Either<readonly string[], SiteConfig> => {
  const decoded = SiteConfigCodec.decode(json);
  if (E.isLeft(decoded)) return E.left(codecProblems(decoded.left));
  const machineTypes = decoded.right.factories.flatMap((f) => f.lines.flatMap((l) => l.machines.map((m) => m.type)));
  const problems = [...siteProblems(decoded.right), ...failureReasonProblems(decoded.right.maintenance, machineTypes)];
  return problems.length > 0 ? E.left(problems) : E.right(withDefaults(decoded.right));
};
