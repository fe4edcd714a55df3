// A SageMaker runtime endpoint speaking the restJson protocol of InvokeEndpoint
// (POST /endpoints/{name}/invocations, the body passed through as bytes), serving a maintenance model
// the way a deployed one would. It refuses any request whose shape the adapter must not get wrong.
// Test support only.
import { FEATURE_NAMES } from '../../../domain/maintenance/features.ts';
import type { MaintenanceModel } from '../../../domain/maintenance/maintenanceModel.ts';
import { predictProbability } from '../../../domain/maintenance/boostedTrees.ts';
import { startFakeServer, type FakeResponse, type FakeServer } from './httpExchange.ts';

export type FakeSagemakerRuntime = FakeServer & { readonly failNext: (n: number) => void };

const modelError = (status: number, type: string, message: string): FakeResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
  body: JSON.stringify({ message }),
});

export const startFakeSagemakerRuntime = async (
  endpointName: string,
  model: MaintenanceModel,
): Promise<FakeSagemakerRuntime> => {
  let failures = 0;
  const server = await startFakeServer((req) => {
    if (req.method !== 'POST' || req.path !== `/endpoints/${encodeURIComponent(endpointName)}/invocations`) {
      return modelError(404, 'ValidationError', `no endpoint at ${req.method} ${req.path}`);
    }
    if (req.headers['content-type'] !== 'application/json' || req.headers['accept'] !== 'application/json') {
      return modelError(
        415,
        'ValidationError',
        `expected Content-Type and Accept application/json, got ${String(req.headers['content-type'])} / ${String(req.headers['accept'])}`,
      );
    }
    if (req.headers['x-amzn-sagemaker-custom-attributes'] !== `features=${FEATURE_NAMES.join(',')}`) {
      return modelError(
        400,
        'ModelError',
        `feature schema ${String(req.headers['x-amzn-sagemaker-custom-attributes'])} is not the model's`,
      );
    }
    if (failures > 0) {
      failures--;
      return modelError(424, 'ModelError', 'Received server error (500) from primary: injected failure');
    }
    const body = JSON.parse(req.body) as { instances?: Array<{ features?: unknown }> };
    const features = body.instances?.[0]?.features;
    if (
      body.instances?.length !== 1 ||
      !Array.isArray(features) ||
      features.length !== FEATURE_NAMES.length ||
      !features.every((f) => typeof f === 'number')
    ) {
      return modelError(400, 'ModelError', `expected {"instances":[{"features":[${FEATURE_NAMES.length} numbers]}]}`);
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-amzn-invoked-production-variant': 'AllTraffic' },
      body: JSON.stringify({
        predictions: [{ score: predictProbability(model.targets.failure.ensemble, features as number[]) }],
      }),
    };
  });
  return { ...server, failNext: (n) => void (failures = n) };
};
