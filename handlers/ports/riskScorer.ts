// The failure risk of a machine's operating point, from the model wherever it runs: embedded in the
// handler (model.json bundled beside it) or a SageMaker endpoint when one is configured. Both answer
// for the feature schema of domain/maintenance/features.ts, so the same observation scores the same.
import type { Observation } from '../../domain/maintenance/features.ts';

export interface RiskScorer {
  /** The risk, in [0, 1], that the machine at this operating point fails. Rejects when the scorer cannot answer. */
  score(observation: Observation): Promise<number>;
}
