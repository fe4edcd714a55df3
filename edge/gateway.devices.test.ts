// Devices that speak MQTT themselves: the wire contract (mqtt source) and Sparkplug B (sparkplug
// source), against a real aedes broker that here is both the plant's broker and the cloud's.
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import mqtt from 'mqtt';
import { decodeGatewayConfig } from './gatewayConfig.ts';
import { startGateway } from './gateway.ts';
import { REBIRTH_METRIC, sparkplugCodec } from './sparkplugSource.ts';
import { eventually, startTestBroker } from './testing/testBroker.ts';

const gatewayWith = (url: string, machines: unknown[]) => {
  const decoded = decodeGatewayConfig({
    version: 1,
    gatewayId: 'gw-dev',
    factoryId: 'f1',
    broker: { url },
    buffer: { dir: mkdtempSync(join(tmpdir(), 'gw-dev-')), synchronous: 'NORMAL' },
    machines,
  });
  if (E.isLeft(decoded)) throw new Error(decoded.left.join('\n'));
  return startGateway(decoded.right);
};

test('an mqtt device: valid wire messages are re-published under the machine topic with their own ids; bad ones are rejected', async (t) => {
  const broker = await startTestBroker();
  const gateway = gatewayWith(broker.url(), [
    { lineId: 'l2', machineId: 'robot-1', source: { kind: 'mqtt', url: broker.url(), topic: 'devices/robot-1/+' } },
  ]);
  const device = await mqtt.connectAsync(broker.url(), { clientId: 'robot-1-device' });
  try {
    await eventually(() => gateway.status().broker.connected, 5_000, 'gateway connected');
    await new Promise((r) => setTimeout(r, 300)); // the source's subscription
    await device.publishAsync(
      'devices/robot-1/telemetry',
      JSON.stringify({ v: 1, id: 'r1-0001', ts: 1_700_000_000_000, metrics: { torque: { value: 12.5, unit: 'N.m' } } }),
      { qos: 1 },
    );
    await device.publishAsync(
      'devices/robot-1/state',
      JSON.stringify({ v: 1, id: 'r1-0002', ts: 1_700_000_000_100, state: 'RUNNING' }),
      { qos: 1 },
    );
    await device.publishAsync(
      'devices/robot-1/telemetry',
      JSON.stringify({ v: 1, id: 'r1-0003', ts: 1_700_000_000_200, metrics: { torque: '12,5' } }),
      { qos: 1 },
    );
    await device.publishAsync(
      'devices/robot-1/counts',
      JSON.stringify({ v: 1, id: 'r1-0004', ts: 1_700_000_000_300, total: 3, reject: 4 }),
      { qos: 1 },
    );
    await device.publishAsync('devices/robot-1/telemetry', 'not json', { qos: 1 });
    await eventually(
      () =>
        gateway.status().rejected.total >= 3 && broker.received.filter((m) => m.topic.startsWith('dt/')).length >= 2,
      5_000,
      'republish',
    );
    const out = broker.received.filter((m) => m.topic.startsWith('dt/'));
    t.deepEqual(
      out.map((m) => [m.topic, m.payload.id]),
      [
        ['dt/f1/l2/robot-1/telemetry', 'r1-0001'],
        ['dt/f1/l2/robot-1/state', 'r1-0002'],
      ],
    );
    const reasons = gateway.status().rejected.last.join('\n');
    t.regex(reasons, /metrics\.torque: expected number or \{"value": number, "unit": string\}, got "12,5"/);
    t.regex(reasons, /reject: expected at most total \(3\), got 4/);
    t.regex(reasons, /payload is not JSON/);
  } finally {
    await device.endAsync();
    await gateway.stop();
    await broker.stop();
  }
});

