// The gateway as a Greengrass component: with the nucleus's IPC socket and token in its environment
// it publishes everything through the nucleus (PublishToIoTCore on `aws.greengrass.ipc.mqttproxy`)
// and opens no connection of its own. The nucleus here is a test double at the IPC boundary
// (testGreengrassNucleus.ts) that speaks the real protocol to the real SDK client.
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { registersFromRaw } from './registerDecoding.ts';
import { decodeGatewayConfig, type GatewayConfig } from './gatewayConfig.ts';
import { startGateway } from './gateway.ts';
import { greengrassIpcEndpoint } from './greengrassIpc.ts';
import { componentGatewayConfig } from './greengrassMain.ts';
import { eventually, startTestBroker } from './testing/testBroker.ts';
import { startTestNucleus } from './testing/testGreengrassNucleus.ts';
import { startModbusServer } from './testing/testModbusServer.ts';

const configFor = (modbusPort: number, extra: Record<string, unknown>): GatewayConfig => {
  const decoded = decodeGatewayConfig({
    version: 1,
    gatewayId: 'gw-gg',
    factoryId: 'f1',
    buffer: { dir: mkdtempSync(join(tmpdir(), 'gw-gg-')), synchronous: 'NORMAL' },
    machines: [
      {
        lineId: 'l1',
        machineId: 'press-01',
        source: { kind: 'modbus', host: '127.0.0.1', port: modbusPort, unitId: 1, pollMs: 50 },
        metrics: { spindle_temp: { table: 'holding', address: 0, type: 'float32', unit: 'degC' } },
      },
    ],
    detectors: { 'press-01': [{ kind: 'threshold', metric: 'spindle_temp', above: 90, clearBelow: 85, forS: 0 }] },
    ...extra,
  });
  if (E.isLeft(decoded)) throw new Error(decoded.left.join('\n'));
  return decoded.right;
};

test('the nucleus endpoint is read from the environment the nucleus gives a component, and only when both are there', (t) => {
  t.deepEqual(
    greengrassIpcEndpoint({
      AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT: '/greengrass/v2/ipc.socket',
      SVCUID: 'token',
    }),
    { socketPath: '/greengrass/v2/ipc.socket', authToken: 'token' },
  );
  t.is(greengrassIpcEndpoint({ SVCUID: 'token' }), undefined);
  t.is(greengrassIpcEndpoint({ AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT: '/x', SVCUID: '' }), undefined);
  t.is(greengrassIpcEndpoint({}), undefined);
});

