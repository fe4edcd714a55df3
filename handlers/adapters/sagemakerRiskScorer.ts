// The risk scorer behind a SageMaker endpoint (InvokeEndpoint). The request is SageMaker's common JSON
// inference format with the domain's feature vector — `{"instances":[{"features":[…]}]}` in
// FEATURE_NAMES order — and the answer its binary-classification format `{"predictions":[{"score":…}]}`.
// The feature names travel in CustomAttributes so the endpoint can refuse a vector of another schema.
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { FEATURE_NAMES, featureVector } from '../../domain/maintenance/features.ts';
import type { RiskScorer } from '../ports/riskScorer.ts';

export type SagemakerRiskScorerConfig = { readonly client: SageMakerRuntimeClient; readonly endpointName: string };

export const FEATURES_ATTRIBUTE = `features=${FEATURE_NAMES.join(',')}`;

const scoreOf = (endpointName: string, body: Uint8Array | undefined): number => {
  const text = new TextDecoder().decode(body ?? new Uint8Array());
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(
      `SageMaker endpoint ${endpointName}: the answer is not JSON (${text.slice(0, 80)}); expected {"predictions":[{"score":number}]}`,
    );
  }
  const score = (parsed as { predictions?: Array<{ score?: unknown }> } | null)?.predictions?.[0]?.score;
  if (typeof score !== 'number' || !(score >= 0 && score <= 1)) {
    throw new Error(
      `SageMaker endpoint ${endpointName}: predictions[0].score is ${JSON.stringify(score)}; expected a risk from 0 to 1 — check the endpoint serves the maintenance model`,
    );
  }
  return score;
};

export const sagemakerRiskScorer = (config: SagemakerRiskScorerConfig): RiskScorer => ({
  score: async (observation) => {
    const response = await config.client.send(
      new InvokeEndpointCommand({
        EndpointName: config.endpointName,
        ContentType: 'application/json',
        Accept: 'application/json',
        CustomAttributes: FEATURES_ATTRIBUTE,
        Body: new TextEncoder().encode(JSON.stringify({ instances: [{ features: featureVector(observation) }] })),
      }),
    );
    return scoreOf(config.endpointName, response.Body);
  },
});
