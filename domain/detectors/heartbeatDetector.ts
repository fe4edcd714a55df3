// A machine that has gone quiet (docs/site-configuration.md `heartbeat`, §4: any message of a machine is its
// heartbeat). The alert's time is the moment the silence became too long, lastHeard + timeoutS,
// not the moment someone noticed: a scheduler timer, a replay's end and a live run tick at different
// times, and all must record the same alert.
import type { AlertEvent, Detector, DetectorInput } from './detector.ts';
import { detectorId, type HeartbeatSpec } from './detectorSpec.ts';
import { formatDuration, formatInstant, secondsToMs } from './detectorTime.ts';

/**
 * - awaitingFirst: nothing heard yet, so there is no silence to measure;
 * - alive: last heard at `lastHeard`; `lastTs` is the newest input of any kind, so that a late
 *   input cannot clear an alert at a time before it was raised;
 * - silent: the alert is raised (at lastHeard + timeoutS) until the next sign of life.
 */
export type HeartbeatState =
  | { readonly phase: 'awaitingFirst' }
  | { readonly phase: 'alive'; readonly lastHeard: number; readonly lastTs: number }
  | { readonly phase: 'silent'; readonly lastHeard: number; readonly lastTs: number };

/** Raise when nothing is heard for `timeoutS` after the last sign of life; clear at the next one. */
export const heartbeatDetector = (spec: HeartbeatSpec, id: string = detectorId(spec)): Detector<HeartbeatState> => {
  const timeoutMs = secondsToMs(spec.timeoutS);
  const alive = (ts: number): HeartbeatState => ({ phase: 'alive', lastHeard: ts, lastTs: ts });
  const raised = (lastHeard: number): AlertEvent => ({
    type: 'DetectorRaised',
    detector: id,
    ts: lastHeard + timeoutMs,
    cause: `nothing heard for ${formatDuration(timeoutMs)} since ${formatInstant(lastHeard)}`,
    trigger: null,
  });
  const cleared = (lastHeard: number, ts: number): AlertEvent => ({
    type: 'DetectorCleared',
    detector: id,
    ts,
    cause: `heard again after ${formatDuration(ts - lastHeard)} of silence`,
  });

  const step = (state: HeartbeatState, input: DetectorInput): readonly [HeartbeatState, readonly AlertEvent[]] => {
    const signOfLife = input.kind !== 'tick';
    switch (state.phase) {
      case 'awaitingFirst':
        return signOfLife ? [alive(input.ts), []] : [state, []];
      case 'alive': {
        if (input.ts < state.lastTs) return [state, []];
        if (input.ts < state.lastHeard + timeoutMs)
          return [signOfLife ? alive(input.ts) : { ...state, lastTs: input.ts }, []];
        // The silence is over the limit whichever input reveals it; a message that ends it also clears it.
        return signOfLife
          ? [alive(input.ts), [raised(state.lastHeard), cleared(state.lastHeard, input.ts)]]
          : [{ phase: 'silent', lastHeard: state.lastHeard, lastTs: input.ts }, [raised(state.lastHeard)]];
      }
      case 'silent':
        if (input.ts < state.lastTs) return [state, []];
        return signOfLife
          ? [alive(input.ts), [cleared(state.lastHeard, input.ts)]]
          : [{ ...state, lastTs: input.ts }, []];
    }
  };

  return { id, initialState: { phase: 'awaitingFirst' }, step };
};
