// The detectors a site configuration assigns to a machine type (docs/site-configuration.md `detectors`).
import * as t from 'io-ts';
import { PRODUCT_VARIANTS } from '../maintenance/features.ts';
import { AnyNumber, NonNegativeNumber, NonNegativeSeconds, numberWhere, oneOf } from '../refined.ts';

/** Raise when the metric stays beyond `above` (or below `below`) for `forS`; clear past the hysteresis bound. */
export const ThresholdSpec = t.intersection(
  [
    t.type({ kind: t.literal('threshold'), metric: t.string }),
    t.partial({
      above: AnyNumber,
      clearBelow: AnyNumber,
      below: AnyNumber,
      clearAbove: AnyNumber,
      forS: NonNegativeSeconds,
    }),
  ],
  'ThresholdSpec',
);

/** Raise when a machine has sent nothing for `timeoutS`; clear on its next message. */
export const HeartbeatSpec = t.type({ kind: t.literal('heartbeat'), timeoutS: NonNegativeSeconds }, 'HeartbeatSpec');

/** Raise when the metric changes faster than `maxPerS` (the metric's units per second) for `forS`. */
export const RateOfChangeSpec = t.intersection(
  [
    t.type({ kind: t.literal('rateOfChange'), metric: t.string, maxPerS: NonNegativeNumber }),
    t.partial({ forS: NonNegativeSeconds }),
  ],
  'RateOfChangeSpec',
);

/** Raise when the metric stays within `tolerance` of one value for `forS` (a stuck sensor). */
export const FlatlineSpec = t.intersection(
  [
    t.type({ kind: t.literal('flatline'), metric: t.string, forS: NonNegativeSeconds }),
    t.partial({ tolerance: NonNegativeNumber }),
  ],
  'FlatlineSpec',
);

const Probability = numberWhere('a risk from 0 to 1', (n) => n >= 0 && n <= 1);
const ProductType = oneOf(PRODUCT_VARIANTS);
const MaintenanceTarget = oneOf(['failure', 'TWF', 'HDF', 'PWF', 'OSF', 'RNF'] as const);

/**
 * Raise when the failure model's risk for the machine's recent telemetry reaches `threshold`; clear
 * once it has stayed below `clearBelow` (default: the threshold) for `windowS`. The model itself is not configuration: the shell that
 * runs the pipeline supplies it (`factory replay --model`, the handler's bundled model.json, the
 * gateway's `maintenanceModel`). `productType` defaults to M, `windowS` (temperature averaging) to 300 s.
 */
export const MaintenanceSpec = t.intersection(
  [
    t.type({ kind: t.literal('maintenance'), threshold: Probability }),
    t.partial({
      clearBelow: Probability,
      productType: ProductType,
      windowS: NonNegativeSeconds,
      target: MaintenanceTarget,
    }),
  ],
  'MaintenanceSpec',
);

export const DetectorSpec = t.union(
  [ThresholdSpec, HeartbeatSpec, RateOfChangeSpec, FlatlineSpec, MaintenanceSpec],
  'DetectorSpec',
);
export type DetectorSpec = t.TypeOf<typeof DetectorSpec>;
export type ThresholdSpec = t.TypeOf<typeof ThresholdSpec>;
export type HeartbeatSpec = t.TypeOf<typeof HeartbeatSpec>;
export type RateOfChangeSpec = t.TypeOf<typeof RateOfChangeSpec>;
export type FlatlineSpec = t.TypeOf<typeof FlatlineSpec>;
export type MaintenanceSpec = t.TypeOf<typeof MaintenanceSpec>;

/** The id an alert carries: `threshold:spindle_temp`, `heartbeat`, `rateOfChange:vibration`, `flatline:pressure`, `maintenance:failure`. */
export const detectorId = (spec: DetectorSpec): string =>
  spec.kind === 'heartbeat'
    ? 'heartbeat'
    : spec.kind === 'maintenance'
      ? `maintenance:${spec.target ?? 'failure'}`
      : `${spec.kind}:${spec.metric}`;
