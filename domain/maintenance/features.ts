// The features a failure model sees, derived the same way for training rows and for live telemetry,
// so the model scores in production exactly what it was trained on. The physics follows the AI4I 2020
// dataset's generating rules (Matzka 2020): heat dissipation depends on the process−air temperature
// difference and the speed, power failure on torque × speed, overstrain on tool wear × torque against a
// limit set by the product variant. The trees get these quantities; they learn the thresholds themselves.
import * as E from 'fp-ts/lib/Either.js';
import type { MetricReading } from '../wire/messages.ts';

/** The product quality variant: low, medium, high. */
export type ProductVariant = 'L' | 'M' | 'H';
export const PRODUCT_VARIANTS: readonly ProductVariant[] = ['L', 'M', 'H'];

/** One operating point of a machine: what a training row holds and what live telemetry yields. */
export type Observation = {
  readonly airTempK: number;
  readonly processTempK: number;
  readonly rotationalSpeedRpm: number;
  readonly torqueNm: number;
  readonly toolWearMin: number;
  readonly type: ProductVariant;
};

/** The feature schema, in the order of the feature vector; stored in model.json and checked on load. */
export const FEATURE_NAMES = [
  'variant',
  'airTempK',
  'processTempK',
  'tempDifferenceK',
  'rotationalSpeedRpm',
  'torqueNm',
  'powerW',
  'toolWearMin',
  'overstrainMinNm',
  'overstrainRatio',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

// The strain a tool takes before it breaks, by variant (AI4I 2020: 11,000 / 12,000 / 13,000 min·Nm).
export const STRAIN_LIMIT_MIN_NM: Readonly<Record<ProductVariant, number>> = { L: 11_000, M: 12_000, H: 13_000 };

const VARIANT_CODE: Readonly<Record<ProductVariant, number>> = { L: 0, M: 1, H: 2 };

/** Mechanical power in watts: torque [Nm] × angular speed [rad/s], with rpm × 2π/60 = rad/s. */
export const powerW = (torqueNm: number, rotationalSpeedRpm: number): number =>
  (torqueNm * rotationalSpeedRpm * 2 * Math.PI) / 60;

/** The feature vector of one observation, in FEATURE_NAMES order. Pure: same observation, same vector. */
export const featureVector = (o: Observation): number[] => {
  const overstrain = o.toolWearMin * o.torqueNm;
  return [
    VARIANT_CODE[o.type],
    o.airTempK,
    o.processTempK,
    o.processTempK - o.airTempK,
    o.rotationalSpeedRpm,
    o.torqueNm,
    powerW(o.torqueNm, o.rotationalSpeedRpm),
    o.toolWearMin,
    overstrain,
    overstrain / STRAIN_LIMIT_MIN_NM[o.type],
  ];
};

/** One telemetry message of a machine, already decoded: its time (epoch ms) and its metrics. */
export type TelemetrySample = { readonly ts: number; readonly metrics: Readonly<Record<string, MetricReading>> };

/** The telemetry metric names the observation is built from (site configuration names, canonical units). */
export const MAINTENANCE_METRICS = {
  airTemp: 'air_temp',
  processTemp: 'process_temp',
  spindleSpeed: 'spindle_speed',
  torque: 'torque',
  toolWear: 'tool_wear',
} as const;

/** How bare numbers (no unit on the wire) of the temperature metrics are to be read: the site's canonical unit. */
export type TemperatureUnit = 'K' | 'degC';

const toKelvin = (reading: MetricReading, canonical: TemperatureUnit): E.Either<string, number> => {
  const unit = reading.unit ?? canonical;
  if (unit === 'K') return E.right(reading.value);
  if (unit === 'degC') return E.right(reading.value + 273.15);
  return E.left(`unit "${unit}" (expected K or degC; convert at the gateway first)`);
};

const mean = (xs: readonly number[]): number => xs.reduce((sum, x) => sum + x, 0) / xs.length;

/**
 * The observation of a machine from its recent telemetry. Temperatures are slow and their sensors
 * noisy, so they are averaged over the window; speed, torque and tool wear are the latest values,
 * because a failure follows the current load and the wear counter only grows. The window's samples
 * may come in any order and carry only some of the metrics; each metric must appear at least once.
 */
export const observationFromTelemetry = (
  window: readonly TelemetrySample[],
  type: ProductVariant,
  temperatureUnit: TemperatureUnit = 'K',
): E.Either<string, Observation> => {
  // One pass over the window, grouping the readings the model needs: scoring runs at every sample.
  const byMetric = new Map<string, { ts: number; reading: MetricReading }[]>(
    Object.values(MAINTENANCE_METRICS).map((metric) => [metric, []]),
  );
  for (const sample of window) {
    for (const [metric, values] of byMetric) {
      const reading = sample.metrics[metric];
      if (reading !== undefined) values.push({ ts: sample.ts, reading });
    }
  }
  const valuesOfMetric = (metric: string): readonly { ts: number; reading: MetricReading }[] =>
    byMetric.get(metric) ?? [];
  const missing = Object.values(MAINTENANCE_METRICS).filter((metric) => valuesOfMetric(metric).length === 0);
  if (missing.length > 0) {
    return E.left(
      `telemetry window: no ${missing.join(', ')} reading among ${window.length} samples; expected each of ${Object.values(MAINTENANCE_METRICS).join(', ')} at least once — check the gateway's metric names`,
    );
  }
  const latest = (metric: string): number => {
    const values = valuesOfMetric(metric);
    // ties on ts: the later sample in the window wins, so the result does not depend on sort stability
    return values.reduce((best, v) => (v.ts >= best.ts ? v : best)).reading.value;
  };
  const meanKelvin = (metric: string): E.Either<string, number> => {
    const kelvins: number[] = [];
    for (const { reading } of valuesOfMetric(metric)) {
      const k = toKelvin(reading, temperatureUnit);
      if (E.isLeft(k)) return E.left(`telemetry window: ${metric} has ${k.left}`);
      kelvins.push(k.right);
    }
    return E.right(mean(kelvins));
  };
  const airTempK = meanKelvin(MAINTENANCE_METRICS.airTemp);
  if (E.isLeft(airTempK)) return airTempK;
  const processTempK = meanKelvin(MAINTENANCE_METRICS.processTemp);
  if (E.isLeft(processTempK)) return processTempK;
  return E.right({
    airTempK: airTempK.right,
    processTempK: processTempK.right,
    rotationalSpeedRpm: latest(MAINTENANCE_METRICS.spindleSpeed),
    torqueNm: latest(MAINTENANCE_METRICS.torque),
    toolWearMin: latest(MAINTENANCE_METRICS.toolWear),
    type,
  });
};
