// A telemetry reading in the metric's canonical unit (DESIGN §3), or the reason it is bad input.
//
// A metric the site does not configure is rejected: without an entry in `metrics` it has no canonical
// unit, so a value could not be stored comparably next to the same metric from another machine, and
// no valid range guards it. The caller decides whether that rejects the whole message or only the
// metric; the reason names the metric and says how to add it.
import * as E from 'fp-ts/lib/Either.js';
import type { MetricReading } from '../wire/messages.ts';
import { convert } from '../units/convert.ts';
import type { SiteConfig } from './siteConfig.ts';

// Enough digits to tell a value from its bound, few enough to read.
const shown = (n: number): string => String(Number(n.toPrecision(6)));

export const normalizeMetric = (site: SiteConfig, name: string, reading: MetricReading): E.Either<string, number> => {
  const spec = Object.prototype.hasOwnProperty.call(site.metrics, name) ? site.metrics[name] : undefined;
  if (spec === undefined) {
    const known = Object.keys(site.metrics);
    return E.left(`${name}: unknown metric; the site configuration's metrics has ${known.length > 0 ? known.join(', ') : 'none'}; add "${name}" with its unit and range to accept it`);
  }
  const canonical = reading.unit === undefined ? E.right(reading.value) : convert(reading.value, reading.unit, spec.unit);
  if (E.isLeft(canonical)) return E.left(`${name}: ${canonical.left}`);
  const value = canonical.right;
  const outside = (bound: number, side: string): E.Either<string, number> => {
    // Rounded for reading, unless rounding would make the value look equal to its bound.
    const v = shown(value) === shown(bound) ? String(value) : shown(value);
    const given = reading.unit === undefined || reading.unit === spec.unit ? `${v} ${spec.unit}` : `${shown(reading.value)} ${reading.unit} (${v} ${spec.unit})`;
    return E.left(`${name}: ${given} is ${side} ${shown(bound)} ${spec.unit}`);
  };
  if (spec.max !== undefined && value > spec.max) return outside(spec.max, 'above the valid maximum');
  if (spec.min !== undefined && value < spec.min) return outside(spec.min, 'below the valid minimum');
  return E.right(value);
};