test.serial(
  'under Greengrass, readings and edge alerts go through the nucleus, in order, and the gateway opens no socket but to its machine',
  async (t) => {
    let temperature = 80;
    const modbus = await startModbusServer({
      getHoldingRegister: (address: number) => registersFromRaw(temperature, 'float32', 'BE')[address] ?? 0,
    });
    // A broker in the configuration, to show it is not used: under Greengrass nothing connects to it.
    const broker = await startTestBroker();
    const nucleus = await startTestNucleus(join(mkdtempSync(join(tmpdir(), 'nucleus-')), 'ipc.socket'));
    // Every TCP or TLS connection this process opens goes through net.Socket#connect (mqtt.js's too).
    const connects: string[] = [];
    const original = Socket.prototype.connect;
    Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
      const [first] = args;
      const target =
        typeof first === 'object' && first !== null ? (first as { port?: unknown; path?: unknown }) : { port: first };
      connects.push(String(target.path ?? target.port));
      return (original as (...a: unknown[]) => Socket).apply(this, args);
    } as typeof Socket.prototype.connect;
    const environment = {
      AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT: nucleus.socketPath,
      SVCUID: nucleus.authToken,
    };
    const gateway = startGateway(configFor(modbus.port, { broker: { url: broker.url() } }), {
      environment,
      statusEveryMs: 50,
    });
    try {
      await eventually(() => nucleus.published.length >= 5, 10_000, 'readings through the nucleus');
      temperature = 95;
      await eventually(
        () => nucleus.published.some((m) => m.topic.endsWith('/alert')),
        10_000,
        'the edge alert through the nucleus',
      );
      await modbus.close();
      await eventually(() => gateway.status().buffer.depth === 0, 10_000, 'the buffer drained');
      const status = gateway.status();
      await gateway.stop();
      t.is(nucleus.connections(), 1, 'one IPC connection');
      t.deepEqual(broker.received, [], 'the broker in the configuration received nothing');
      t.deepEqual([...new Set(connects)], [String(modbus.port)], 'no connection but to the Modbus device');
      t.true(
        nucleus.published.every((m) => m.qos === '1'),
        'QoS 1',
      );
      t.is(status.broker.via, 'greengrass');
      t.is(status.buffer.depth, 0);
      const topics = new Set(nucleus.published.map((m) => m.topic));
      t.deepEqual([...topics].sort(), ['dt/f1/l1/press-01/alert', 'dt/f1/l1/press-01/telemetry']);
      const alert = nucleus.published.find((m) => m.topic.endsWith('/alert'))!.payload;
      t.like(alert, { v: 1, detector: 'threshold:spindle_temp', transition: 'raised' });
      // The alert comes after the reading that raised it.
      const triggerId = (alert.trigger as { messageId: string }).messageId;
      const at = (id: string) => nucleus.published.findIndex((m) => m.payload.id === id);
      t.true(at(triggerId) >= 0 && at(triggerId) < at(alert.id as string));
    } finally {
      Socket.prototype.connect = original;
      await gateway.stop();
      await Promise.all([modbus.close().catch(() => undefined), broker.stop(), nucleus.stop()]);
    }
  },
);

test.serial(
  'when the nucleus refuses publishes or goes away, nothing leaves the buffer; afterwards each message arrives once, in order',
  async (t) => {
    let reading = 0;
    const modbus = await startModbusServer({
      getHoldingRegister: (address: number) => (address === 0 ? 0x42c8 : address === 1 ? reading++ % 65536 : 0),
    });
    const nucleus = await startTestNucleus(join(mkdtempSync(join(tmpdir(), 'nucleus-')), 'ipc.socket'));
    const environment = {
      AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT: nucleus.socketPath,
      SVCUID: nucleus.authToken,
    };
    const events: Record<string, unknown>[] = [];
    const gateway = startGateway(configFor(modbus.port, { detectors: {} }), {
      environment,
      statusEveryMs: 50,
      log: (e) => events.push(e),
    });
    try {
      await eventually(() => nucleus.published.length >= 3, 10_000, 'first readings');
      nucleus.refusePublishes = 'Publish to topic failed: spooler is full';
      await eventually(
        () => gateway.status().broker.lastError?.includes('spooler is full') === true,
        10_000,
        'the refusal seen',
      );
      const refusedAt = nucleus.published.length;
      await eventually(() => gateway.status().buffer.depth >= 3, 10_000, 'readings kept while refused');
      t.is(nucleus.published.length, refusedAt, 'nothing published while refused');
      nucleus.refusePublishes = undefined;
      await nucleus.stop();
      await eventually(() => gateway.status().buffer.depth >= 6, 10_000, 'readings kept while the nucleus is away');
      await nucleus.start();
      await modbus.close();
      await eventually(
        () => gateway.status().buffer.depth === 0,
        20_000,
        'the buffer drained after the nucleus came back',
      );
      await gateway.stop();
      const ids = nucleus.published.map((m) => m.payload.id as string);
      t.is(new Set(ids).size, ids.length, 'each message once');
      const times = nucleus.published.map((m) => Date.parse(String(m.payload.ts)) || Number(m.payload.ts));
      t.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
        'in order',
      );
      t.true(
        events.some((e) => e.event === 'broker.error' && String(e.detail).includes('spooler is full')),
        "the refusal is logged with the nucleus's reason",
      );
      t.true(nucleus.connections() >= 2, 'reconnected after the nucleus came back');
    } finally {
      await gateway.stop();
      await modbus.close().catch(() => undefined);
      await nucleus.stop();
    }
  },
);

