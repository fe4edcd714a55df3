// What a simulated machine publishes for the site it is simulated for: the plant model knows the
// sample's sensors (pressure of a press, power of a robot, a CNC's spindle), so a machine of another
// site publishes the site's own metrics — those its detectors read, else all of the site's — each in
// a range the site calls normal. A modelled metric the site keeps in another unit is sent with its
// unit, so the pipeline converts it as it would a real sensor's.
import { MAINTENANCE_METRICS } from '../../domain/maintenance/features.ts';
import type { MetricSpec, SiteConfig } from '../../domain/site/siteConfig.ts';
import type { MachineEntry } from '../../domain/site/siteRegistry.ts';
import type { Random } from './simulatorRandom.ts';

/** The units the plant model's values are in (machineBehaviour.ts). */
const MODEL_UNITS: Readonly<Record<string, string>> = {
  spindle_temp: 'degC',
  pressure: 'kPa',
  vibration: 'mm/s',
  power: 'kW',
  spindle_speed: 'rpm',
  torque: 'Nm',
  tool_wear: 'min',
  air_temp: 'K',
  process_temp: 'K',
};

const round = (value: number, digits: number): number => Number(value.toFixed(digits));
const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** The metrics a machine's detectors read, in the order they name them. */
const detectorMetrics = (machine: MachineEntry): string[] => [
  ...new Set(
    machine.detectors.flatMap((spec) =>
      spec.kind === 'heartbeat' ? [] : spec.kind === 'maintenance' ? Object.values(MAINTENANCE_METRICS) : [spec.metric],
    ),
  ),
];

/** The normal band of a metric: inside its valid range and clear of every threshold the machine's detectors watch it with. */
const normalBand = (spec: MetricSpec, machine: MachineEntry, name: string): readonly [number, number] => {
  let low = spec.min ?? 0;
  let high = spec.max ?? low + 100;
  for (const d of machine.detectors) {
    if (d.kind !== 'threshold' || d.metric !== name) continue;
    if (d.above !== undefined) high = Math.min(high, d.clearBelow ?? d.above);
    if (d.below !== undefined) low = Math.max(low, d.clearAbove ?? d.below);
  }
  return high > low ? [low, high] : [low, low + 1];
};

/**
 * The telemetry metrics of one sample of `machine`: the model's `values` the site configures (bare
 * numbers in its units, or with the model's unit where the site's differs), and a value in the normal
 * band for each metric the site wants that the model does not know. For the sample site nothing is
 * added or drawn: its recording stays as it was.
 */
export const siteMetrics = (
  site: SiteConfig,
  machine: MachineEntry,
  values: Readonly<Record<string, number>>,
  random: Random,
  running: boolean,
): Record<string, unknown> => {
  const wanted = detectorMetrics(machine).filter((name) => hasOwn(site.metrics, name));
  const modelled = Object.keys(values).filter((name) => hasOwn(site.metrics, name));
  const names = [...modelled, ...wanted.filter((name) => !modelled.includes(name))];
  const published = names.length > 0 ? names : Object.keys(site.metrics);
  const metrics: Record<string, unknown> = {};
  for (const name of published) {
    const spec = site.metrics[name]!;
    const value = values[name];
    if (value !== undefined) {
      const unit = MODEL_UNITS[name];
      metrics[name] = unit === undefined || unit === spec.unit ? round(value, 2) : { value: round(value, 2), unit };
      continue;
    }
    const [low, high] = normalBand(spec, machine, name);
    const span = high - low;
    // Running near the middle of the band, idle in its lower quarter; a little noise, so no flatline detector fires.
    const centre = running ? low + span / 2 : low + span / 4;
    metrics[name] = round(centre + (random.next() - 0.5) * span * 0.04, 3);
  }
  return metrics;
};
