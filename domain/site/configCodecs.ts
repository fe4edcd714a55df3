// The small codecs the site configuration (docs/site-configuration.md) is built from. Each failure is the sentence a
// person reads after the path: `idealCycleTimeS: expected a number > 0, got 0`.
import * as t from 'io-ts';
import { describeValue as show, failWith } from '../decodeError.ts';
import {
  FlatlineSpec,
  HeartbeatSpec,
  MaintenanceSpec,
  RateOfChangeSpec,
  ThresholdSpec,
  type DetectorSpec,
} from '../detectors/detectorSpec.ts';
import { closed, isRecord } from '../closedStruct.ts';
import { refined } from '../refined.ts';
import { DIMENSIONS, isKnownUnit, unitsOf } from '../units/convert.ts';
import { isMetricName, METRIC_NAME_RULE } from '../wire/primitives.ts';
import { isClockTime } from './clockTime.ts';

const stringWhere = (name: string, accept: (s: string) => boolean, hint: string): t.Type<string, string, unknown> =>
  refined(name, (u): u is string => typeof u === 'string' && accept(u), name, hint);

export const ClockTime = stringWhere('a time of day "HH:MM" (00:00-23:59)', isClockTime, '; write midnight as "00:00"');

// IANA names are Area/Location (or a bare name such as UTC); `Intl` knows which ones exist. A fixed
// offset like "+01:00" is refused: it ignores daylight saving time, which the plant's clocks do not.
// So are the tz database's legacy names for fixed offsets (EST is -05:00 all year, never EDT).
const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;
const isTimeZone = (zone: string): boolean => {
  if (!IANA_SHAPE.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};
const FIXED_LEGACY_ZONES: Readonly<Record<string, string>> = {
  EST: '"America/New_York" (Eastern time)',
  MST: '"America/Denver" (Mountain time; "America/Phoenix" keeps standard time all year)',
  HST: '"Pacific/Honolulu"',
};
/** Why a legacy fixed-offset name is not the plant's zone, with the zone to use; undefined for any other name. */
const fixedLegacyZone = (zone: string): string | undefined => {
  const instead =
    FIXED_LEGACY_ZONES[zone.toUpperCase()] ??
    (/^Etc\/GMT[+-]\d{1,2}$/i.test(zone) ? 'the zone of the plant\'s city, e.g. "America/Chicago"' : undefined);
  return instead === undefined
    ? undefined
    : `: a legacy name for a fixed offset that ignores daylight saving time; use ${instead}`;
};
export const TimeZone = new t.Type<string, string, unknown>(
  'an IANA time zone such as "Europe/Berlin"',
  (u): u is string => typeof u === 'string' && isTimeZone(u) && fixedLegacyZone(u) === undefined,
  (u, c) => {
    if (typeof u === 'string' && isTimeZone(u)) {
      const legacy = fixedLegacyZone(u);
      return legacy === undefined
        ? t.success(u)
        : failWith(u, c, `expected an IANA time zone such as "Europe/Berlin", got ${show(u)}${legacy}`);
    }
    return failWith(
      u,
      c,
      `expected an IANA time zone such as "Europe/Berlin", got ${show(u)}; see the tz database names (Intl.supportedValuesOf("timeZone"))`,
    );
  },
  t.identity,
);

export const UnitName = stringWhere(
  'a known unit',
  isKnownUnit,
  `; known units are ${DIMENSIONS.flatMap(unitsOf).join(', ')}`,
);

// The metric names the wire contract accepts: names become Timestream measure names, so the site may
// only configure names a telemetry message can carry.
export const MetricName = refined(METRIC_NAME_RULE, isMetricName, METRIC_NAME_RULE);

const DETECTOR_KINDS = {
  threshold: ThresholdSpec,
  heartbeat: HeartbeatSpec,
  rateOfChange: RateOfChangeSpec,
  flatline: FlatlineSpec,
  maintenance: MaintenanceSpec,
} as const;
const closedDetectors: Record<string, t.Type<DetectorSpec, unknown, unknown>> = Object.fromEntries(
  Object.entries(DETECTOR_KINDS).map(([kind, codec]) => [kind, closed(codec as t.Mixed, `a ${kind} detector`)]),
);

/**
 * One detector, chosen by its `kind` first: a plain union would report every other kind's
 * mismatches (`kind: expected "heartbeat"`) for a threshold with one bad field.
 */
export const Detector = new t.Type<DetectorSpec, unknown, unknown>(
  'a detector',
  (u): u is DetectorSpec => Object.values(DETECTOR_KINDS).some((codec) => codec.is(u)),
  (u, c) => {
    if (!isRecord(u))
      return failWith(
        u,
        c,
        `expected a detector object with a kind (${Object.keys(DETECTOR_KINDS).join(', ')}), got ${show(u)}`,
      );
    const codec =
      typeof u.kind === 'string' && Object.prototype.hasOwnProperty.call(closedDetectors, u.kind)
        ? closedDetectors[u.kind]
        : undefined;
    if (codec === undefined)
      return failWith(
        u.kind,
        [...c, { key: 'kind', type: t.unknown, actual: u.kind }],
        `expected one of ${Object.keys(DETECTOR_KINDS).join(', ')}, got ${show(u.kind)}`,
      );
    return codec.validate(u, c);
  },
  t.identity,
);
