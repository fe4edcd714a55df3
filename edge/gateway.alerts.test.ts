// Edge alerts reach the cloud through the store-and-forward buffer, as readings do: an alert raised
// while the broker is away arrives after it returns, once; one the gateway logged but had not yet
// buffered when it died (SIGKILL between the two writes) is buffered at the restart, and none is
// sent again by a later restart.
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { decodeMessageBytes } from '../domain/wire/wireMessage.ts';
import { openEdgeAlertLog } from './edgeAlertLog.ts';
import { alertMessageId } from './edgeAlertMessage.ts';
import { edgeDetectors } from './edgeDetectors.ts';
import { decodeGatewayConfig, type GatewayConfig } from './gatewayConfig.ts';
import { startGateway } from './gateway.ts';
import { registersFromRaw } from './registerDecoding.ts';
import { eventually, startTestBroker, type Received, type TestBroker } from './testing/testBroker.ts';
import { startModbusServer } from './testing/testModbusServer.ts';

const configFor = (
  brokerUrl: string,
  modbusPort: number,
  dir = mkdtempSync(join(tmpdir(), 'gw-alerts-')),
): GatewayConfig => {
  const decoded = decodeGatewayConfig({
    version: 1,
    gatewayId: 'gw-alerts',
    factoryId: 'f1',
    broker: { url: brokerUrl },
    buffer: { dir, synchronous: 'NORMAL' },
    machines: [
      {
        lineId: 'l1',
        machineId: 'press-01',
        source: { kind: 'modbus', host: '127.0.0.1', port: modbusPort, unitId: 1, pollMs: 50 },
        metrics: { spindle_temp: { table: 'holding', address: 0, type: 'float32', unit: 'degC' } },
      },
    ],
    detectors: { 'press-01': [{ kind: 'threshold', metric: 'spindle_temp', above: 90, clearBelow: 85, forS: 0 }] },
  });
  if (E.isLeft(decoded)) throw new Error(decoded.left.join('\n'));
  return decoded.right;
};

const alertsOf = (broker: TestBroker): Received[] =>
  broker.received.filter((m) => m.topic === 'dt/f1/l1/press-01/alert');

/** Distinct messages by id; a repeat must be the same message byte for byte. */
const distinct = (received: readonly Received[]): Received[] => {
  const byId = new Map<string, Received>();
  for (const m of received) {
    const known = byId.get(String(m.payload.id));
    if (known !== undefined && JSON.stringify(known.payload) !== JSON.stringify(m.payload))
      throw new Error(`a repeat of ${String(m.payload.id)} differs`);
    byId.set(String(m.payload.id), m);
  }
  return [...byId.values()];
};

test.serial(
  'an edge alert raised while the broker is down arrives after it returns, once, as a valid alert message',
  async (t) => {
    const broker = await startTestBroker();
    let temperature = 80;
    const modbus = await startModbusServer({
      getHoldingRegister: (address: number) => registersFromRaw(temperature, 'float32', 'BE')[address] ?? 0,
    });
    const gateway = startGateway(configFor(broker.url(), modbus.port), { statusEveryMs: 50 });
    try {
      await eventually(() => broker.received.length >= 3, 10_000, 'first readings');
      await broker.stop();
      temperature = 95;
      await eventually(() => gateway.status().alerts >= 1, 10_000, 'the alert raised at the edge');
      await new Promise((resolve) => setTimeout(resolve, 300));
      t.is(alertsOf(broker).length, 0, 'not delivered while the broker is down');
      t.true(gateway.status().buffer.depth >= 1, 'it waits in the buffer');
      await broker.start();
      await eventually(() => alertsOf(broker).length >= 1, 15_000, 'the alert after the broker returned');
      await modbus.close();
      await eventually(() => gateway.status().buffer.depth === 0, 15_000, 'the buffer drained');
      await gateway.stop();

      const alerts = distinct(alertsOf(broker));
      t.is(alerts.length, 1, 'one alert, raised once');
      const [alert] = alerts;
      t.like(alert?.payload, { v: 1, detector: 'threshold:spindle_temp', transition: 'raised' });
      t.is(alert?.clientId, 'gw-alerts');
      const decoded = decodeMessageBytes(alert!.topic, Buffer.from(JSON.stringify(alert!.payload)));
      t.true(E.isRight(decoded) && decoded.right.type === 'alert', "the wire contract's alert message");
      // After the reading that raised it, in the machine's order.
      const order = distinct(broker.received).map((m) => String(m.payload.id));
      const trigger = (alert!.payload.trigger as { messageId: string }).messageId;
      t.true(order.indexOf(trigger) >= 0 && order.indexOf(trigger) < order.indexOf(String(alert!.payload.id)));
    } finally {
      await gateway.stop();
      await modbus.close().catch(() => undefined);
      await broker.stop();
    }
  },
);

test.serial(
  'an alert logged but not yet buffered when the gateway died is buffered at the restart, and a later restart sends it no more',
  async (t) => {
    const broker = await startTestBroker();
    const modbus = await startModbusServer({
      getHoldingRegister: (address: number) => registersFromRaw(80, 'float32', 'BE')[address] ?? 0,
    });
    const config = configFor(broker.url(), modbus.port);
    // What a SIGKILL between the alert log's write and the buffer's leaves: the alert on disk in the log only.
    const detectors = edgeDetectors(config, undefined);
    if (E.isLeft(detectors)) return t.fail(detectors.left.join('\n'));
    const log = openEdgeAlertLog(config.buffer.dir);
    const [logged] = log.record('press-01', detectors.right.get('press-01')!.initialState, [
      {
        factoryId: 'f1',
        lineId: 'l1',
        machineId: 'press-01',
        type: 'DetectorRaised',
        detector: 'threshold:spindle_temp',
        ts: 1764050430000,
        cause: 'spindle_temp 95 degC above 90 for 0 s',
        trigger: null,
      },
    ]);
    log.close();
    const id = alertMessageId('gw-alerts', logged!);
    try {
      const first = startGateway(config, { statusEveryMs: 50 });
      await eventually(() => alertsOf(broker).length >= 1, 10_000, 'the logged alert after the restart');
      await eventually(() => first.status().buffer.depth === 0, 10_000, 'the buffer drained');
      await first.stop();
      t.deepEqual(
        alertsOf(broker).map((m) => m.payload.id),
        [id],
      );

      const second = startGateway(config, { statusEveryMs: 50 });
      await eventually(() => second.status().broker.published >= 3, 10_000, 'readings after the second restart');
      await second.stop();
      t.deepEqual(
        alertsOf(broker).map((m) => m.payload.id),
        [id],
        'not sent again',
      );
    } finally {
      await modbus.close();
      await broker.stop();
    }
  },
);
