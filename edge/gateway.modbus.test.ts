// The gateway against a real Modbus TCP server (modbus-serial ServerTCP) and a real broker (aedes).
import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { decodeGatewayConfig, type GatewayConfig } from './gatewayConfig.ts';
import { startGateway } from './gateway.ts';
import { registersFromRaw } from './registerDecoding.ts';
import { eventually, startTestBroker } from './testing/testBroker.ts';
import { startModbusServer } from './testing/testModbusServer.ts';

/** A lathe's registers: float32 temperature (degF) at 0-1, state at 10, uint32 counters at 20 and 22 (word order LE). */
const registers = new Map<number, number>();
const setFloat = (address: number, value: number) =>
  registersFromRaw(value, 'float32', 'BE').forEach((w, i) => registers.set(address + i, w));
const setU32LE = (address: number, value: number) =>
  registersFromRaw(value, 'uint32', 'LE').forEach((w, i) => registers.set(address + i, w));
let failAddress: number | undefined;

const startModbus = async () => {
  return startModbusServer({
    getHoldingRegister: (address: number) => {
      if (address === failAddress) throw { modbusErrorCode: 0x04 }; // server device failure
      return registers.get(address) ?? 0;
    },
  });
};

const configFor = (brokerUrl: string, port: number, extra: Record<string, unknown> = {}): GatewayConfig => {
  const decoded = decodeGatewayConfig({
    version: 1,
    gatewayId: 'gw-test',
    factoryId: 'f1',
    broker: { url: brokerUrl },
    buffer: { dir: mkdtempSync(join(tmpdir(), 'gw-modbus-')), synchronous: 'NORMAL' },
    machines: [
      {
        lineId: 'l1',
        machineId: 'lathe-02',
        source: { kind: 'modbus', host: '127.0.0.1', port, unitId: 1, pollMs: 100 },
        metrics: {
          spindle_temp: {
            table: 'holding',
            address: 0,
            type: 'float32',
            wordOrder: 'BE',
            scale: 1,
            offset: 0,
            unit: 'degF',
            canonicalUnit: 'degC',
          },
          feed: {
            table: 'holding',
            address: 5,
            type: 'int16',
            scale: 0.5,
            offset: 1,
            unit: 'mm/s',
            min: -100,
            max: 100,
          },
        },
        state: { table: 'holding', address: 10, type: 'uint16', map: { 0: 'OFF', 1: 'RUNNING', 2: 'DOWN' } },
        counts: {
          total: { table: 'holding', address: 20, type: 'uint32', wordOrder: 'LE' },
          reject: { table: 'holding', address: 22, type: 'uint32', wordOrder: 'LE' },
        },
      },
    ],
    ...extra,
  });
  if (E.isLeft(decoded)) throw new Error(decoded.left.join('\n'));
  return decoded.right;
};

