// The predictive-maintenance model: one boosted-tree ensemble for "the machine fails" and one per
// failure mode, each with the decision threshold that maximised F1 on its own training data. The model
// is plain JSON (model.json): the trainer writes it, handlers and the edge read it and score with it.
import * as E from 'fp-ts/lib/Either.js';
import { binFeatures, type BinnedFeatures } from './featureBins.ts';
import {
  DEFAULT_BOOSTING,
  predictProbability,
  trainBoostedTrees,
  type BoostedTrees,
  type BoostingParams,
} from './boostedTrees.ts';
import { bestF1Threshold } from './classificationMetrics.ts';
import { FEATURE_NAMES, featureVector, type FeatureName, type Observation } from './features.ts';
import { stratifiedFolds } from './stratifiedFolds.ts';

/** The failure modes of AI4I 2020: tool wear, heat dissipation, power, overstrain, random. */
export const FAILURE_MODES = ['TWF', 'HDF', 'PWF', 'OSF', 'RNF'] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];
export const TARGETS = ['failure', ...FAILURE_MODES] as const;
export type Target = (typeof TARGETS)[number];

/** What happened at an observation: these are what the models learn, never what they see. */
export type FailureLabels = Readonly<Record<Target, boolean>>;
export type LabeledObservation = { readonly observation: Observation; readonly labels: FailureLabels };

export type TargetModel = {
  readonly ensemble: BoostedTrees;
  /** Flag a failure when the risk is at or above this. */
  readonly threshold: number;
  readonly trainingPositives: number;
};

export const MODEL_VERSION = 1;

export type MaintenanceModel = {
  readonly version: typeof MODEL_VERSION;
  readonly kind: 'boosted-trees';
  readonly features: readonly FeatureName[];
  readonly params: BoostingParams;
  readonly trainingRows: number;
  readonly targets: Readonly<Record<Target, TargetModel>>;
};

export type TrainingOptions = {
  readonly params: BoostingParams;
  /** Folds of the inner cross-validation whose out-of-fold scores choose each threshold. */
  readonly thresholdFolds: number;
  /**
   * The group of each row (a machine, say), aligned with the rows: when given, a group's rows share
   * an inner fold. Neighbouring minutes of one machine look alike, so folds that split them would
   * score each row by a model that saw its twin, and choose too low a threshold.
   */
  readonly foldGroups?: readonly string[];
};

export const DEFAULT_TRAINING: TrainingOptions = { params: DEFAULT_BOOSTING, thresholdFolds: 3 };

/** The stratum of a row for fold assignment: its failure flag and modes, so each fold gets every mode. */
export const stratumOf = (labels: FailureLabels): string => TARGETS.filter((t) => labels[t]).join('+');

/** Feature columns (one Float64Array per feature) of observations. */
export const featureColumns = (observations: readonly Observation[]): Float64Array[] => {
  const columns = FEATURE_NAMES.map(() => new Float64Array(observations.length));
  observations.forEach((o, i) => featureVector(o).forEach((v, f) => ((columns[f] as Float64Array)[i] = v)));
  return columns;
};

/** The rows `indices` of a binned set, as a set of their own. */
export const selectRows = (data: BinnedFeatures, indices: readonly number[]): BinnedFeatures => ({
  cuts: data.cuts,
  bins: data.bins.map((column) => Uint16Array.from(indices, (i) => column[i] as number)),
});

const labelArray = (rows: readonly LabeledObservation[], target: Target, indices: readonly number[]): Uint8Array =>
  Uint8Array.from(indices, (i) => (rows[i]!.labels[target] ? 1 : 0));

const scoreBinned = (ensemble: BoostedTrees, data: BinnedFeatures, row: number): number => {
  // trees split on cut values and a binned row is ≤ its bin's upper cut, so scoring the cut of its bin
  // routes it exactly as its raw value would; the raw values are not kept around
  let sum = ensemble.baseScore;
  for (const tree of ensemble.trees) {
    let node = 0;
    while ((tree.feature[node] as number) >= 0) {
      const f = tree.feature[node] as number;
      const cuts = data.cuts[f]!;
      const bin = data.bins[f]![row] as number;
      const upper = bin < cuts.length ? (cuts[bin] as number) : Infinity;
      node = upper <= (tree.threshold[node] as number) ? (tree.left[node] as number) : (tree.right[node] as number);
    }
    sum += tree.value[node] as number;
  }
  return 1 / (1 + Math.exp(-sum));
};

