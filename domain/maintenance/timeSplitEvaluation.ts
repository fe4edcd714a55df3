// Training and testing a failure-window model without leakage (docs/predictive-maintenance.md): the
// model learns from the earlier part of the history on some machines and is tested on the later part
// on the others, so no minute and no machine is on both sides; a training sample whose horizon reaches
// into the test period is left out too, as its label would tell of the test period. The model is set
// beside a naive baseline, one metric over a threshold, both chosen on the training part alone.
import * as E from 'fp-ts/lib/Either.js';
import { bestF1Threshold, confusionScores } from './classificationMetrics.ts';
import { FEATURE_NAMES, featureVector, type FeatureName, type Observation } from './features.ts';
import { failureModeOfReason } from './failureReasons.ts';
import {
  FAILURE_MODES,
  assessRisk,
  DEFAULT_TRAINING,
  trainMaintenanceModel,
  type FailureLabels,
  type LabeledObservation,
  type MaintenanceModel,
  type TrainingOptions,
} from './maintenanceModel.ts';

const MIN = 60_000;
const WEEK_MS = 7 * 24 * 60 * MIN;

/** One row of the training table `factory maintenance export` writes. */
export type FailureTableRow = {
  readonly ts: number;
  readonly factory: string;
  readonly line: string;
  readonly machine: string;
  readonly machineType: string;
  readonly horizonMs: number;
  readonly everyMs: number;
  readonly observation: Observation;
  readonly failsWithinHorizon: boolean;
  readonly nextFailure: { readonly ts: number; readonly reason: string } | null;
};

export const machineKeyOf = (row: Pick<FailureTableRow, 'factory' | 'line' | 'machine'>): string =>
  `${row.factory}/${row.line}/${row.machine}`;

/** What the model learns from a row: the failure window, and the mode its failure's reason names. */
export const labelsOfRow = (row: FailureTableRow): FailureLabels => {
  const mode = row.nextFailure === null ? null : failureModeOfReason(row.nextFailure.reason);
  return {
    failure: row.failsWithinHorizon,
    ...(Object.fromEntries(FAILURE_MODES.map((m) => [m, row.failsWithinHorizon && mode === m])) as Record<
      (typeof FAILURE_MODES)[number],
      boolean
    >),
  };
};

export const labelledObservations = (rows: readonly FailureTableRow[]): LabeledObservation[] =>
  rows.map((row) => ({ observation: row.observation, labels: labelsOfRow(row) }));

export type SplitOptions = {
  /** Test from this time on; default: the last quarter of the table's time span. */
  readonly testFrom?: number;
  /** Every n-th machine (in key order) is held out for the test; default 4 (a quarter). */
  readonly holdOutEvery: number;
};
export const DEFAULT_SPLIT: SplitOptions = { holdOutEvery: 4 };

export type TimeSplit = {
  readonly testFrom: number;
  readonly testMachines: readonly string[];
  readonly train: readonly FailureTableRow[];
  readonly test: readonly FailureTableRow[];
};

/** Earlier part on the training machines, later part on the held-out machines. Pure. */
export const timeSplit = (rows: readonly FailureTableRow[], options: SplitOptions = DEFAULT_SPLIT): TimeSplit => {
  // a reduce, not Math.min(...): a month of samples is more arguments than a call may take
  const from = rows.reduce((min, r) => Math.min(min, r.ts), Infinity);
  const to = rows.reduce((max, r) => Math.max(max, r.ts), -Infinity);
  const testFrom = options.testFrom ?? from + Math.round((to - from) * 0.75);
  const machines = [...new Set(rows.map(machineKeyOf))].sort();
  const testMachines = machines.filter((_, i) => i % options.holdOutEvery === options.holdOutEvery - 1);
  const held = new Set(testMachines);
  return {
    testFrom,
    testMachines,
    train: rows.filter((r) => !held.has(machineKeyOf(r)) && r.ts + r.horizonMs < testFrom),
    test: rows.filter((r) => held.has(machineKeyOf(r)) && r.ts >= testFrom),
  };
};

