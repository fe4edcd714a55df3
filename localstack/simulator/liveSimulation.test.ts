// The live simulation's plan: which messages go out, who sends each (a machine thing, as the IoT
// policy allows), which are skipped and why, and that limiting factories or moving the day keeps the
// plant the same.
import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import { machineOfThingName } from '../../domain/policy/iotPolicy.ts';
import { dataTopic } from '../../domain/wire/topic.ts';
import { SAMPLE_OPTIONS, loadSampleSite } from './sampleRecording.ts';
import { faultsOnDayOf, firstFactories, simulationOptions, simulationPlan } from './liveSimulation.ts';

const DAY = 24 * 60 * 60 * 1000;
const site = loadSampleSite();
const START = SAMPLE_OPTIONS.startMs;
// Leipzig over the first 390 plant minutes: its five malformed messages and the garbage line fall inside.
const leipzig = simulationPlan(firstFactories(site, 1), simulationOptions(START, 390 * 60, SAMPLE_OPTIONS.seed));

const idOf = (payload: unknown): unknown =>
  typeof payload === 'object' && payload !== null ? (payload as { id?: unknown }).id : undefined;

test('each published message goes out as the machine its topic names, and only as that machine', (t) => {
  const published = leipzig.messages.filter((m) => m.route.kind === 'publish');
  t.true(published.length > 10_000);
  for (const { message, route } of published) {
    const ref = route.kind === 'publish' ? machineOfThingName(route.thing) : undefined;
    if (ref === undefined) return t.fail(`${JSON.stringify(route)} is not a machine thing`);
    t.true(
      message.topic.startsWith(`dt/${ref.factoryId}/${ref.lineId}/${ref.machineId}/`),
      `${message.topic} sent as ${JSON.stringify(route)}`,
    );
  }
  t.deepEqual(leipzig.things, [
    'leipzig:body:press-01',
    'leipzig:body:press-02',
    'leipzig:body:robot-01',
    'leipzig:machining:cnc-01',
    'leipzig:machining:cnc-02',
  ]);
});

test('malformed payloads are published; a topic no machine may publish to, and the garbage line, are skipped with the reason', (t) => {
  const byId = (id: string) => leipzig.messages.find((m) => idOf(m.message.payload) === id);
  const truncated = leipzig.messages.find((m) => m.message.payloadB64 !== undefined);
  t.deepEqual(
    truncated?.route,
    { kind: 'publish', thing: 'leipzig:body:press-01' },
    'the truncated JSON goes out as raw bytes from the press',
  );
  for (const id of ['comma-1', 'state-1', 'null-1']) t.is(byId(id)?.route.kind, 'publish', id);
  const skipped = leipzig.messages.filter((m) => m.route.kind === 'skip');
  t.deepEqual(
    skipped.map((m) => m.message.topic),
    ['dt/leipzig/body/press-99/telemetry', 'dt/leipzig/body/telemetry', ''],
  );
  t.regex(
    skipped[0]?.route.kind === 'skip' ? skipped[0].route.reason : '',
    /no machine of the site may publish to "dt\/leipzig\/body\/press-99\/telemetry": the IoT policy would disconnect/,
  );
  t.regex(skipped[2]?.route.kind === 'skip' ? skipped[2].route.reason : '', /not an MQTT message/);
});

test('only the simulated factories are in the plan, every message inside the window and in receive order', (t) => {
  const factories = new Set(leipzig.messages.map((m) => m.message.topic.split('/')[1]));
  t.deepEqual([...factories], ['leipzig', undefined], "Leipzig's topics and the garbage line (no topic) only");
  t.true(
    leipzig.messages.every(
      (m, i, all) =>
        m.message.t >= leipzig.startMs &&
        m.message.t < leipzig.endMs &&
        (i === 0 || all[i - 1]!.message.t <= m.message.t),
    ),
  );
});

test("limiting to the first factories leaves those factories' plant unchanged", (t) => {
  const options = simulationOptions(START + 3 * 60 * 60_000, 600, 7);
  const all = simulationPlan(site, options).messages.filter((m) => m.message.topic.startsWith('dt/leipzig/'));
  const one = simulationPlan(firstFactories(site, 1), options).messages.filter((m) =>
    m.message.topic.startsWith('dt/leipzig/'),
  );
  t.true(one.length > 100);
  t.deepEqual(one, all);
});

test('the same seed, site and start give the same plan; another seed another plant', (t) => {
  const options = simulationOptions(START, 300, 1);
  const small = firstFactories(site, 1);
  t.deepEqual(simulationPlan(small, options), simulationPlan(small, options));
  t.notDeepEqual(
    simulationPlan(small, simulationOptions(START, 300, 2)).messages,
    simulationPlan(small, options).messages,
  );
});

testProp(
  'faults keep their UTC time of day on any simulated day',
  [fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: 0, max: DAY - 1 })],
  (t, days, timeOfDay) => {
    const sampleDay = Math.floor(START / DAY) * DAY;
    const moved = faultsOnDayOf(sampleDay + days * DAY + timeOfDay);
    for (const [key, faults] of Object.entries(SAMPLE_OPTIONS.faults)) {
      const shifted = moved[key];
      t.is(
        shifted?.counterResetAt,
        faults.counterResetAt === undefined ? undefined : faults.counterResetAt + days * DAY,
        key,
      );
      t.is(
        shifted?.stuckSensor?.from,
        faults.stuckSensor === undefined ? undefined : faults.stuckSensor.from + days * DAY,
        key,
      );
      t.is(shifted?.silence?.to, faults.silence === undefined ? undefined : faults.silence.to + days * DAY, key);
      t.is(
        shifted?.toolWearOut?.failAt,
        faults.toolWearOut === undefined ? undefined : faults.toolWearOut.failAt + days * DAY,
        key,
      );
      t.is(
        shifted?.pressureSpike?.at,
        faults.pressureSpike === undefined ? undefined : faults.pressureSpike.at + days * DAY,
        key,
      );
      t.is(
        shifted?.lateBatch?.from,
        faults.lateBatch === undefined ? undefined : faults.lateBatch.from + days * DAY,
        key,
      );
      t.is(shifted?.imperialUnits, faults.imperialUnits, key);
    }
  },
  { numRuns: 100 },
);

test("on the sample's day its faults happen at their times: Birmingham's press pressure sticks from minute 330", (t) => {
  const from = START + 329 * 60_000;
  const plan = simulationPlan(firstFactories(site, 2), simulationOptions(from, 180, SAMPLE_OPTIONS.seed));
  const press = plan.messages.filter(
    (m) =>
      m.message.topic ===
      dataTopic({ factoryId: 'birmingham', lineId: 'stamping', machineId: 'press-01' }, 'telemetry'),
  );
  const pressure = press.map(
    (m) => (m.message.payload as { metrics: { pressure: { value: number } } }).metrics.pressure.value,
  );
  const stuckFrom = press.findIndex((m) => m.message.t >= START + 330 * 60_000 + 5000);
  t.true(stuckFrom > 0);
  t.is(new Set(pressure.slice(stuckFrom)).size, 1, `pressure is stuck from minute 330: ${pressure.join(', ')}`);
  t.true(new Set(pressure.slice(0, stuckFrom)).size > 1, 'and moved before');
});
