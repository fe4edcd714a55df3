// How well a failure model separates failures from normal running. Failures are rare (3.4% of rows in
// AI4I 2020), so accuracy says little; recall (failures caught), precision (alarms that were real),
// F1 (their harmonic mean) and PR-AUC (average precision over every threshold) are what we report.

export type ClassificationMetrics = {
  /** Caught failures / failures; null when there were none. */
  readonly recall: number | null;
  /** Real failures / alarms; null when nothing was flagged. */
  readonly precision: number | null;
  /** 2·TP / (2·TP + FP + FN); null when there were neither failures nor alarms. */
  readonly f1: number | null;
  /** Average precision of the ranking by score; null when there were no failures. */
  readonly prAuc: number | null;
};

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

/** Recall, precision and F1 of yes/no predictions against labels (same length). */
export const confusionScores = (
  labels: readonly boolean[],
  predicted: readonly boolean[],
): Omit<ClassificationMetrics, 'prAuc'> => {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  labels.forEach((label, i) => {
    if (predicted[i] === true && label) tp++;
    else if (predicted[i] === true) fp++;
    else if (label) fn++;
  });
  return { recall: ratio(tp, tp + fn), precision: ratio(tp, tp + fp), f1: ratio(2 * tp, 2 * tp + fp + fn) };
};

/** Distinct scores from high to low, each with the positives and rows at that score. */
const scoreSteps = (
  scores: readonly number[],
  labels: readonly boolean[],
): { score: number; positives: number; rows: number }[] => {
  const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const steps: { score: number; positives: number; rows: number }[] = [];
  for (const i of order) {
    const score = scores[i] as number;
    const last = steps[steps.length - 1];
    const step =
      last !== undefined && last.score === score
        ? last
        : (steps.push({ score, positives: 0, rows: 0 }), steps[steps.length - 1]!);
    step.rows++;
    if (labels[i] === true) step.positives++;
  }
  return steps;
};

/**
 * Average precision, AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the distinct score thresholds from high to low (the
 * step-wise PR-AUC of scikit-learn's average_precision_score, no interpolation). Tied scores form one
 * step, so a ranking cannot look better by the order ties happen to sit in.
 */
export const averagePrecision = (scores: readonly number[], labels: readonly boolean[]): number | null => {
  const totalPositives = labels.filter(Boolean).length;
  if (totalPositives === 0) return null;
  let tp = 0;
  let flagged = 0;
  let sum = 0;
  for (const step of scoreSteps(scores, labels)) {
    tp += step.positives;
    flagged += step.rows;
    sum += step.positives * (tp / flagged);
  }
  // divide once at the end: a perfect ranking then sums to exactly totalPositives, AP exactly 1
  return sum / totalPositives;
};

/**
 * The score threshold (flag when score ≥ threshold) that maximises F1 on these scores. It sits halfway
 * between the lowest flagged score and the next lower one, so a new score near the edge is judged by
 * the gap rather than by one training row. With no positives nothing should be flagged: 1.
 */
export const bestF1Threshold = (scores: readonly number[], labels: readonly boolean[]): number => {
  const totalPositives = labels.filter(Boolean).length;
  if (totalPositives === 0) return 1;
  const steps = scoreSteps(scores, labels);
  let tp = 0;
  let flagged = 0;
  let bestF1 = -1;
  let bestIndex = 0;
  steps.forEach((step, index) => {
    tp += step.positives;
    flagged += step.rows;
    const f1 = (2 * tp) / (flagged + totalPositives);
    if (f1 > bestF1) {
      bestF1 = f1;
      bestIndex = index;
    }
  });
  const chosen = steps[bestIndex]!.score;
  const next = steps[bestIndex + 1]?.score;
  return next === undefined ? chosen : (chosen + next) / 2;
};

/** All four metrics of scores against labels, flagging scores at or above the threshold. */
export const classificationMetrics = (
  scores: readonly number[],
  labels: readonly boolean[],
  threshold: number,
): ClassificationMetrics => ({
  ...confusionScores(
    labels,
    scores.map((s) => s >= threshold),
  ),
  prAuc: averagePrecision(scores, labels),
});