test.serial(
  'values arrive converted, states on change, counts on change; bad device data is rejected and counted',
  async (t) => {
    const broker = await startTestBroker();
    const modbus = await startModbus();
    setFloat(0, 212); // degF → 100 degC
    registers.set(5, registersFromRaw(-20, 'int16')[0]!); // -20 × 0.5 + 1 = -9
    registers.set(10, 1);
    setU32LE(20, 70_000);
    setU32LE(22, 3);
    const gateway = startGateway(configFor(broker.url(), modbus.port));
    try {
      const of = (type: string) => broker.received.filter((m) => m.topic === `dt/f1/l1/lathe-02/${type}`);
      await eventually(
        () => of('telemetry').length >= 3 && of('counts').length >= 1 && of('state').length >= 1,
        10_000,
        'first messages',
      );
      const telemetry = of('telemetry')[0]!.payload as any;
      t.deepEqual(telemetry.metrics, { spindle_temp: { value: 100, unit: 'degC' }, feed: { value: -9, unit: 'mm/s' } });
      t.like(of('state')[0]!.payload, { v: 1, state: 'RUNNING' });
      t.like(of('counts')[0]!.payload, { v: 1, total: 70_000, reject: 3 });
      t.is(of('state').length, 1, 'an unchanged state is not repeated');
      t.is(of('counts').length, 1, 'unchanged counters are not repeated');
      t.true(
        broker.received.every((m) => m.clientId === 'gw-test'),
        'the client id is the gateway id',
      );

      registers.set(10, 2);
      setU32LE(20, 70_010);
      await eventually(() => of('state').length === 2 && of('counts').length === 2, 5_000, 'changes');
      t.like(of('state')[1]!.payload, { state: 'DOWN' });
      t.like(of('counts')[1]!.payload, { total: 70_010, reject: 3 });

      // Bad device data: a NaN float, a value out of the configured range, a state not in the map, a Modbus exception.
      const before = gateway.status().rejected.total;
      registers.set(0, 0x7fc0);
      registers.set(1, 0);
      registers.set(5, 1000); // 1000 × 0.5 + 1 = 501 > max 100
      registers.set(10, 7);
      failAddress = 22;
      await eventually(() => gateway.status().rejected.total >= before + 4, 5_000, 'rejections');
      const reasons = gateway.status().rejected.last.join('\n');
      t.regex(reasons, /metrics\.spindle_temp: float32 registers \[32704,0\] hold NaN/);
      t.regex(reasons, /metrics\.feed: 501 mm\/s is outside the configured range -100\.\.100/);
      t.regex(reasons, /state: raw state 7 is not in the configured map/);
      t.regex(reasons, /counts\.reject: holding register 22: Modbus exception 4/);
      const telemetryBefore = of('telemetry').length;
      await new Promise((r) => setTimeout(r, 300));
      t.is(of('telemetry').length, telemetryBefore, 'a sample with no valid metric publishes nothing');
      t.true(broker.received.every((m) => Number.isFinite((m.payload as any).metrics?.spindle_temp?.value ?? 0)));
    } finally {
      failAddress = undefined;
      await gateway.stop();
      await modbus.close();
      await broker.stop();
    }
  },
);

test.serial(
  'buffer full while the broker is away: drop-oldest drops telemetry only, the drop count is exact and reported',
  async (t) => {
    const broker = await startTestBroker();
    const url = broker.url();
    await broker.stop(); // the cloud is unreachable from the start
    const modbus = await startModbus();
    setFloat(0, 100);
    registers.set(5, 0);
    registers.set(10, 1);
    setU32LE(20, 1);
    setU32LE(22, 0);
    failAddress = undefined;
    const config = configFor(url, modbus.port);
    const small = { ...config, buffer: { ...config.buffer, maxBytes: 2500 } };
    const logged: Record<string, unknown>[] = [];
    const gateway = startGateway(small, { log: (e) => logged.push(e), statusEveryMs: 100 });
    try {
      await eventually(() => (gateway.status().buffer.dropped.telemetry ?? 0) >= 10, 10_000, 'drops');
      // State and counts changes while full: they displace telemetry, never the other way round.
      registers.set(10, 2);
      setU32LE(20, 2);
      await eventually(
        () => logged.some((e) => e.event === 'dropped') && gateway.status().stored >= 25,
        10_000,
        'more',
      );
      await gateway.stop();
      const status = JSON.parse(readFileSync(join(small.buffer.dir, 'status.json'), 'utf8'));
      const drops = logged.filter((e) => e.event === 'dropped');
      t.deepEqual(status.buffer.dropped, { telemetry: drops.length }, 'every drop logged once, and only telemetry');
      t.true(status.buffer.bytes <= 2500);
      t.is(status.stored, status.buffer.depth + drops.length, 'stored = still buffered + dropped (nothing published)');
      // Restart with the broker up: what is left is delivered, state and counts included.
      await broker.start();
      const again = startGateway({ ...small, machines: [] });
      await eventually(() => again.status().buffer.depth === 0, 10_000, 'drain');
      await again.stop();
      const states = broker.received.filter((m) => m.topic.endsWith('/state')).map((m) => (m.payload as any).state);
      t.deepEqual(states, ['RUNNING', 'DOWN']);
      t.is(broker.received.filter((m) => m.topic.endsWith('/counts')).length, 2);
      t.is(broker.received.length, status.buffer.depth);
    } finally {
      await gateway.stop().catch(() => undefined);
      await modbus.close();
      await broker.stop();
    }
  },
);