test('outside Greengrass a configuration without a broker is refused before anything starts, saying what to add', (t) => {
  const config = configFor(1, {});
  t.throws(() => startGateway(config, { environment: {} }), {
    message: /^broker: the gateway runs outside Greengrass .* needs broker\.url/,
  });
});

test("the component's configuration becomes the gateway configuration: the thing name is the gateway id, paths are under the work directory", (t) => {
  const document = { version: 1, factoryId: 'f1', buffer: { dir: 'buffer' }, machines: [] };
  const config = componentGatewayConfig(document, 'gw-f1', '/greengrass/v2/work/com.smartfactory.Gateway');
  t.deepEqual(
    E.map((c: GatewayConfig) => [c.gatewayId, c.buffer.dir, c.broker])(config),
    E.right(['gw-f1', '/greengrass/v2/work/com.smartfactory.Gateway/buffer', undefined]),
  );
  t.deepEqual(
    componentGatewayConfig({ ...document, gatewayId: 'gw-f2' }, 'gw-f1', '/w'),
    E.left([
      'component configuration /gateway/gatewayId: expected this core\'s thing name "gw-f1" (its IoT policy names it), got "gw-f2"; remove gatewayId to use the thing name',
    ]),
  );
  t.deepEqual(
    componentGatewayConfig({ version: 1, buffer: { dir: 'b' }, machines: [] }, 'gw-f1', '/w'),
    E.left([
      'component configuration /gateway: factoryId: missing; a gateway configuration needs version, gatewayId, factoryId, buffer, machines',
    ]),
  );
  t.true(E.isLeft(componentGatewayConfig(undefined, 'gw-f1', '/w')));
});

test.serial(
  'the component as the recipe runs it: configuration read from the nucleus, readings published through it, a clean stop on SIGTERM',
  async (t) => {
    const modbus = await startModbusServer({
      getHoldingRegister: (address: number) => registersFromRaw(70, 'float32', 'BE')[address] ?? 0,
    });
    const work = mkdtempSync(join(tmpdir(), 'gw-component-'));
    const nucleus = await startTestNucleus(join(work, 'ipc.socket'));
    nucleus.configuration = {
      gateway: {
        version: 1,
        factoryId: 'f1',
        buffer: { dir: 'buffer', synchronous: 'NORMAL' },
        machines: [
          {
            lineId: 'l1',
            machineId: 'press-01',
            source: { kind: 'modbus', host: '127.0.0.1', port: modbus.port, unitId: 1, pollMs: 50 },
            metrics: { spindle_temp: { table: 'holding', address: 0, type: 'float32', unit: 'degC' } },
          },
        ],
      },
    };
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), join(import.meta.dirname, 'greengrassMain.ts')],
      {
        cwd: work,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: {
          ...process.env,
          AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT: nucleus.socketPath,
          SVCUID: nucleus.authToken,
          AWS_IOT_THING_NAME: 'gw-f1',
        },
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    try {
      await eventually(() => nucleus.published.length >= 3, 20_000, 'readings through the nucleus').catch(
        (error: Error) => {
          throw new Error(`${error.message}; stderr: ${stderr}`);
        },
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      t.is(await exited, 0, stderr);
      t.true(
        nucleus.published.every(
          (m) => m.topic === 'dt/f1/l1/press-01/telemetry' && String(m.payload.id).startsWith('gw-f1.press-01.'),
        ),
      );
      t.true(existsSync(join(work, 'buffer', 'buffer.db')), 'the buffer is in the work directory');
      t.regex(stderr, /gw-f1 running 1 machine\(s\) → the Greengrass nucleus/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await modbus.close();
      await nucleus.stop();
    }
  },
);
