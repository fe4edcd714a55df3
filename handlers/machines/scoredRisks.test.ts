// The process function with failure risks scored beforehand: through the embedded scorer it appends
// exactly what the synchronous fold appends; through the SageMaker adapter (against the fake runtime)
// its maintenance alerts come from the endpoint's scores, and an endpoint failure retries the records.
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import type { MaintenanceModel } from '../../domain/maintenance/maintenanceModel.ts';
import { decodeSiteConfig, type SiteConfig } from '../../domain/site/siteConfig.ts';
import { embeddedRiskScorer, readMaintenanceModelFile } from '../adapters/embeddedRiskScorer.ts';
import { startFakeSagemakerRuntime } from '../testing/fakes/sagemakerRuntime.ts';
import type { RiskScorer } from '../ports/riskScorer.ts';
import { memoryEventStore, memoryOutputs, memorySink, dispatchOutbox } from '../testing/memoryPorts.ts';
import { processBatch, processContext, type ProcessContext, type ProcessDeps } from '../process/processBatch.ts';
import { risksFromEnvironment } from './riskEnvironment.ts';
import { kinesisRecord, partitionKeyOf, ruleOutput, type Published } from '../testing/ruleRecords.ts';
import { scoredRisks } from './scoredRisks.ts';

const loaded = readMaintenanceModelFile(
  new URL('../../localstack/sample/maintenance-model.json', import.meta.url).pathname,
);
if (E.isLeft(loaded)) throw new Error(loaded.left);
const model: MaintenanceModel = loaded.right;
/** A bundled model that never expects a failure: an alert with it can only come from the endpoint. */
const neverFails: MaintenanceModel = {
  ...model,
  targets: { ...model.targets, failure: { ...model.targets.failure, ensemble: { baseScore: -30, trees: [] } } },
};

const decoded = decodeSiteConfig({
  version: 1,
  factories: [
    {
      id: 'f1',
      name: 'Plant',
      timezone: 'UTC',
      lines: [{ id: 'l1', machines: [{ id: 'cnc-01', type: 'cnc', idealCycleTimeS: 60 }] }],
    },
  ],
  microStopS: 60,
  heartbeatTimeoutS: 600,
  allowedLatenessS: 20,
  metrics: {
    air_temp: { unit: 'K', min: 200, max: 400 },
    process_temp: { unit: 'K', min: 200, max: 500 },
    spindle_speed: { unit: 'rpm', min: 0, max: 30000 },
    torque: { unit: 'Nm', min: 0, max: 500 },
    tool_wear: { unit: 'min', min: 0, max: 10000 },
  },
  detectors: {
    cnc: [
      { kind: 'maintenance', threshold: 0.5, clearBelow: 0.3, windowS: 60 },
      { kind: 'maintenance', threshold: 0.5, target: 'OSF', windowS: 30 },
    ],
  },
});
if (E.isLeft(decoded)) throw new Error(decoded.left.join('; '));
const site: SiteConfig = decoded.right;
const T0 = Date.UTC(2026, 0, 5, 8, 0);
const ENDPOINT = 'smart-factory-prod-maintenance';

type Sample = { readonly wear: number; readonly torque: number; readonly speed: number };
/** A tool that wears from new to worn out: healthy first, then past the overstrain limit. */
const wearingTool: Sample[] = Array.from({ length: 60 }, (_, i) => ({
  wear: 20 + i * 4,
  torque: 40 + (i % 5) * 3,
  speed: 1500,
}));

const messages = (samples: readonly Sample[]): Published[] => [
  { topic: 'dt/f1/l1/cnc-01/state', payload: { v: 1, id: 's0', ts: T0, state: 'RUNNING' }, receivedAt: T0 + 10 },
  ...samples.map((s, i): Published => ({
    topic: 'dt/f1/l1/cnc-01/telemetry',
    receivedAt: T0 + (i + 1) * 10_000 + 30,
    payload: {
      v: 1,
      id: `t${i}`,
      ts: T0 + (i + 1) * 10_000,
      metrics: { air_temp: 299.5, process_temp: 309.8, spindle_speed: s.speed, torque: s.torque, tool_wear: s.wear },
    },
  })),
];
const records = (published: readonly Published[]) =>
  published.map((m, i) =>
    kinesisRecord(ruleOutput(m)!, partitionKeyOf(m.topic), String(1000 + i).padStart(21, '0'), m.receivedAt),
  );

/** Runs the messages through processBatch in batches of `batchSize`: what the stream holds and what was published. */
const run = async (context: ProcessContext, published: readonly Published[], batchSize: number) => {
  const store = memoryEventStore<MachineEvent>();
  const outputs = memoryOutputs();
  const deps: ProcessDeps = { site, store, telemetry: memorySink().sink, deadLetters: outputs.deadLetters };
  const all = records(published);
  const failures: string[] = [];
  for (let i = 0; i < all.length; i += batchSize) {
    failures.push(...(await processBatch(deps, context, all.slice(i, i + batchSize))).failures.map((f) => f.reason));
    await dispatchOutbox(store, site, outputs);
  }
  const events = (await store.readStream('f1/l1/cnc-01')).events.map((e) => e.event);
  return { events, alerts: outputs.alerts, failures };
};