/** Folds by group: the groups in sorted order are dealt to the folds in turn. */
export const groupFolds = (groups: readonly string[], folds: number): number[] => {
  const order = new Map([...new Set(groups)].sort().map((g, i) => [g, i % folds]));
  return groups.map((g) => order.get(g) as number);
};

/** Trains one target on already binned rows, choosing its threshold by inner cross-validation. */
export const trainTarget = (
  data: BinnedFeatures,
  rows: readonly LabeledObservation[],
  indices: readonly number[],
  target: Target,
  options: TrainingOptions,
): TargetModel => {
  const labels = labelArray(rows, target, indices);
  const inner =
    options.foldGroups === undefined
      ? stratifiedFolds(
          indices.map((i) => stratumOf(rows[i]!.labels)),
          options.thresholdFolds,
          options.params.seed + 1,
        )
      : groupFolds(
          indices.map((i) => options.foldGroups![i] as string),
          options.thresholdFolds,
        );
  const oof = new Array<number>(indices.length).fill(0);
  for (let k = 0; k < options.thresholdFolds; k++) {
    const fit = indices.flatMap((_, j) => (inner[j] === k ? [] : [j]));
    const held = indices.flatMap((_, j) => (inner[j] === k ? [j] : []));
    const subset = selectRows(
      data,
      fit.map((j) => indices[j] as number),
    );
    const ensemble = trainBoostedTrees(
      subset,
      Uint8Array.from(fit, (j) => labels[j] as number),
      options.params,
    );
    for (const j of held) oof[j] = scoreBinned(ensemble, data, indices[j] as number);
  }
  const threshold = bestF1Threshold(
    oof,
    Array.from(labels, (l) => l === 1),
  );
  const ensemble = trainBoostedTrees(selectRows(data, indices), labels, options.params);
  return { ensemble, threshold, trainingPositives: labels.reduce((sum, l) => sum + l, 0) };
};

/** Trains the failure model and the five mode models on a labelled history. */
export const trainMaintenanceModel = (
  rows: readonly LabeledObservation[],
  options: TrainingOptions = DEFAULT_TRAINING,
  onTargetDone: (target: Target) => void = () => undefined,
): E.Either<string, MaintenanceModel> => {
  if (rows.length < options.thresholdFolds * 2) {
    return E.left(
      `training data: ${rows.length} rows; expected at least ${options.thresholdFolds * 2} to cross-validate the thresholds — supply a longer history`,
    );
  }
  if (!rows.some((r) => r.labels.failure)) {
    return E.left(
      `training data: no row has "Machine failure" = 1 among ${rows.length}; a failure model needs failures to learn from`,
    );
  }
  const indices = rows.map((_, i) => i);
  const data = binFeatures(featureColumns(rows.map((r) => r.observation)));
  const targets = {} as Record<Target, TargetModel>;
  for (const target of TARGETS) {
    targets[target] = trainTarget(data, rows, indices, target, options);
    onTargetDone(target);
  }
  return E.right({
    version: MODEL_VERSION,
    kind: 'boosted-trees',
    features: [...FEATURE_NAMES],
    params: options.params,
    trainingRows: rows.length,
    targets,
  });
};

/** The risk, in [0, 1], that the observation ends in the target failure (default: any failure). Pure. */
export const scoreRisk = (model: MaintenanceModel, observation: Observation, target: Target = 'failure'): number =>
  predictProbability(model.targets[target].ensemble, featureVector(observation));

export type RiskAssessment = {
  readonly risk: number;
  readonly atRisk: boolean;
  readonly modes: Readonly<Record<FailureMode, { readonly risk: number; readonly atRisk: boolean }>>;
};

/** Every target's risk and whether it crosses the model's threshold: what an alert or a work order needs. */
export const assessRisk = (model: MaintenanceModel, observation: Observation): RiskAssessment => {
  const judge = (target: Target): { risk: number; atRisk: boolean } => {
    const risk = scoreRisk(model, observation, target);
    return { risk, atRisk: risk >= model.targets[target].threshold };
  };
  const failure = judge('failure');
  return {
    ...failure,
    modes: Object.fromEntries(FAILURE_MODES.map((m) => [m, judge(m)])) as Record<
      FailureMode,
      { risk: number; atRisk: boolean }
    >,
  };
};