/** A one-metric rule: flag when the feature is at or above (or at or below) the threshold. */
export type ThresholdBaseline = {
  readonly feature: FeatureName;
  readonly direction: 'above' | 'below';
  readonly threshold: number;
};

/** The single feature and threshold that best separate the training rows (F1), as a person with one chart would pick. */
export const trainBaseline = (train: readonly FailureTableRow[]): ThresholdBaseline => {
  const labels = train.map((r) => r.failsWithinHorizon);
  const vectors = train.map((r) => featureVector(r.observation));
  let best: { baseline: ThresholdBaseline; f1: number } | undefined;
  FEATURE_NAMES.forEach((feature, f) => {
    if (feature === 'variant') return;
    for (const direction of ['above', 'below'] as const) {
      const sign = direction === 'above' ? 1 : -1;
      const scores = vectors.map((v) => sign * (v[f] as number));
      const threshold = bestF1Threshold(scores, labels);
      const f1 =
        confusionScores(
          labels,
          scores.map((s) => s >= threshold),
        ).f1 ?? 0;
      if (best === undefined || f1 > best.f1)
        best = { baseline: { feature, direction, threshold: sign * threshold }, f1 };
    }
  });
  return best!.baseline;
};

export const baselineFlags = (baseline: ThresholdBaseline, observation: Observation): boolean => {
  const value = featureVector(observation)[FEATURE_NAMES.indexOf(baseline.feature)] as number;
  return baseline.direction === 'above' ? value >= baseline.threshold : value <= baseline.threshold;
};

export type WindowMetrics = {
  readonly samples: number;
  readonly positives: number;
  /** Per sample, of "fails within the horizon". */
  readonly recall: number | null;
  readonly precision: number | null;
  readonly f1: number | null;
  /** Failures (with at least one sample before them) and how many had an alarm in their horizon. */
  readonly failures: number;
  readonly caught: number;
  /** Minutes from the first alarm in a caught failure's horizon to its start: median and shortest. */
  readonly leadTimeMin: { readonly median: number; readonly worst: number } | null;
  /** Runs of consecutive alarms with no failure within the horizon, per machine-week of samples. */
  readonly falseAlarmsPerMachineWeek: number;
  /** Each caught failure (`factory/line/machine@ISO time`) and its lead time in minutes. */
  readonly leadTimes: Readonly<Record<string, number>>;
};

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** How alarms (`flagged[i]` for `rows[i]`) meet the failures of the rows. Pure. */
export const windowMetrics = (rows: readonly FailureTableRow[], flagged: readonly boolean[]): WindowMetrics => {
  const labels = rows.map((r) => r.failsWithinHorizon);
  const scores = confusionScores(labels, flagged);
  const firstAlarm = new Map<string, number | null>();
  const byMachine = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = machineKeyOf(row);
    const indices = byMachine.get(key);
    if (indices === undefined) byMachine.set(key, [i]);
    else indices.push(i);
    if (row.nextFailure === null) return;
    const failure = `${key}@${row.nextFailure.ts}`;
    const earliest = firstAlarm.get(failure) ?? null;
    firstAlarm.set(failure, flagged[i] === true && (earliest === null || row.ts < earliest) ? row.ts : earliest);
  });
  const leads: number[] = [];
  const leadTimes: Record<string, number> = {};
  for (const [failure, alarm] of firstAlarm) {
    if (alarm === null) continue;
    const at = Number(failure.slice(failure.lastIndexOf('@') + 1));
    leads.push((at - alarm) / MIN);
    leadTimes[`${failure.slice(0, failure.lastIndexOf('@'))}@${new Date(at).toISOString()}`] = (at - alarm) / MIN;
  }
  let falseAlarms = 0;
  let sampledMs = 0;
  for (const indices of byMachine.values()) {
    const ordered = [...indices].sort((a, b) => rows[a]!.ts - rows[b]!.ts);
    let run = null as { real: boolean; lastTs: number } | null;
    for (const i of ordered) {
      const row = rows[i]!;
      sampledMs += row.everyMs;
      if (flagged[i] !== true) {
        if (run !== null && !run.real) falseAlarms++;
        run = null;
        continue;
      }
      if (run !== null && row.ts - run.lastTs > row.everyMs) {
        if (!run.real) falseAlarms++;
        run = null;
      }
      run = { real: (run?.real ?? false) || row.failsWithinHorizon, lastTs: row.ts };
    }
    if (run !== null && !run.real) falseAlarms++;
  }
  return {
    samples: rows.length,
    positives: labels.filter(Boolean).length,
    ...scores,
    failures: firstAlarm.size,
    caught: leads.length,
    leadTimeMin: leads.length === 0 ? null : { median: median(leads), worst: leads.reduce((a, b) => Math.min(a, b)) },
    falseAlarmsPerMachineWeek: sampledMs === 0 ? 0 : falseAlarms / (sampledMs / WEEK_MS),
    leadTimes,
  };
};

