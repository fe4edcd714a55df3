// A machine's failure risk from its recent telemetry (README.md predictive maintenance, scored where
// the detectors run). The observation is built and scored exactly as the trainer and the evaluator do
// (observationFromTelemetry, scoreRisk), so an alert here means what the model's evaluation measured.
// Hysteresis as in the threshold detector: a risk that hovers at the threshold raises one alert.
import * as E from 'fp-ts/lib/Either.js';
import {
  MAINTENANCE_METRICS,
  featureVector,
  observationFromTelemetry,
  powerW,
  STRAIN_LIMIT_MIN_NM,
  type Observation,
  type TelemetrySample,
} from '../maintenance/features.ts';
import {
  FAILURE_MODES,
  scoreRisk,
  type FailureMode,
  type MaintenanceModel,
  type Target,
} from '../maintenance/maintenanceModel.ts';
import type { AlertEvent, Detector, DetectorInput } from './detector.ts';
import { detectorId, type MaintenanceSpec } from './detectorSpec.ts';
import { formatDuration, secondsToMs } from './detectorTime.ts';

/** The needed metrics of one sample, in the site's canonical units. */
export type WindowSample = { readonly ts: number; readonly metrics: Readonly<Record<string, number>> };

/**
 * `window` holds the samples within `windowS` of the newest (plain JSON, so a snapshot can hold it);
 * `lastTs` is the newest sample used, so a late sample cannot reorder the assessment.
 */
export type MaintenanceState = {
  readonly phase: 'normal' | 'raised';
  readonly lastTs: number | null;
  readonly window: readonly WindowSample[];
  /** While raised: the newest sample whose risk was at or above the clear bound. */
  readonly highTs: number | null;
};

export const DEFAULT_WINDOW_S = 300;
const NEEDED = Object.values(MAINTENANCE_METRICS) as readonly string[];

/**
 * How a detector turns an observation into a risk. By default the model it was given (scoreRisk);
 * a shell that scores elsewhere (a SageMaker endpoint) scores the observations beforehand and
 * supplies them through this, so the fold itself stays synchronous and pure.
 */
export type RiskStrategy = (observation: Observation, target: Target) => number;

/** Scoring with the model itself: the synchronous path of the replay, the edge and the embedded handler. */
export const modelRisk =
  (model: MaintenanceModel): RiskStrategy =>
  (observation, target) =>
    scoreRisk(model, observation, target);

/** What scoring one window gives: the observation and its risk, or why there is none. */
export type WindowRisk =
  | { readonly kind: 'scored'; readonly observation: Observation; readonly risk: number }
  | { readonly kind: 'unscored'; readonly reason: string };

/**
 * The risk of a window of samples: the one scoring path of the detector (and so of the pipeline and
 * the edge). A spindle at rest is not scored: the model learned from machines under load (AI4I 2020:
 * speeds from 1,168 rpm, torques from 3.8 Nm), and a stopped machine would read as a power failure.
 */
export const windowRisk = (
  model: MaintenanceModel,
  spec: MaintenanceSpec,
  window: readonly WindowSample[],
  metricUnits: Readonly<Record<string, string>> = {},
  scoreWith: RiskStrategy = modelRisk(model),
): WindowRisk => {
  const observation = scorableObservation(spec, window, metricUnits);
  if (E.isLeft(observation)) return { kind: 'unscored', reason: observation.left };
  return {
    kind: 'scored',
    observation: observation.right,
    risk: scoreWith(observation.right, spec.target ?? 'failure'),
  };
};

/**
 * The observation the detector scores for a window, or why it scores none: what the model sees live,
 * and what a training table built from a plant's history holds (failureWindows.ts).
 */
export const scorableObservation = (
  spec: Pick<MaintenanceSpec, 'productType'>,
  window: readonly WindowSample[],
  metricUnits: Readonly<Record<string, string>> = {},
): E.Either<string, Observation> => {
  const telemetry: TelemetrySample[] = window.map((sample) => ({
    ts: sample.ts,
    metrics: Object.fromEntries(
      Object.entries(sample.metrics).map(([name, value]) => [name, { value, unit: metricUnits[name] }]),
    ),
  }));
  const observation = observationFromTelemetry(telemetry, spec.productType ?? 'M');
  if (E.isLeft(observation)) return observation;
  const o = observation.right;
  return o.rotationalSpeedRpm > 0 && o.torqueNm > 0 ? observation : E.left('spindle at rest');
};

