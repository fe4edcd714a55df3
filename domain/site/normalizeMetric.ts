// A telemetry reading in the metric's canonical unit (docs/wire-contract.md), or the reason it is bad input.
//
// A metric the site does not configure is rejected: without an entry in `metrics` it has no canonical
// unit, so a value could not be stored comparably next to the same metric from another machine, and
// no valid range guards it. The caller decides whether that rejects the whole message or only the
// metric; the reason names the metric and says how to add it.
import * as E from 'fp-ts/lib/Either.js';
import type { MetricReading } from '../wire/messages.ts';
import { convert } from '../units/convert.ts';
import type { MetricSpec, SiteConfig } from './siteConfig.ts';

// Enough digits to tell a value from its bound, few enough to read.
const shown = (n: number): string => String(Number(n.toPrecision(6)));

export const isConfiguredMetric = (site: SiteConfig, name: string): boolean =>
  Object.prototype.hasOwnProperty.call(site.metrics, name);

/**
 * Why metrics the site does not configure are refused, said once for all of them (`names` as the
 * message's paths, `metrics.a, metrics.b`): the list of known metrics is not repeated per metric.
 */
export const unknownMetricsReason = (site: SiteConfig, names: readonly string[]): string => {
  const known = Object.keys(site.metrics);
  const has = `the site configuration's metrics has ${known.length > 0 ? known.join(', ') : 'none'}`;
  return names.length === 1
    ? `${names[0]}: unknown metric; ${has}; add "${names[0]}" with its unit and range to accept it`
    : `${names.join(', ')}: unknown metrics; ${has}; add them with their units and ranges to accept them`;
};

const unknownMetric = (site: SiteConfig, name: string): E.Either<string, number> =>
  E.left(unknownMetricsReason(site, [name]));

const outside = (
  name: string,
  reading: MetricReading,
  spec: MetricSpec,
  value: number,
  bound: number,
  side: string,
): E.Either<string, number> => {
  // Rounded for reading, unless rounding would make the value look equal to its bound.
  const v = shown(value) === shown(bound) ? String(value) : shown(value);
  const given =
    reading.unit === undefined || reading.unit === spec.unit
      ? `${v} ${spec.unit}`
      : `${shown(reading.value)} ${reading.unit} (${v} ${spec.unit})`;
  return E.left(`${name}: ${given} is ${side} ${shown(bound)} ${spec.unit}`);
};

// Runs once per metric of every telemetry message: no closures made per call (tsx names each one it
// creates, which showed in the replay's profile).
export const normalizeMetric = (site: SiteConfig, name: string, reading: MetricReading): E.Either<string, number> => {
  const spec = Object.prototype.hasOwnProperty.call(site.metrics, name) ? site.metrics[name] : undefined;
  if (spec === undefined) return unknownMetric(site, name);
  let value = reading.value;
  if (reading.unit !== undefined) {
    const canonical = convert(reading.value, reading.unit, spec.unit);
    if (E.isLeft(canonical)) return E.left(`${name}: ${canonical.left}`);
    value = canonical.right;
  }
  if (spec.max !== undefined && value > spec.max)
    return outside(name, reading, spec, value, spec.max, 'above the valid maximum');
  if (spec.min !== undefined && value < spec.min)
    return outside(name, reading, spec, value, spec.min, 'below the valid minimum');
  return E.right(value);
};
