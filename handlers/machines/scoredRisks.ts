// Failure risks scored before the fold, for a RiskScorer that answers asynchronously (a SageMaker
// endpoint). The machine fold is synchronous and pure, so it cannot await a score: `scoreFor` runs it
// once with a placeholder to learn which observations it scores (domain nextWindow: they depend on the
// samples alone, never on a risk), scores those, and runs it again with every risk known. Risks are
// remembered by observation, so a warm container scores an operating point once.
import { featureVector, type Observation } from '../../domain/maintenance/features.ts';
import { scoreRisk, type MaintenanceModel, type Target } from '../../domain/maintenance/maintenanceModel.ts';
import type { RiskStrategy } from '../../domain/detectors/maintenanceDetector.ts';
import type { RiskScorer } from '../ports/riskScorer.ts';

export type ScoredRisks = {
  /** The strategy the machine streams score with (StreamOptions.scoreWith). */
  readonly scoreWith: RiskStrategy;
  /**
   * Runs a pure, synchronous fold with every risk it asks for scored by the scorer. Rejects with a
   * RiskScorerError when the scorer cannot answer, before any result of the fold is used.
   */
  readonly scoreFor: <A>(fold: () => A) => Promise<A>;
  /** Observations sent to the scorer so far (each operating point once while remembered). */
  readonly scoredCount: () => number;
};

export type ScoredRisksOptions = {
  /** Remembered risks before the memory is emptied (default 50,000: a few MB). */
  readonly remember?: number;
  /** Scoring requests in flight at once (default 4; a serverless endpoint's concurrency is capped). */
  readonly concurrency?: number;
};

export class RiskScorerError extends Error {
  override readonly name = 'RiskScorerError';
}

const keyOf = (o: Observation): string => featureVector(o).join(',');

/**
 * The scorer answers for the `failure` target (the one model trained and served in the cloud); a
 * detector set to a single failure mode (TWF, OSF, …) is scored by the bundled model, as before.
 * Outside `scoreFor` (a fold the shell did not prepare) the bundled model answers too, never a placeholder.
 */
export const scoredRisks = (
  scorer: RiskScorer,
  model: MaintenanceModel,
  options: ScoredRisksOptions = {},
): ScoredRisks => {
  const { remember = 50_000, concurrency = 4 } = options;
  const known = new Map<string, number>();
  let missing: Map<string, Observation> | null = null;
  let scored = 0;

  const scoreWith: RiskStrategy = (observation, target: Target) => {
    if (target !== 'failure') return scoreRisk(model, observation, target);
    const key = keyOf(observation);
    const risk = known.get(key);
    if (risk !== undefined) return risk;
    if (missing === null) return scoreRisk(model, observation, target);
    missing.set(key, observation);
    return 0;
  };

  const scoreAll = async (observations: ReadonlyMap<string, Observation>): Promise<void> => {
    const queue = [...observations];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const [key, observation] = next;
        try {
          known.set(key, await scorer.score(observation));
          scored += 1;
        } catch (error) {
          throw new RiskScorerError(
            `scoring failure risk for ${JSON.stringify(observation)}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  };

  // A fold is synchronous, so `missing` belongs to exactly one run of it even when machines interleave.
  const run = <A>(fold: () => A): { result: A; missed: Map<string, Observation> } => {
    const missed = new Map<string, Observation>();
    missing = missed;
    try {
      return { result: fold(), missed };
    } finally {
      missing = null;
    }
  };

  const scoreFor = async <A>(fold: () => A): Promise<A> => {
    // Forgetting only here, never between the two runs, so the second run finds every risk it needs.
    if (known.size >= remember) known.clear();
    const first = run(fold);
    if (first.missed.size === 0) return first.result;
    await scoreAll(first.missed);
    const second = run(fold);
    if (second.missed.size > 0)
      throw new RiskScorerError(
        `${second.missed.size} observations were asked for only on the second run of a fold; the fold must not depend on the risks it scores`,
      );
    return second.result;
  };

  return { scoreWith, scoreFor, scoredCount: () => scored };
};