// 12400 → "12,400": written out because toLocaleString depends on the host's locale.
const grouped = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const driverText = (mode: FailureMode, o: Observation): string => {
  const [, , , differenceK] = featureVector(o);
  switch (mode) {
    case 'TWF':
      return `TWF: tool wear ${grouped(o.toolWearMin)} min`;
    case 'HDF':
      return `HDF: process−air ΔT ${(differenceK ?? 0).toFixed(1)} K at ${grouped(o.rotationalSpeedRpm)} rpm`;
    case 'PWF':
      return `PWF: power ${grouped(powerW(o.torqueNm, o.rotationalSpeedRpm))} W`;
    case 'OSF':
      return `OSF: tool wear × torque ${grouped(o.toolWearMin * o.torqueNm)} min·Nm of ${grouped(STRAIN_LIMIT_MIN_NM[o.type])}`;
    case 'RNF':
      return 'RNF: no physical driver (random failure)';
  }
};

/** The failure mode the model finds likeliest, named with the quantity that drives it. */
export const mainDriver = (model: MaintenanceModel, o: Observation): string => {
  const ranked = FAILURE_MODES.map((mode) => ({ mode, risk: scoreRisk(model, o, mode) })).sort(
    (a, b) => b.risk - a.risk,
  );
  return driverText(ranked[0]!.mode, o);
};

/** The metrics of a sample the detector keeps in its window (finite values of the needed ones), or null for none. */
export const neededMetrics = (metrics: Readonly<Record<string, number>>): Record<string, number> | null => {
  const picked: Record<string, number> = {};
  for (const name of NEEDED) {
    const value = Object.hasOwn(metrics, name) ? metrics[name] : undefined;
    // −0 becomes 0: JSON has no −0, and a state snapshot must restore exactly what was saved.
    if (value !== undefined && Number.isFinite(value)) picked[name] = value + 0;
  }
  return Object.keys(picked).length > 0 ? picked : null;
};

/**
 * The window a detector in `state` scores for `input`, or null when the input leaves it as it is (not
 * a sample, older than the newest used, none of the needed metrics). The one window rule: the detector
 * steps by it, and a shell that scores beforehand finds the same observations through it. It depends
 * on the samples alone, never on a risk, so which observations a fold scores is known before scoring.
 */
export const nextWindow = (
  state: MaintenanceState,
  input: DetectorInput,
  windowMs: number,
): readonly WindowSample[] | null => {
  if (input.kind !== 'sample' || (state.lastTs !== null && input.ts < state.lastTs)) return null;
  const metrics = neededMetrics(input.metrics);
  if (metrics === null) return null;
  return [...state.window.filter((s) => s.ts > input.ts - windowMs), { ts: input.ts, metrics }];
};

/** Raise when the failure risk reaches `threshold`; clear once it has stayed below `clearBelow` for `windowS`. Pure. */
export const maintenanceDetector = (
  spec: MaintenanceSpec,
  model: MaintenanceModel,
  id: string = detectorId(spec),
  metricUnits: Readonly<Record<string, string>> = {},
  scoreWith: RiskStrategy = modelRisk(model),
): Detector<MaintenanceState> => {
  const windowMs = secondsToMs(spec.windowS ?? DEFAULT_WINDOW_S);
  const clearBelow = Math.min(spec.clearBelow ?? spec.threshold, spec.threshold);

  const step = (state: MaintenanceState, input: DetectorInput): readonly [MaintenanceState, readonly AlertEvent[]] => {
    const window = nextWindow(state, input, windowMs);
    if (window === null || input.kind !== 'sample') return [state, []];
    const scored = windowRisk(model, spec, window, metricUnits, scoreWith);
    const next: MaintenanceState = { ...state, lastTs: input.ts, window };
    if (scored.kind === 'unscored') return [next, []];
    const { risk, observation } = scored;
    const trigger = { messageId: input.messageId, ts: input.ts, value: risk };
    if (state.phase === 'normal') {
      if (risk < spec.threshold) return [next, []];
      const cause = `${spec.target ?? 'failure'} risk ${risk.toFixed(2)} (${mainDriver(model, observation)}) at or above ${spec.threshold}`;
      return [
        { ...next, phase: 'raised', highTs: input.ts },
        [{ type: 'DetectorRaised', detector: id, ts: input.ts, cause, trigger }],
      ];
    }
    // A failure model's risk is nearly a step (trees split on the strain limit), so sensor noise at the
    // limit flips it between low and high; the alert clears only after the window stayed below the bound.
    if (risk >= clearBelow) return [{ ...next, highTs: input.ts }, []];
    if (input.ts - (state.highTs ?? input.ts) < windowMs) return [next, []];
    const cause = `${spec.target ?? 'failure'} risk ${risk.toFixed(2)} below clear bound ${clearBelow} for ${formatDuration(input.ts - (state.highTs ?? input.ts))}`;
    return [
      { ...next, phase: 'normal', highTs: null },
      [{ type: 'DetectorCleared', detector: id, ts: input.ts, cause }],
    ];
  };

  return { id, initialState: { phase: 'normal', lastTs: null, window: [], highTs: null }, step };
};
