// The site configuration as written (docs/site-configuration.md), before cross-field checks and defaults: the
// codecs, and the types derived from them, so a field is declared once.
import * as t from 'io-ts';
import { listOf, struct } from '../closedStruct.ts';
import { AnyNumber, NonNegativeNumber, PositiveNumber } from '../refined.ts';
import { Id, VersionOne } from '../wire/primitives.ts';
import { ClockTime, Detector, MetricName, TimeZone, UnitName } from './configCodecs.ts';
import { ReasonCatalogCodec } from './reasonCatalog.ts';
import { calendarCodec } from './calendarConfig.ts';
import { ProductCodec } from './productCatalog.ts';
import { MaintenanceSettingsCodec } from '../maintenance/failureReasons.ts';
import { COUNTER_BITS, type CounterBits } from '../machine/counterWidth.ts';
import { describeValue as show, failWith } from '../decodeError.ts';

const isCounterBits = (u: unknown): u is CounterBits => (COUNTER_BITS as readonly unknown[]).includes(u);
const CounterBitsCodec = new t.Type<CounterBits, number, unknown>(
  'a counter width in bits',
  isCounterBits,
  (u, c) =>
    isCounterBits(u)
      ? t.success(u)
      : failWith(u, c, `expected a counter width in bits (${COUNTER_BITS.join(' or ')}), got ${show(u)}`),
  t.identity,
);

export const MachineCodec = struct(
  'a machine',
  { id: Id, type: Id, idealCycleTimeS: PositiveNumber },
  // counterBits: the width of the machine's total and reject counters, so a wrap is an advance (machine/counterWidth.ts).
  { name: t.string, counterBits: CounterBitsCodec },
);
export const LineCodec = struct(
  'a line',
  { id: Id, machines: listOf(MachineCodec, 'machines', false) },
  // calendar: one of `calendars`; a line's wins over its factory's.
  { name: t.string, calendar: Id },
);
export const FactoryCodec = struct(
  'a factory',
  { id: Id, timezone: TimeZone, lines: listOf(LineCodec, 'lines', false) },
  // calendar: one of `calendars`; wins over the site-wide `shifts`.
  { name: t.string, calendar: Id },
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
    reasons: ReasonCatalogCodec,
    products: listOf(ProductCodec, 'products', false),
    calendars: listOf(calendarCodec(ShiftCodec), 'calendars', false),
    maintenance: MaintenanceSettingsCodec,
  },
);
/** A decoded value as the rest of the code sees it: nothing in it is changed after load. */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type SiteDocument = DeepReadonly<t.TypeOf<typeof SiteConfigCodec>>;
export type SiteMachineConfig = DeepReadonly<t.TypeOf<typeof MachineCodec>>;
export type LineConfig = DeepReadonly<t.TypeOf<typeof LineCodec>>;
export type FactoryConfig = DeepReadonly<t.TypeOf<typeof FactoryCodec>>;
export type BreakConfig = DeepReadonly<t.TypeOf<typeof BreakCodec>>;
export type ShiftConfig = DeepReadonly<t.TypeOf<typeof ShiftCodec>>;
/** A metric's canonical unit and valid range; an absent bound is unbounded. */
export type MetricSpec = DeepReadonly<t.TypeOf<typeof MetricSpecCodec>>;
