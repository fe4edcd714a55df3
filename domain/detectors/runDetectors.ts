// All the detectors a site configuration assigns to one machine, run as one decider: the machine
// fold feeds each input once and gets every alert back, in the order the specs are written.
import type { AlertEvent, Detector, DetectorInput } from './detector.ts';
import { detectorId, type DetectorSpec } from './detectorSpec.ts';
import { flatlineDetector, type FlatlineState } from './flatlineDetector.ts';
import { heartbeatDetector, type HeartbeatState } from './heartbeatDetector.ts';
import { rateOfChangeDetector, type RateOfChangeState } from './rateOfChangeDetector.ts';
import { thresholdDetector, type ThresholdState } from './thresholdDetector.ts';

export type DetectorState = ThresholdState | HeartbeatState | RateOfChangeState | FlatlineState;

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
export const detectorFor = (spec: DetectorSpec, id: string = detectorId(spec)): Detector<DetectorState> => {
  switch (spec.kind) {
    case 'threshold': return widen(thresholdDetector(spec, id));
    case 'heartbeat': return widen(heartbeatDetector(spec, id));
    case 'rateOfChange': return widen(rateOfChangeDetector(spec, id));
    case 'flatline': return widen(flatlineDetector(spec, id));
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
export const runDetectors = (specs: readonly DetectorSpec[]): Detector<DetectorsState> => {
  const ids = detectorIds(specs);
  const detectors = specs.map((spec, i) => detectorFor(spec, ids[i]));
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
