// The gateway maps a PLC's order and product registers to `job` messages (docs/gateway-configuration.md#jobs),
// against a real Modbus TCP server (modbus-serial ServerTCP) and a real broker (aedes).
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { decodeGatewayConfig } from './gatewayConfig.ts';
import { startGateway } from './gateway.ts';
import { registersFromRaw } from './registerDecoding.ts';
import { eventually, startTestBroker } from './testing/testBroker.ts';
import { startModbusServer } from './testing/testModbusServer.ts';

/** A press's registers: state at 10, the order number (uint32, BE) at 30, the product number at 32, the target at 33. */
const registers = new Map<number, number>();
const setU32 = (address: number, value: number) =>
  registersFromRaw(value, 'uint32', 'BE').forEach((w, i) => registers.set(address + i, w));

const document = (brokerUrl: string, port: number, source: Record<string, unknown> = {}) => ({
  version: 1,
  gatewayId: 'gw-job',
  factoryId: 'f1',
  broker: { url: brokerUrl },
  buffer: { dir: mkdtempSync(join(tmpdir(), 'gw-job-')), synchronous: 'NORMAL' },
  machines: [
    {
      lineId: 'l1',
      machineId: 'press-01',
      source: { kind: 'modbus', host: '127.0.0.1', port, unitId: 1, pollMs: 100, ...source },
      state: { table: 'holding', address: 10, type: 'uint16', map: { 1: 'RUNNING' } },
      job: {
        order: { table: 'holding', address: 30, type: 'uint32' },
        product: { table: 'holding', address: 32, type: 'uint16', map: { 1: 'bracket-a', 2: 'bracket-b' } },
        targetQuantity: { table: 'holding', address: 33, type: 'uint16' },
      },
    },
  ],
});

test('a job mapping is part of the gateway configuration; a sparkplug source cannot map one yet', (t) => {
  const decoded = decodeGatewayConfig(document('mqtt://127.0.0.1:1883', 502));
  t.true(E.isRight(decoded));
  const sparkplug = decodeGatewayConfig({
    ...document('mqtt://127.0.0.1:1883', 502),
    machines: [
      {
        lineId: 'l1',
        machineId: 'press-01',
        source: { kind: 'sparkplug', url: 'mqtt://127.0.0.1:1883', groupId: 'g', edgeNodeId: 'n' },
        job: { order: { metric: 'order' }, product: { metric: 'product' } },
      },
    ],
  });
  t.true(
    E.isLeft(sparkplug) && sparkplug.left[0]!.startsWith('machines.0.job: a sparkplug source cannot map a job yet'),
  );
});

test.serial(
  'the order and product registers become a job message when they change, never repeated; an unmapped product is rejected',
  async (t) => {
    const broker = await startTestBroker();
    const modbus = await startModbusServer({ getHoldingRegister: (address: number) => registers.get(address) ?? 0 });
    registers.set(10, 1);
    setU32(30, 4711);
    registers.set(32, 1);
    registers.set(33, 500);
    const decoded = decodeGatewayConfig(document(broker.url(), modbus.port));
    if (E.isLeft(decoded)) throw new Error(decoded.left.join('\n'));
    const gateway = startGateway(decoded.right);
    try {
      const jobs = () => broker.received.filter((m) => m.topic === 'dt/f1/l1/press-01/job');
      await eventually(() => jobs().length >= 1, 10_000, 'the first job');
      t.like(jobs()[0]!.payload, { v: 1, order: '4711', product: 'bracket-a', targetQuantity: 500 });
      await new Promise((r) => setTimeout(r, 300));
      t.is(jobs().length, 1, 'an unchanged job is not repeated');

      setU32(30, 4712);
      registers.set(32, 2);
      await eventually(() => jobs().length === 2, 5_000, 'the next order');
      t.like(jobs()[1]!.payload, { order: '4712', product: 'bracket-b' });

      const before = gateway.status().rejected.total;
      registers.set(32, 9);
      await eventually(() => gateway.status().rejected.total > before, 5_000, 'the rejection');
      t.regex(
        gateway.status().rejected.last.join('\n'),
        /job\.product: raw product "9" is not in the configured map \(1, 2\)/,
      );
      t.is(jobs().length, 2, 'an unmapped product publishes nothing');
    } finally {
      await gateway.stop();
      await modbus.close();
      await broker.stop();
    }
  },
);