test('a Sparkplug B device: BIRTH aliases name DATA metrics; a sequence gap asks for a rebirth and ignores DATA until it comes', async (t) => {
  const broker = await startTestBroker();
  const node = await mqtt.connectAsync(broker.url(), { clientId: 'edge-node-n1' });
  const rebirths: number[] = [];
  await node.subscribeAsync('spBv1.0/plant/NCMD/n1');
  node.on('message', (_topic, bytes) => {
    const metric = sparkplugCodec.decodePayload(bytes).metrics?.[0];
    if (metric?.name === REBIRTH_METRIC && metric.value === true) rebirths.push(Date.now());
  });
  let seq = 0;
  const send = (type: string, metrics: object[], device = 'press-7') =>
    node.publishAsync(
      type.startsWith('N') ? `spBv1.0/plant/${type}/n1` : `spBv1.0/plant/${type}/n1/${device}`,
      Buffer.from(
        sparkplugCodec.encodePayload({
          timestamp: 1_700_000_000_000 + seq * 100,
          seq: seq++ % 256,
          metrics: metrics as never,
        }),
      ),
    );
  const birth = async () => {
    seq = 0;
    await send('NBIRTH', [{ name: 'bdSeq', type: 'UInt64', value: 0 }]);
    await send('DBIRTH', [
      { name: 'Temperature', alias: 1, type: 'Double', value: 50 },
      { name: 'Mode', alias: 2, type: 'Int32', value: 1 },
      { name: 'Good', alias: 3, type: 'UInt64', value: 0 },
      { name: 'Scrap', alias: 4, type: 'UInt64', value: 0 },
    ]);
  };
  const gateway = gatewayWith(broker.url(), [
    {
      lineId: 'l1',
      machineId: 'press-7',
      source: { kind: 'sparkplug', url: broker.url(), groupId: 'plant', edgeNodeId: 'n1', deviceId: 'press-7' },
      metrics: { temp: { metric: 'Temperature', unit: 'degC' } },
      state: { metric: 'Mode', map: { 1: 'RUNNING', 2: 'DOWN' } },
      counts: { total: { metric: 'Good' }, reject: { metric: 'Scrap' } },
    },
  ]);
  const of = (type: string) =>
    broker.received.filter((m) => m.topic === `dt/f1/l1/press-7/${type}`).map((m) => m.payload as any);
  try {
    await eventually(() => rebirths.length >= 1, 5_000, 'a host without a BIRTH asks for one');
    await birth();
    await send('DDATA', [
      { alias: 1, type: 'Double', value: 61.5 },
      { alias: 3, type: 'UInt64', value: 10 },
      { alias: 4, type: 'UInt64', value: 1 },
    ]);
    await eventually(
      () => of('telemetry').length >= 2 && of('counts').some((p) => p.total === 10),
      5_000,
      'data by alias',
    );
    t.deepEqual(
      of('telemetry').map((p) => p.metrics.temp.value),
      [50, 61.5],
    );
    t.is(of('state')[0]?.state, 'RUNNING');
    t.like(of('counts').at(-1), { total: 10, reject: 1 });

    const asked = rebirths.length;
    seq += 3; // three messages lost
    await send('DDATA', [{ alias: 1, type: 'Double', value: 99 }]);
    await send('DDATA', [{ alias: 1, type: 'Double', value: 98 }]);
    await eventually(() => rebirths.length > asked, 5_000, 'rebirth request');
    await new Promise((r) => setTimeout(r, 200));
    t.false(
      of('telemetry').some((p) => p.metrics.temp.value >= 98),
      'DATA after a gap is ignored until the rebirth',
    );
    t.true(gateway.status().rejected.last.some((r) => r.includes('sequence gap: expected')));
    await birth();
    await send('DDATA', [{ alias: 1, type: 'Double', value: 70 }]);
    await eventually(() => of('telemetry').some((p) => p.metrics.temp.value === 70), 5_000, 'data after rebirth');
  } finally {
    await node.endAsync();
    await gateway.stop();
    await broker.stop();
  }
});