const sample = fc.record({
  wear: fc.integer({ min: 0, max: 260 }),
  torque: fc.double({ min: 3, max: 70, noNaN: true }),
  speed: fc.oneof(fc.constant(0), fc.integer({ min: 1200, max: 2800 })),
});

testProp(
  'risks scored beforehand by the embedded scorer append and publish byte for byte what the synchronous fold does',
  [fc.array(sample, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 30 })],
  async (t, samples, batchSize) => {
    const published = messages(samples);
    const synchronous = await run(processContext(site, { maintenanceModel: model }), published, batchSize);
    const beforehand = await run(
      processContext(site, { maintenanceModel: model }, scoredRisks(embeddedRiskScorer(model), model)),
      published,
      batchSize,
    );
    t.deepEqual(beforehand.failures, []);
    t.is(JSON.stringify(beforehand.events), JSON.stringify(synchronous.events));
    t.is(JSON.stringify(beforehand.alerts), JSON.stringify(synchronous.alerts));
  },
  { numRuns: 25 },
);

test('the embedded path raises on the worn tool, so the equality above covers alerts', async (t) => {
  const { alerts } = await run(
    processContext(site, { maintenanceModel: model }, scoredRisks(embeddedRiskScorer(model), model)),
    messages(wearingTool),
    7,
  );
  t.true(alerts.some((a) => a.detector === 'maintenance:failure' && a.status === 'RAISED'));
});

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
    client,
    close: async () => {
      client.destroy();
      await fake.close();
    },
  };
};

test("with RISK_ENDPOINT_NAME the process function raises from the endpoint's scores, each operating point scored once", async (t) => {
  const { fake, client, close } = await sagemaker();
  try {
    const withoutEndpoint = await run(
      processContext(site, { maintenanceModel: neverFails }),
      messages(wearingTool),
      10,
    );
    t.false(
      withoutEndpoint.alerts.some((a) => a.detector === 'maintenance:failure'),
      'the bundled model alone never raises',
    );

    const risks = risksFromEnvironment(
      { RISK_ENDPOINT_NAME: ENDPOINT },
      { maintenanceModel: neverFails },
      () => client,
    );
    t.truthy(risks);
    const withEndpoint = await run(
      processContext(site, { maintenanceModel: neverFails }, risks),
      messages(wearingTool),
      10,
    );
    t.deepEqual(withEndpoint.failures, []);
    const raised = withEndpoint.alerts.filter((a) => a.detector === 'maintenance:failure' && a.status === 'RAISED');
    t.is(raised.length, 1);
    t.true(fake.requests.length > 0 && fake.requests.every((r) => r.path === `/endpoints/${ENDPOINT}/invocations`));
    t.is(fake.requests.length, risks!.scoredCount(), 'one InvokeEndpoint per operating point, none repeated');
    // The endpoint's model and the bundled model agree on this data, so the alert is the embedded path's own.
    const embedded = await run(processContext(site, { maintenanceModel: model }), messages(wearingTool), 10);
    t.deepEqual(
      raised.map((a) => a.alertId),
      embedded.alerts
        .filter((a) => a.detector === 'maintenance:failure' && a.status === 'RAISED')
        .map((a) => a.alertId),
    );
  } finally {
    await close();
  }
});

test('an endpoint that fails appends nothing and reports every record for Lambda to retry, naming the scorer', async (t) => {
  const { fake, client, close } = await sagemaker();
  try {
    const risks = risksFromEnvironment({ RISK_ENDPOINT_NAME: ENDPOINT }, { maintenanceModel: model }, () => client);
    fake.failNext(1);
    const published = messages(wearingTool.slice(0, 8));
    const { events, failures } = await run(
      processContext(site, { maintenanceModel: model }, risks),
      published,
      published.length,
    );
    t.deepEqual(events, []);
    t.is(failures.length, published.length);
    t.regex(
      failures[0]!,
      /f1\/l1\/cnc-01: the risk scorer failed: RiskScorerError: .*injected failure.*retried by Lambda/,
    );
  } finally {
    await close();
  }
});

test("without RISK_ENDPOINT_NAME, or without a maintenance detector's model, risks come from the bundled model", (t) => {
  t.is(risksFromEnvironment({}, { maintenanceModel: model }), undefined);
  t.is(risksFromEnvironment({ RISK_ENDPOINT_NAME: '' }, { maintenanceModel: model }), undefined);
  t.is(risksFromEnvironment({ RISK_ENDPOINT_NAME: ENDPOINT }, {}), undefined);
});

test('a fold run outside scoreFor is scored by the bundled model, never by a placeholder', (t) => {
  const calls: number[] = [];
  const scorer: RiskScorer = {
    score: async () => {
      calls.push(1);
      return 1;
    },
  };
  const risks = scoredRisks(scorer, model);
  const worn = {
    airTempK: 299.5,
    processTempK: 309.8,
    rotationalSpeedRpm: 1500,
    torqueNm: 52,
    toolWearMin: 235,
    type: 'M',
  } as const;
  t.true(risks.scoreWith(worn, 'failure') > 0.5);
  t.deepEqual(calls, []);
});
