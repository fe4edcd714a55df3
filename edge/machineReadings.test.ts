import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import type { GatewayMachineConfig } from './gatewayConfig.ts';
import { emptyMemory, machineReadings, messageId, type MachineContext } from './machineReadings.ts';
import type { SourceEvent, Tag } from './source.ts';

const machine = {
  lineId: 'l1',
  machineId: 'm1',
  source: { kind: 'modbus', host: 'h', port: 502, unitId: 1, pollMs: 100 },
  metrics: { temp: { table: 'holding', address: 0, type: 'float32', unit: 'degF', canonicalUnit: 'degC' } },
  state: { table: 'holding', address: 10, type: 'uint16', map: { 1: 'RUNNING', 2: 'DOWN' } },
  counts: {
    total: { table: 'holding', address: 20, type: 'uint32' },
    reject: { table: 'holding', address: 22, type: 'uint32' },
  },
} as GatewayMachineConfig;
const ctx: MachineContext = { gatewayId: 'gw', factoryId: 'f1', machine };
const tags = (ts: number, values: [Tag, unknown][]): SourceEvent => ({
  kind: 'tags',
  readings: values.map(([tag, value]) => ({ tag, ts, value })),
});
const T = {
  temp: { kind: 'metric', name: 'temp' } as Tag,
  state: { kind: 'state' } as Tag,
  total: { kind: 'total' } as Tag,
  reject: { kind: 'reject' } as Tag,
};

testProp(
  'a reading gets the same id every time it is built (retries and restarts), and different readings different ids',
  [
    fc.integer({ min: 0, max: 2 ** 42 }),
    fc.integer({ min: 0, max: 2 ** 42 }),
    fc.double({ min: -100, max: 500, noNaN: true }),
  ],
  (t, ts1, ts2, value) => {
    const a = machineReadings(ctx, emptyMemory, tags(ts1, [[T.temp, value]])).messages[0]!;
    const again = machineReadings(ctx, emptyMemory, tags(ts1, [[T.temp, value]])).messages[0]!;
    const b = machineReadings(ctx, emptyMemory, tags(ts2, [[T.temp, value]])).messages[0]!;
    t.is(a.id, again.id);
    t.is(a.id === b.id, ts1 === ts2);
  },
  { numRuns: 100 },
);

test('ids differ by kind, machine and gateway', (t) => {
  const ids = new Set([
    messageId(ctx, 'telemetry', 1, ['temp']),
    messageId(ctx, 'state', 1),
    messageId(ctx, 'counts', 1),
    messageId({ ...ctx, gatewayId: 'gw2' }, 'state', 1),
    messageId({ ...ctx, machine: { ...machine, machineId: 'm2' } }, 'state', 1),
  ]);
  t.is(ids.size, 5);
});

test('telemetry is converted to the canonical unit and published as {value, unit}', (t) => {
  const step = machineReadings(ctx, emptyMemory, tags(1_000, [[T.temp, 212]]));
  t.deepEqual(step.messages[0]?.payload, {
    v: 1,
    id: step.messages[0]?.id,
    ts: 1_000,
    metrics: { temp: { value: 100, unit: 'degC' } },
  });
});

test('a state message only when the mapped state changes; an unmapped value is rejected with the map named', (t) => {
  let memory = emptyMemory;
  const states: string[] = [];
  for (const [ts, raw] of [
    [1, 1],
    [2, 1],
    [3, 2],
    [4, 9],
    [5, 2],
    [6, 1],
  ] as const) {
    const step = machineReadings(ctx, memory, tags(ts, [[T.state, raw]]));
    memory = step.memory;
    states.push(...step.messages.map((m) => String(m.payload.state)));
    if (raw === 9)
      t.deepEqual(
        step.rejections.map((r) => r.reason),
        ['raw state 9 is not in the configured map (1, 2): add it to state.map'],
      );
  }
  t.deepEqual(states, ['RUNNING', 'DOWN', 'RUNNING']);
});

test('counts: published when a counter changes (a decrease is a reset, published too); reject above total, negatives and NaN are rejected', (t) => {
  let memory = emptyMemory;
  const published: [unknown, unknown][] = [];
  const run = (ts: number, total: unknown, reject: unknown) => {
    const step = machineReadings(
      ctx,
      memory,
      tags(ts, [
        [T.total, total],
        [T.reject, reject],
      ]),
    );
    memory = step.memory;
    published.push(...step.messages.map((m): [unknown, unknown] => [m.payload.total, m.payload.reject]));
    return step.rejections.map((r) => `${r.tag}: ${r.reason}`);
  };
  t.deepEqual(run(1, 10, 1), []);
  t.deepEqual(run(2, 10, 1), []);
  t.deepEqual(run(3, 0, 0), []);
  t.deepEqual(run(4, 5, 6), ['counts: reject: expected at most total (5), got 6']);
  t.deepEqual(run(5, -1, 0), ['counts.total: expected a whole number >= 0, got -1']);
  t.deepEqual(run(6, Number.NaN, 0), ['counts.total: expected a finite number, got NaN']);
  // At 5 the total is bad but the reject is good: the last good value of each counter is published.
  t.deepEqual(published, [
    [10, 1],
    [0, 0],
    [5, 0],
  ]);
});

test('a source fault is a counted rejection, never a message', (t) => {
  const step = machineReadings(ctx, emptyMemory, {
    kind: 'fault',
    ts: 5,
    reason: 'modbus h:502: connect ECONNREFUSED',
  });
  t.deepEqual(step.messages, []);
  t.deepEqual(step.rejections, [
    { machineId: 'm1', ts: 5, tag: 'source', reason: 'modbus h:502: connect ECONNREFUSED' },
  ]);
});