export type TimeSplitReport = {
  readonly testFrom: string;
  readonly testMachines: readonly string[];
  readonly trainingSamples: number;
  readonly model: WindowMetrics;
  readonly baseline: WindowMetrics & { readonly rule: ThresholdBaseline };
  /** Median lead time of each on the failures both caught: the medians above are over different failures. */
  readonly bothCaught: {
    readonly failures: number;
    readonly modelMedianMin: number;
    readonly baselineMedianMin: number;
  } | null;
};

const bothCaught = (model: WindowMetrics, baseline: WindowMetrics): TimeSplitReport['bothCaught'] => {
  const common = Object.keys(model.leadTimes).filter((f) => f in baseline.leadTimes);
  return common.length === 0
    ? null
    : {
        failures: common.length,
        modelMedianMin: median(common.map((f) => model.leadTimes[f] as number)),
        baselineMedianMin: median(common.map((f) => baseline.leadTimes[f] as number)),
      };
};

/** Training options whose inner folds (choosing the thresholds) keep each machine's rows together. */
export const trainingByMachine = (
  rows: readonly FailureTableRow[],
  training: TrainingOptions = DEFAULT_TRAINING,
): TrainingOptions => ({ ...training, foldGroups: rows.map(machineKeyOf) });

/** Trains the model and the baseline on the split's training part and measures both on its test part. */
export const evaluateTimeSplit = (
  split: TimeSplit,
  training?: TrainingOptions,
  onTargetDone?: (target: string) => void,
): E.Either<string, { readonly report: TimeSplitReport; readonly model: MaintenanceModel }> => {
  if (split.test.length === 0)
    return E.left(
      `no test samples from ${new Date(split.testFrom).toISOString()} on the held-out machines (${split.testMachines.join(', ') || 'none'}); export a longer history or more machines`,
    );
  const trained = trainMaintenanceModel(
    labelledObservations(split.train),
    trainingByMachine(split.train, training),
    onTargetDone,
  );
  if (E.isLeft(trained)) return trained;
  const model = trained.right;
  const rule = trainBaseline(split.train);
  const modelMetrics = windowMetrics(
    split.test,
    split.test.map((r) => assessRisk(model, r.observation).atRisk),
  );
  const baselineMetrics = windowMetrics(
    split.test,
    split.test.map((r) => baselineFlags(rule, r.observation)),
  );
  return E.right({
    model,
    report: {
      testFrom: new Date(split.testFrom).toISOString(),
      testMachines: split.testMachines,
      trainingSamples: split.train.length,
      model: modelMetrics,
      baseline: { rule, ...baselineMetrics },
      bothCaught: bothCaught(modelMetrics, baselineMetrics),
    },
  });
};
