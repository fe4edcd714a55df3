// The cloud handler path of products (docs/wire-contract.md#job): a job message through processBatch
// and the dispatch of its commits, so SiteWise is sent each part's ideal time at its product's rate.
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { decodeSiteConfig } from '../../domain/site/siteConfig.ts';
import { dispatchOutbox, memoryEventStore, memoryOutputs, memorySink } from '../testing/memoryPorts.ts';
import { processBatch, processContext, type ProcessDeps } from './processBatch.ts';
import { kinesisRecord, partitionKeyOf, ruleOutput, type Published } from '../testing/ruleRecords.ts';

const decoded = decodeSiteConfig({
  version: 1,
  factories: [
    {
      id: 'f1',
      timezone: 'UTC',
      lines: [
        {
          id: 'l1',
          machines: [
            { id: 'press-01', type: 'press', idealCycleTimeS: 10 },
            { id: 'lathe-02', type: 'lathe', idealCycleTimeS: 20 },
          ],
        },
      ],
    },
  ],
  heartbeatTimeoutS: 120,
  allowedLatenessS: 60,
  products: [{ id: 'bracket-a', idealCycleTimeS: { byMachine: { 'f1/l1/press-01': 4 } } }],
});
if (E.isLeft(decoded)) throw new Error(decoded.left.join('; '));
const site = decoded.right;
const T0 = Date.UTC(2026, 0, 5, 8, 0);

/** Ten minutes of two machines, 12 parts a minute (one rejected every 5 minutes); press-01 runs order O-1 of bracket-a. */
const messages = (jobProduct: string): Published[] => {
  const out: Published[] = [];
  for (const machine of ['press-01', 'lathe-02']) {
    const topic = (type: string) => `dt/f1/l1/${machine}/${type}`;
    out.push({
      topic: topic('state'),
      payload: { v: 1, id: `${machine}-s`, ts: T0, state: 'RUNNING' },
      receivedAt: T0,
    });
    if (machine === 'press-01')
      out.push({
        topic: topic('job'),
        payload: { v: 1, id: 'job-1', ts: T0, order: 'O-1', product: jobProduct, targetQuantity: 500 },
        receivedAt: T0,
      });
    for (let m = 0; m <= 10; m += 1)
      out.push({
        topic: topic('counts'),
        payload: { v: 1, id: `${machine}-c${m}`, ts: T0 + m * 60_000, total: 12 * m, reject: Math.floor(m / 5) },
        receivedAt: T0 + m * 60_000,
      });
    out.push({
      topic: topic('state'),
      payload: { v: 1, id: `${machine}-down`, ts: T0 + 11 * 60_000, state: 'DOWN' },
      receivedAt: T0 + 11 * 60_000,
    });
    out.push({
      topic: topic('state'),
      payload: { v: 1, id: `${machine}-up`, ts: T0 + 13 * 60_000, state: 'RUNNING' },
      receivedAt: T0 + 13 * 60_000,
    });
  }
  return out.sort((a, b) => a.receivedAt - b.receivedAt);
};

const run = async (published: readonly Published[]) => {
  const store = memoryEventStore<MachineEvent>();
  const outputs = memoryOutputs();
  const deps: ProcessDeps = { site, store, telemetry: memorySink().sink, deadLetters: outputs.deadLetters };
  const records = published.map((m, i) =>
    kinesisRecord(ruleOutput(m)!, partitionKeyOf(m.topic), String(1000 + i).padStart(21, '0'), m.receivedAt),
  );
  const result = await processBatch(deps, processContext(site), records);
  await dispatchOutbox(store, site, outputs);
  const sum = (machine: string, property: string) =>
    outputs.values
      .filter((v) => v.propertyAlias === `/f1/l1/${machine}/${property}`)
      .reduce((total, v) => total + v.value, 0);
  return { result, outputs, sum, events: (await store.readStream('f1/l1/press-01')).events.map((e) => e.event) };
};

test("process: a job's parts go to SiteWise at its product's ideal cycle time, the others at their machine's", async (t) => {
  const { result, sum, events } = await run(messages('bracket-a'));
  t.deepEqual(result.failures, []);
  t.true(events.some((e) => e.type === 'JobStarted' && e.order === 'O-1' && e.product === 'bracket-a'));
  const pressTotal = sum('press-01', 'total_count');
  const pressGood = pressTotal - sum('press-01', 'reject_count');
  t.true(pressTotal > 0);
  // bracket-a on press-01: 4 s a part (the machine's own 10 s would be 2.5 times as much).
  t.is(sum('press-01', 'ideal_time_s'), 4 * pressTotal);
  t.is(sum('press-01', 'ideal_good_time_s'), 4 * pressGood);
  // lathe-02 ran no job: its own 20 s a part.
  const latheTotal = sum('lathe-02', 'total_count');
  t.true(latheTotal > 0);
  t.is(sum('lathe-02', 'ideal_time_s'), 20 * latheTotal);
});

test('process: a job naming a product the catalog does not have for the machine is a dead letter with its reason', async (t) => {
  const { result, outputs, sum } = await run(messages('bracket-z'));
  t.deepEqual(result.failures, []);
  t.is(outputs.letters.length, 1);
  t.regex(
    JSON.stringify(outputs.letters[0]),
    /product: \\"bracket-z\\" has no ideal cycle time for machine f1\/l1\/press-01/,
  );
  // Without the job, press-01's parts are weighed by its own 10 s.
  t.is(sum('press-01', 'ideal_time_s'), 10 * sum('press-01', 'total_count'));
});
