// Stratified k-fold cross-validation of the maintenance models: each row is scored by models that
// never saw it, and each fold's thresholds are chosen on that fold's training rows alone (by the inner
// cross-validation of trainTarget), so recall, precision and F1 are those of a model in service.
import { binFeatures } from './featureBins.ts';
import { classificationMetrics, type ClassificationMetrics } from './classificationMetrics.ts';
import {
  DEFAULT_TRAINING,
  FAILURE_MODES,
  TARGETS,
  featureColumns,
  stratumOf,
  trainTarget,
  type FailureMode,
  type LabeledObservation,
  type Target,
  type TrainingOptions,
} from './maintenanceModel.ts';
import { predictProbability } from './boostedTrees.ts';
import { featureVector } from './features.ts';
import { stratifiedFolds } from './stratifiedFolds.ts';

export type CrossValidationOptions = {
  readonly folds: number;
  readonly seed: number;
  readonly training: TrainingOptions;
};
export const DEFAULT_CROSS_VALIDATION: CrossValidationOptions = { folds: 5, seed: 42, training: DEFAULT_TRAINING };

export type EvaluationReport = {
  readonly failure: ClassificationMetrics;
  readonly modes: Readonly<Record<FailureMode, ClassificationMetrics>>;
};

/** Out-of-fold risk and flag of every row for one target. */
export type OutOfFold = { readonly risk: number[]; readonly flagged: boolean[] };

/** One fold's work for every target: train on the other folds, score the held-out rows. */
export const scoreFold = (
  rows: readonly LabeledObservation[],
  fold: readonly number[],
  k: number,
  training: TrainingOptions,
): Record<Target, { indices: number[]; risk: number[]; flagged: boolean[] }> => {
  const fit = rows.flatMap((_, i) => (fold[i] === k ? [] : [i]));
  const held = rows.flatMap((_, i) => (fold[i] === k ? [i] : []));
  // bins come from the training rows only: the held-out fold stays unseen
  const fitData = binFeatures(featureColumns(fit.map((i) => rows[i]!.observation)));
  const fitRows = fit.map((i) => rows[i]!);
  const fitIndices = fitRows.map((_, j) => j);
  const vectors = held.map((i) => featureVector(rows[i]!.observation));
  const out = {} as Record<Target, { indices: number[]; risk: number[]; flagged: boolean[] }>;
  for (const target of TARGETS) {
    const model = trainTarget(fitData, fitRows, fitIndices, target, training);
    const risk = vectors.map((x) => predictProbability(model.ensemble, x));
    out[target] = { indices: held, risk, flagged: risk.map((r) => r >= model.threshold) };
  }
  return out;
};

/** The fold of each row for these options (stratified on failure and modes together). */
export const foldsOf = (rows: readonly LabeledObservation[], options: CrossValidationOptions): number[] =>
  stratifiedFolds(
    rows.map((r) => stratumOf(r.labels)),
    options.folds,
    options.seed,
  );

/** Joins per-fold results into out-of-fold arrays and the report. */
export const reportFromFolds = (
  rows: readonly LabeledObservation[],
  perFold: readonly Record<
    Target,
    { indices: readonly number[]; risk: readonly number[]; flagged: readonly boolean[] }
  >[],
): EvaluationReport => {
  const metricsOf = (target: Target): ClassificationMetrics => {
    const risk = new Array<number>(rows.length).fill(0);
    const flagged = new Array<boolean>(rows.length).fill(false);
    for (const fold of perFold) {
      fold[target].indices.forEach((i, j) => {
        risk[i] = fold[target].risk[j] as number;
        flagged[i] = fold[target].flagged[j] as boolean;
      });
    }
    const labels = rows.map((r) => r.labels[target]);
    // flags were made with each fold's own threshold; PR-AUC ranks the pooled out-of-fold risks
    const { prAuc } = classificationMetrics(risk, labels, 1);
    const pooled = classificationMetrics(
      flagged.map((f) => (f ? 1 : 0)),
      labels,
      0.5,
    );
    return { ...pooled, prAuc };
  };
  return {
    failure: metricsOf('failure'),
    modes: Object.fromEntries(FAILURE_MODES.map((m) => [m, metricsOf(m)])) as Record<
      FailureMode,
      ClassificationMetrics
    >,
  };
};

/** Cross-validates every target; `onFoldDone` hears of progress (the caller decides whether to show it). */
export const crossValidate = (
  rows: readonly LabeledObservation[],
  options: CrossValidationOptions = DEFAULT_CROSS_VALIDATION,
  onFoldDone: (done: number, of: number) => void = () => undefined,
): EvaluationReport => {
  const fold = foldsOf(rows, options);
  const perFold = [];
  for (let k = 0; k < options.folds; k++) {
    perFold.push(scoreFold(rows, fold, k, options.training));
    onFoldDone(k + 1, options.folds);
  }
  return reportFromFolds(rows, perFold);
};
