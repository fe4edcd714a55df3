import test from 'ava';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import * as E from 'fp-ts/lib/Either.js';
import { scoreRisk, type MaintenanceModel } from '../../domain/maintenance/maintenanceModel.ts';
import { OBSERVATIONS, riskScorerContract } from '../ports/riskScorer.contract.ts';
import { embeddedRiskScorer, readMaintenanceModelFile } from './embeddedRiskScorer.ts';
import { startFakeSagemakerRuntime } from '../testing/fakes/sagemakerRuntime.ts';
import { sagemakerRiskScorer } from './sagemakerRiskScorer.ts';

const BUNDLED = new URL('../../localstack/sample/maintenance-model.json', import.meta.url).pathname;
const loaded = readMaintenanceModelFile(BUNDLED);
if (E.isLeft(loaded)) throw new Error(loaded.left);
const model: MaintenanceModel = loaded.right;
const ENDPOINT = 'factory-dev-maintenance';

const sagemaker = async () => {
  const fake = await startFakeSagemakerRuntime(ENDPOINT, model);
  const client = new SageMakerRuntimeClient({
    endpoint: fake.endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    fake,
    scorer: sagemakerRiskScorer({ client, endpointName: ENDPOINT }),
    close: async () => {
      client.destroy();
      await fake.close();
    },
  };
};

riskScorerContract(
  test,
  'embedded risk scorer',
  async () => ({ scorer: embeddedRiskScorer(model), close: async () => undefined }),
  (o) => scoreRisk(model, o),
);
riskScorerContract(test, 'sagemaker risk scorer', sagemaker, (o) => scoreRisk(model, o));

test('sagemaker risk scorer: one InvokeEndpoint per observation, the feature vector as SageMaker JSON', async (t) => {
  const { fake, scorer, close } = await sagemaker();
  await scorer.score(OBSERVATIONS[1]!);
  t.is(fake.requests.length, 1);
  t.is(fake.requests[0]!.path, `/endpoints/${ENDPOINT}/invocations`);
  t.deepEqual(JSON.parse(fake.requests[0]!.body), {
    instances: [
      {
        features: [
          1,
          299.5,
          309.8,
          309.8 - 299.5,
          1500,
          52,
          (52 * 1500 * 2 * Math.PI) / 60,
          235,
          235 * 52,
          (235 * 52) / 12_000,
        ],
      },
    ],
  });
  await close();
});

test("sagemaker risk scorer: an endpoint error rejects with the endpoint's reason", async (t) => {
  const { fake, scorer, close } = await sagemaker();
  fake.failNext(1);
  await t.throwsAsync(scorer.score(OBSERVATIONS[0]!), { message: /injected failure/ });
  await close();
});

test('a damaged model file is refused with its path and what to do', (t) => {
  const read = readMaintenanceModelFile('/nonexistent/maintenance-model.json');
  t.true(
    E.isLeft(read) && /\/nonexistent\/maintenance-model\.json: cannot read .*factory maintenance train/.test(read.left),
  );
});
