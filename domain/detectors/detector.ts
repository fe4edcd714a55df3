// What every anomaly detector is: a small decider over a machine's samples and the passing of time.
// Inputs carry their time; a detector never reads a clock, so a replay raises the same alerts.

/** Metric values in their canonical units at one instant (epoch ms). */
export type DetectorInput =
  | {
      readonly kind: 'sample';
      readonly ts: number;
      readonly messageId: string;
      readonly metrics: Readonly<Record<string, number>>;
    }
  /** Any message of the machine (state, counts, telemetry): a sign of life for heartbeat detectors. */
  | { readonly kind: 'heard'; readonly ts: number; readonly messageId: string }
  /** Time has passed without input (a scheduler timer, the end of a replay, another machine's message). */
  | { readonly kind: 'tick'; readonly ts: number };

// The types are named for their tags, which a machine's stream stores (the commits of every event store):
// renaming the tags would leave existing stores unreadable, so the names follow them.
export type DetectorRaised = {
  readonly type: 'DetectorRaised';
  readonly detector: string;
  readonly ts: number;
  /** A sentence a person reads: `spindle_temp 92.4 degC above 90 for 30 s`. */
  readonly cause: string;
  /** The sample that triggered it, where one did (a heartbeat is raised by silence). */
  readonly trigger: { readonly messageId: string; readonly ts: number; readonly value: number } | null;
  /** `edge`: decided by the gateway's detectors and received as an alert message; absent for the machine's own. */
  readonly origin?: 'edge';
};
export type DetectorCleared = {
  readonly type: 'DetectorCleared';
  readonly detector: string;
  readonly ts: number;
  readonly cause: string;
  readonly origin?: 'edge';
};
/** A detector's alert raised or cleared. */
export type AlertEvent = DetectorRaised | DetectorCleared;

export const isAlertEvent = (event: { readonly type: string }): event is AlertEvent =>
  event.type === 'DetectorRaised' || event.type === 'DetectorCleared';

export type Detector<S> = {
  readonly id: string;
  readonly initialState: S;
  readonly step: (state: S, input: DetectorInput) => readonly [S, readonly AlertEvent[]];
};
