// All the detectors a site configuration assigns to one machine, run as one decider: the machine
// fold feeds each input once and gets every alert back, in the order the specs are written.
import type { AlertEvent, Detector, DetectorInput } from './detector.ts';
import { detectorId, type DetectorSpec } from './detectorSpec.ts';
import { flatlineDetector, type FlatlineState } from './flatlineDetector.ts';
import { heartbeatDetector, type HeartbeatState } from './heartbeatDetector.ts';
import { maintenanceDetector, type MaintenanceState, type RiskStrategy } from './maintenanceDetector.ts';
import type { MaintenanceModel } from '../maintenance/maintenanceModel.ts';
import { rateOfChangeDetector, type RateOfChangeState } from './rateOfChangeDetector.ts';
import { thresholdDetector, type ThresholdState } from './thresholdDetector.ts';

export type DetectorState =
  ThresholdState | HeartbeatState | RateOfChangeState | FlatlineState | MaintenanceState | MissingModelState;

/** What some detectors need beyond their spec: things the site configuration does not hold. */
export type DetectorOptions = {
  /** The failure model `maintenance` detectors score with (a shell loads model.json and passes it in). */
  readonly maintenanceModel?: MaintenanceModel;
  /** Each metric's canonical unit (the site's `metrics`): how the maintenance detector reads temperatures. */
  readonly metricUnits?: Readonly<Record<string, string>>;
  /** Where `maintenance` detectors get a risk (default: the model): risks a shell scored beforehand. */
  readonly scoreWith?: RiskStrategy;
};

/**
 * The specs that cannot run with these options, one line each (`detectors[3]: …`). A shell checks this
 * at load and refuses to start; `howToSupply` names its own option (`pass --model <model.json>`).
 */
export const unrunnableDetectors = (
  specs: readonly DetectorSpec[],
  options: DetectorOptions,
  howToSupply: string,
): string[] =>
  options.maintenanceModel !== undefined
    ? []
    : specs.flatMap((spec, i) =>
        spec.kind === 'maintenance'
          ? [`detectors[${i}]: a maintenance detector needs a failure model and none was supplied; ${howToSupply}`]
          : [],
      );

export type MissingModelState = { readonly phase: 'missingModel'; readonly reported: boolean };

// Reached only when a shell skipped unrunnableDetectors: the alert says so once, rather than the
// detector watching nothing in silence.
const missingModelDetector = (id: string): Detector<MissingModelState> => ({
  id,
  initialState: { phase: 'missingModel', reported: false },
  step: (state, input) =>
    state.reported || input.kind === 'tick'
      ? [state, []]
      : [
          { phase: 'missingModel', reported: true },
          [
            {
              type: 'DetectorRaised',
              detector: id,
              ts: input.ts,
              cause: 'no failure model was supplied, so this maintenance detector cannot score; restart with a model',
              trigger: null,
            },
          ],
        ],
});

/** Detector id → that detector's state: plain JSON, so a machine snapshot can hold it. */
export type DetectorsState = Readonly<Record<string, DetectorState>>;

// The combined decider hands each detector only the state that detector produced, so narrowing the
// shared state type back to the detector's own is safe here and nowhere else.
const widen = <S extends DetectorState>(detector: Detector<S>): Detector<DetectorState> => ({
  id: detector.id,
  initialState: detector.initialState,
  step: (state, input) => detector.step(state as S, input),
});

/** The detector a spec describes, under `id` (default: the spec's own `detectorId`). */
export const detectorFor = (
  spec: DetectorSpec,
  id: string = detectorId(spec),
  options: DetectorOptions = {},
): Detector<DetectorState> => {
  switch (spec.kind) {
    case 'maintenance':
      return options.maintenanceModel === undefined
        ? widen(missingModelDetector(id))
        : widen(maintenanceDetector(spec, options.maintenanceModel, id, options.metricUnits, options.scoreWith));
    case 'threshold':
      return widen(thresholdDetector(spec, id));
    case 'heartbeat':
      return widen(heartbeatDetector(spec, id));
    case 'rateOfChange':
      return widen(rateOfChangeDetector(spec, id));
    case 'flatline':
      return widen(flatlineDetector(spec, id));
  }
};

/**
 * Ids for specs, in order. Two specs with one id (two thresholds on one metric) would share a state
 * and their alerts could not be told apart, so the second becomes `threshold:spindle_temp#2`.
 */
export const detectorIds = (specs: readonly DetectorSpec[]): readonly string[] => {
  const taken = new Set<string>();
  return specs.map((spec) => {
    const base = detectorId(spec);
    let id = base;
    for (let n = 2; taken.has(id); n += 1) id = `${base}#${n}`;
    taken.add(id);
    return id;
  });
};

/**
 * One decider over all of a machine's detectors. Inputs are expected in non-decreasing ts order
 * (the machine fold orders them); each detector ignores an input older than the newest it used.
 * A state missing a detector (a snapshot taken under an older configuration) starts it afresh.
 */
export const runDetectors = (
  specs: readonly DetectorSpec[],
  options: DetectorOptions = {},
): Detector<DetectorsState> => {
  const ids = detectorIds(specs);
  const detectors = specs.map((spec, i) => detectorFor(spec, ids[i], options));
  const initialState: DetectorsState = Object.fromEntries(detectors.map((d) => [d.id, d.initialState]));

  const step = (state: DetectorsState, input: DetectorInput): readonly [DetectorsState, readonly AlertEvent[]] => {
    const next: Record<string, DetectorState> = {};
    const events: AlertEvent[] = [];
    for (const detector of detectors) {
      const [detectorState, detectorEvents] = detector.step(state[detector.id] ?? detector.initialState, input);
      next[detector.id] = detectorState;
      events.push(...detectorEvents);
    }
    return [next, events];
  };

  return { id: 'detectors', initialState, step };
};

/** Feed inputs to a detector in order from `state`: the alerts raised and cleared, and where it ended. */
export const foldDetector = <S>(
  detector: Detector<S>,
  inputs: readonly DetectorInput[],
  state: S = detector.initialState,
): { readonly state: S; readonly events: readonly AlertEvent[] } => {
  const events: AlertEvent[] = [];
  let current = state;
  for (const input of inputs) {
    const [next, stepEvents] = detector.step(current, input);
    current = next;
    events.push(...stepEvents);
  }
  return { state: current, events };
};
