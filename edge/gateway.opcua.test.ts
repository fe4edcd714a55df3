// The gateway against a real OPC UA server (node-opcua, started once for this file: ~1 s) with
// simulated machine variables, and a real broker (aedes).
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { DataType, OPCUAServer, StatusCodes, Variant, DataValue } from 'node-opcua';
import { decodeGatewayConfig } from './gatewayConfig.ts';
import { startGateway } from './gateway.ts';
import { eventually, startTestBroker } from './testing/testBroker.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** The press's variables; `bad` makes the temperature read with a bad status code. */
const press = { temp: 20.5 as unknown, state: 1, total: 0, reject: 0, bad: false };

const startOpcua = async () => {
  const port = await freePort();
  const server = new OPCUAServer({
    port,
    hostname: '127.0.0.1',
    alternateHostname: [],
    nodeset_filename: undefined as never,
    serverInfo: { applicationName: 'press-sim' },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const ns = addressSpace.getOwnNamespace();
  const device = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'Press01' });
  const variable = (name: string, dataType: DataType, get: () => DataValue) =>
    ns.addVariable({
      componentOf: device,
      nodeId: `s=press01.${name}`,
      browseName: name,
      dataType,
      minimumSamplingInterval: 50,
      value: { timestamped_get: get },
    });
  const now = () => ({ sourceTimestamp: new Date(), serverTimestamp: new Date() });
  // BaseDataType, so the simulator can also send a wrong type (a string) the way a misconfigured PLC does.
  variable('temp', DataType.Variant, () =>
    press.bad
      ? new DataValue({ statusCode: StatusCodes.BadSensorFailure, ...now() })
      : new DataValue({
          value: new Variant(
            typeof press.temp === 'string'
              ? { dataType: DataType.String, value: press.temp }
              : { dataType: DataType.Double, value: press.temp as number },
          ),
          ...now(),
        }),
  );
  variable(
    'state',
    DataType.UInt16,
    () => new DataValue({ value: new Variant({ dataType: DataType.UInt16, value: press.state }), ...now() }),
  );
  variable(
    'total',
    DataType.UInt32,
    () => new DataValue({ value: new Variant({ dataType: DataType.UInt32, value: press.total }), ...now() }),
  );
  variable(
    'reject',
    DataType.UInt32,
    () => new DataValue({ value: new Variant({ dataType: DataType.UInt32, value: press.reject }), ...now() }),
  );
  await server.start();
  return { endpoint: `opc.tcp://127.0.0.1:${port}`, stop: () => server.shutdown(0) };
};

let opcua: Awaited<ReturnType<typeof startOpcua>>;
test.before(async () => {
  opcua = await startOpcua();
});
test.after.always(async () => {
  await opcua?.stop();
});

test('OPC UA values, states and counts arrive at the broker; bad status codes and wrong types are rejected', async (t) => {
  const broker = await startTestBroker();
  const decoded = decodeGatewayConfig({
    version: 1,
    gatewayId: 'gw-ua',
    factoryId: 'f1',
    broker: { url: broker.url() },
    buffer: { dir: mkdtempSync(join(tmpdir(), 'gw-ua-')), synchronous: 'NORMAL' },
    machines: [
      {
        lineId: 'l1',
        machineId: 'press-01',
        source: { kind: 'opcua', endpoint: opcua.endpoint, securityMode: 'None', samplingIntervalMs: 100 },
        metrics: { spindle_temp: { nodeId: 'ns=1;s=press01.temp', unit: 'degC' } },
        state: { nodeId: 'ns=1;s=press01.state', map: { 1: 'RUNNING', 2: 'IDLE', 3: 'DOWN' } },
        counts: { total: { nodeId: 'ns=1;s=press01.total' }, reject: { nodeId: 'ns=1;s=press01.reject' } },
      },
    ],
    detectors: { 'press-01': [{ kind: 'threshold', metric: 'spindle_temp', above: 90, clearBelow: 85, forS: 0 }] },
  });
  if (E.isLeft(decoded)) return t.fail(decoded.left.join('\n'));
  const gateway = startGateway(decoded.right);
  const of = (type: string) =>
    broker.received.filter((m) => m.topic === `dt/f1/l1/press-01/${type}`).map((m) => m.payload as any);
  try {
    await eventually(
      () => of('telemetry').length > 0 && of('state').length > 0 && of('counts').length > 0,
      15_000,
      'first messages',
    );
    t.deepEqual(of('telemetry')[0].metrics, { spindle_temp: { value: 20.5, unit: 'degC' } });
    t.is(of('state')[0].state, 'RUNNING');
    t.like(of('counts')[0], { total: 0, reject: 0 });

    press.temp = 95.25;
    press.state = 3;
    press.total = 10;
    press.reject = 1;
    await eventually(
      () =>
        of('telemetry').some((p) => p.metrics.spindle_temp.value === 95.25) &&
        of('state').length === 2 &&
        of('counts').some((p) => p.total === 10 && p.reject === 1),
      5_000,
      'changes',
    );
    t.is(of('state')[1].state, 'DOWN');
    // The edge detector saw 95.25 > 90 and raised, without the cloud.
    await eventually(() => gateway.status().alerts >= 1, 5_000, 'edge alert');

    const before = gateway.status().rejected.total;
    press.bad = true;
    await eventually(
      () => gateway.status().rejected.last.some((r) => r.includes('BadSensorFailure')),
      5_000,
      'bad status rejected',
    );
    press.bad = false;
    press.temp = 'hot';
    await eventually(
      () => gateway.status().rejected.last.some((r) => r.includes('expected a number, got string "hot"')),
      5_000,
      'wrong type rejected',
    );
    t.true(gateway.status().rejected.total >= before + 2);
    t.true(of('telemetry').every((p) => typeof p.metrics.spindle_temp.value === 'number'));
    // Source timestamps, not read times, and ids derived from them.
    t.true(of('telemetry').every((p) => p.id.startsWith('gw-ua.press-01.telemetry.') && p.id.includes(`.${p.ts}.`)));
  } finally {
    press.temp = 20.5;
    press.bad = false;
    await gateway.stop();
    await broker.stop();
  }
});
