// Reading model.json back: a model is only scored when its structure holds (every child index points
// inside its tree, every split names a known feature) and its feature schema is the one this code
// computes, so a model trained by another release cannot silently score the wrong columns.
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { formatDecodeErrors } from '../decodeError.ts';
import { FEATURE_NAMES } from './features.ts';
import { MODEL_VERSION, TARGETS, type MaintenanceModel, type Target } from './maintenanceModel.ts';
import type { RegressionTree } from './boostedTrees.ts';

const Numbers = t.array(t.number);

const Tree = t.type({ feature: Numbers, threshold: Numbers, left: Numbers, right: Numbers, value: Numbers });

const TargetModelDocument = t.type({
  ensemble: t.type({ baseScore: t.number, trees: t.array(Tree) }),
  threshold: t.number,
  trainingPositives: t.number,
});

const ModelDocument = t.type({
  version: t.literal(MODEL_VERSION),
  kind: t.literal('boosted-trees'),
  features: t.array(t.string),
  params: t.type({
    rounds: t.number,
    learningRate: t.number,
    maxDepth: t.number,
    minChildWeight: t.number,
    minSamplesLeaf: t.number,
    l2: t.number,
    subsample: t.number,
    positiveWeight: t.number,
    seed: t.number,
  }),
  trainingRows: t.number,
  targets: t.type(
    Object.fromEntries(TARGETS.map((target) => [target, TargetModelDocument])) as Record<
      Target,
      typeof TargetModelDocument
    >,
  ),
});

/** The first structural defect of a tree, or undefined when every path ends in a leaf. */
const treeDefect = (tree: RegressionTree): string | undefined => {
  const size = tree.feature.length;
  if ([tree.threshold, tree.left, tree.right, tree.value].some((a) => a.length !== size) || size === 0)
    return 'arrays of unequal or zero length';
  for (let node = 0; node < size; node++) {
    const f = tree.feature[node] as number;
    if (f === -1) continue;
    if (!Number.isInteger(f) || f < 0 || f >= FEATURE_NAMES.length)
      return `node ${node} splits on feature ${f}, not one of 0..${FEATURE_NAMES.length - 1}`;
    // children come after their parent (the trainer writes them depth first), so no path loops
    for (const child of [tree.left[node] as number, tree.right[node] as number]) {
      if (!Number.isInteger(child) || child <= node || child >= size)
        return `node ${node} has child ${child}, outside ${node + 1}..${size - 1}`;
    }
  }
  return [tree.threshold, tree.value].some((a) => a.some((v) => !Number.isFinite(v)))
    ? 'a threshold or leaf value that is not finite'
    : undefined;
};

/** Decodes a parsed model.json; each error line names the field and what was expected. */
export const decodeMaintenanceModel = (document: unknown): E.Either<string[], MaintenanceModel> => {
  const decoded = ModelDocument.decode(document);
  if (E.isLeft(decoded)) return E.left(formatDecodeErrors(decoded.left));
  const model = decoded.right;
  if (model.features.join(',') !== FEATURE_NAMES.join(',')) {
    return E.left([
      `features: the model was trained on [${model.features.join(', ')}], this release computes [${FEATURE_NAMES.join(', ')}]; retrain with \`factory maintenance train\``,
    ]);
  }
  const errors = TARGETS.flatMap((target) =>
    model.targets[target].ensemble.trees.flatMap((tree, i) => {
      const defect = treeDefect(tree);
      return defect === undefined
        ? []
        : [`targets.${target}.ensemble.trees.${i}: ${defect}; the file is damaged — retrain`];
    }),
  );
  return errors.length > 0 ? E.left(errors) : E.right(model as MaintenanceModel);
};
