// Where the process and timer functions get failure risks (infra/maintenanceScoring.ts): from the
// SageMaker endpoint named by RISK_ENDPOINT_NAME when the stack deployed one (factory:sagemaker), else
// from the bundled model alone. The bundled model stays required for a site with maintenance
// detectors: it names an alert's main driver and scores detectors set to one failure mode.
// The handlers import this module (and with it the SageMaker SDK) only when riskEndpointConfigured.
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { StreamOptions } from '../../domain/pipeline/machineStreamConfig.ts';
import { sagemakerRiskScorer } from '../adapters/sagemakerRiskScorer.ts';
import { RISK_ENDPOINT_VARIABLE, riskEndpointConfigured, type Environment } from '../lambdaEnvironment.ts';
import { scoredRisks, type ScoredRisks } from './scoredRisks.ts';

export { RISK_ENDPOINT_VARIABLE };

/** The risks scored by the endpoint, or undefined: no endpoint configured, or no maintenance detector to score for. */
export const risksFromEnvironment = (
  env: Environment,
  options: StreamOptions,
  client: () => SageMakerRuntimeClient = () => new SageMakerRuntimeClient({}),
): ScoredRisks | undefined => {
  if (!riskEndpointConfigured(env) || options.maintenanceModel === undefined) return undefined;
  return scoredRisks(
    sagemakerRiskScorer({ client: client(), endpointName: env[RISK_ENDPOINT_VARIABLE]! }),
    options.maintenanceModel,
  );
};
