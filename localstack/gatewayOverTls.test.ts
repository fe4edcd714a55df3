// The gateway over mutual TLS against the local IoT Core (localstack/broker: aedes behind mTLS with the
// IoT policy enforced), reading a real Modbus TCP server; a `factory-recorder` service thing, also over
// mTLS, subscribes to dt/# and sees what IoT Core would deliver. Certificates come from the local CA.
// It lives in localstack/ because it needs the local IoT Core, and edge/ never imports localstack/ (README.md#layout).
import test from 'ava';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/lib/Either.js';
import mqtt, { type MqttClient } from 'mqtt';
import { startLocalBroker, type BrokerLogEntry, type LocalBroker } from './broker/localBroker.ts';
import { buildThingRegistry } from './broker/thingRegistry.ts';
import { caFiles, createCertificateAuthority, loadOrCreateCertificateAuthority } from './certs/certificateAuthority.ts';
import {
  ensureCertificates,
  issueThingCertificate,
  thingCertificateFiles,
  writeCertificate,
} from './certs/thingCertificate.ts';
import { decodeGatewayConfig, type GatewayConfig } from '../edge/gatewayConfig.ts';
import { startGateway } from '../edge/gateway.ts';
import { registersFromRaw } from '../edge/registerDecoding.ts';
import { eventually } from '../edge/testing/testBroker.ts';
import { startModbusServer } from '../edge/testing/testModbusServer.ts';

const GATEWAY = 'gw-tls';
const RECORDER = 'factory-recorder';

type Received = { readonly topic: string; readonly payload: Record<string, any> };
type Fixture = {
  readonly dir: string;
  readonly certsDir: string;
  /** The gateway's thing certificate, issued by a CA the broker does not trust. */
  readonly foreignDir: string;
  readonly broker: LocalBroker;
  readonly brokerLog: BrokerLogEntry[];
  readonly recorder: MqttClient;
  readonly received: Received[];
};
let fixture: Fixture;

test.before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gw-tls-'));
  const certsDir = join(dir, 'certs');
  const foreignDir = join(dir, 'foreign');
  const ca = await loadOrCreateCertificateAuthority(certsDir);
  await ensureCertificates(ca, certsDir, [GATEWAY, RECORDER], { broker: true });
  const foreignCa = await createCertificateAuthority(new Date());
  await mkdir(foreignDir, { recursive: true });
  await writeCertificate(thingCertificateFiles(foreignDir, GATEWAY), await issueThingCertificate(foreignCa, GATEWAY));
  const things = buildThingRegistry({
    machines: [{ factoryId: 'f1', lineId: 'l1', machineId: 'lathe-02' }],
    gateways: [{ factoryId: 'f1', gatewayId: GATEWAY }],
  });
  if (E.isLeft(things)) throw new Error(things.left.join('; '));
  const brokerLog: BrokerLogEntry[] = [];
  const broker = await startLocalBroker({
    certsDir,
    tlsPort: 0,
    things: things.right,
    log: (entry) => brokerLog.push(entry),
  });
  const files = thingCertificateFiles(certsDir, RECORDER);
  const recorder = await mqtt.connectAsync(
    `mqtts://127.0.0.1:${broker.tlsPort}`,
    {
      clientId: RECORDER,
      ca: await readFile(caFiles(certsDir).certificate),
      cert: await readFile(files.certificate),
      key: await readFile(files.key),
      reconnectPeriod: 0,
      connectTimeout: 5000,
    },
    false,
  );
  const received: Received[] = [];
  recorder.on('message', (topic, payload) => received.push({ topic, payload: JSON.parse(payload.toString('utf8')) }));
  await recorder.subscribeAsync('dt/#', { qos: 1 });
  fixture = { dir, certsDir, foreignDir, broker, brokerLog, recorder, received };
});

test.after.always(async () => {
  await fixture?.recorder.endAsync(true);
  await fixture?.broker.close();
  if (fixture !== undefined) await rm(fixture.dir, { recursive: true, force: true });
});

/** A lathe: float32 temperature in degF at 0-1, state at 10, uint32 counters at 20 and 22. */
const startModbus = (registers: Map<number, number>) =>
  startModbusServer({ getHoldingRegister: (address: number) => registers.get(address) ?? 0 });

const lathe = (temperatureF: number, state: number, total: number, reject: number): Map<number, number> => {
  const registers = new Map<number, number>();
  registersFromRaw(temperatureF, 'float32', 'BE').forEach((w, i) => registers.set(i, w));
  registers.set(10, state);
  registersFromRaw(total, 'uint32', 'BE').forEach((w, i) => registers.set(20 + i, w));
  registersFromRaw(reject, 'uint32', 'BE').forEach((w, i) => registers.set(22 + i, w));
  return registers;
};

const configFor = (
  modbusPort: number,
  bufferDir: string,
  certs: { readonly dir: string },
  factoryId = 'f1',
): GatewayConfig => {
  const files = thingCertificateFiles(certs.dir, GATEWAY);
  const decoded = decodeGatewayConfig({
    version: 1,
    gatewayId: GATEWAY,
    factoryId,
    broker: {
      url: `mqtts://127.0.0.1:${fixture.broker.tlsPort}`,
      ca: caFiles(fixture.certsDir).certificate,
      cert: files.certificate,
      key: files.key,
    },
    buffer: { dir: bufferDir, synchronous: 'NORMAL' },
    machines: [
      {
        lineId: 'l1',
        machineId: 'lathe-02',
        source: { kind: 'modbus', host: '127.0.0.1', port: modbusPort, unitId: 1, pollMs: 100 },
        metrics: {
          spindle_temp: {
            table: 'holding',
            address: 0,
            type: 'float32',
            wordOrder: 'BE',
            unit: 'degF',
            canonicalUnit: 'degC',
          },
        },
        state: { table: 'holding', address: 10, type: 'uint16', map: { 0: 'OFF', 1: 'RUNNING', 2: 'DOWN' } },
        counts: {
          total: { table: 'holding', address: 20, type: 'uint32', wordOrder: 'BE' },
          reject: { table: 'holding', address: 22, type: 'uint32', wordOrder: 'BE' },
        },
      },
    ],
  });
  if (E.isLeft(decoded)) throw new Error(decoded.left.join('\n'));
  return decoded.right;
};

const fromLathe = (type: string, factoryId = 'f1') =>
  fixture.received.filter((m) => m.topic === `dt/${factoryId}/l1/lathe-02/${type}`);
const gatewayEntries = (event: BrokerLogEntry['event']) =>
  fixture.brokerLog.filter((e) => e.event === event && e.clientId === GATEWAY);

/** The message ids waiting in a stopped gateway's buffer, oldest first. */
const bufferedIds = (bufferDir: string): string[] => {
  const db = new Database(join(bufferDir, 'buffer.db'), { readonly: true });
  try {
    return db.prepare('SELECT id FROM outbox ORDER BY seq').pluck().all() as string[];
  } finally {
    db.close();
  }
};

test.serial(
  'over mutual TLS, readings arrive at a subscriber converted; the gateway connects as its thing and is never denied',
  async (t) => {
    const modbus = await startModbus(lathe(212, 1, 70_000, 3)); // 212 degF = 100 degC
    const bufferDir = join(fixture.dir, 'buffer-ok');
    const gateway = startGateway(configFor(modbus.port, bufferDir, { dir: fixture.certsDir }));
    try {
      await eventually(
        () => fromLathe('telemetry').length >= 3 && fromLathe('state').length >= 1 && fromLathe('counts').length >= 1,
        10_000,
        'messages at the recorder',
      );
      t.deepEqual(fromLathe('telemetry')[0]!.payload.metrics, { spindle_temp: { value: 100, unit: 'degC' } });
      t.like(fromLathe('state')[0]!.payload, { v: 1, state: 'RUNNING' });
      t.like(fromLathe('counts')[0]!.payload, { v: 1, total: 70_000, reject: 3 });
      t.true(
        fromLathe('telemetry').every((m) => m.payload.id.startsWith(`${GATEWAY}.lathe-02.telemetry.`)),
        'ids name the gateway',
      );
      t.true(gateway.status().broker.connected);
      t.is(gateway.status().broker.reconnects, 0, 'the first TLS connection held');
      const connected = gatewayEntries('connected');
      t.is(connected.length, 1);
      t.regex(connected[0]!.msg, /\(gateway, tls\)/, 'admitted as the gateway thing, over TLS');
      t.deepEqual(gatewayEntries('denied'), [], 'nothing the gateway sent was outside its policy');
      t.deepEqual(
        fixture.received.filter((m) => !m.topic.startsWith('dt/f1/')).map((m) => m.topic),
        [],
        'only its own factory',
      );
    } finally {
      await gateway.stop();
      await modbus.close();
    }
    t.deepEqual(bufferedIds(bufferDir), [], 'every PUBACKed message left the buffer');
  },
);

test.serial(
  'a gateway configured under another factory is denied by the policy, and keeps its readings buffered',
  async (t) => {
    fixture.received.length = 0;
    const modbus = await startModbus(lathe(100, 1, 1, 0));
    const deniedBefore = gatewayEntries('denied').length;
    const gateway = startGateway(
      configFor(modbus.port, join(fixture.dir, 'buffer-f2'), { dir: fixture.certsDir }, 'f2'),
    );
    try {
      await eventually(
        () => gatewayEntries('denied').length > deniedBefore && gateway.status().stored >= 3,
        10_000,
        'a denial',
      );
      const denied = gatewayEntries('denied').slice(deniedBefore);
      t.true(
        denied.every((e) => e.action === 'publish' && e.resource?.startsWith('dt/f2/l1/lathe-02/') === true),
        JSON.stringify(denied),
      );
      t.deepEqual(
        fixture.received.filter((m) => m.topic.startsWith('dt/f2/')),
        [],
        'nothing of f2 was delivered',
      );
      t.is(gateway.status().broker.published, 0, 'a denied publish is not counted as published');
      t.true(gateway.status().buffer.depth >= 3, 'the readings wait in the buffer');
      await eventually(() => gateway.status().broker.lastError !== undefined, 5_000, 'the gateway to see the close');
      t.regex(
        gateway.status().broker.lastError ?? '',
        /check that factoryId is the factory this gateway thing is registered to/,
      );
      const reconnects = gateway.status().broker.reconnects;
      await new Promise((r) => setTimeout(r, 2000));
      t.true(
        gateway.status().broker.reconnects - reconnects <= 5,
        'a denial backs off rather than reconnecting at once',
      );
    } finally {
      await gateway.stop();
      await modbus.close();
    }
  },
);

test.serial(
  'a certificate from another CA is refused; the gateway keeps buffering, and after the right certificate every buffered reading arrives',
  async (t) => {
    fixture.received.length = 0;
    const modbus = await startModbus(lathe(50, 2, 5, 1));
    const bufferDir = join(fixture.dir, 'buffer-foreign');
    const refusedBefore = fixture.brokerLog.filter((e) => e.event === 'refused').length;
    const events: Record<string, unknown>[] = [];
    const config = configFor(modbus.port, bufferDir, { dir: fixture.foreignDir });
    const refused = startGateway(config, { log: (e) => events.push(e), statusEveryMs: 100 });
    try {
      await eventually(
        () => refused.status().stored >= 5 && refused.status().broker.reconnects >= 2,
        10_000,
        'buffering while refused',
      );
      const refusals = fixture.brokerLog.filter((e) => e.event === 'refused').slice(refusedBefore);
      t.true(
        refusals.some((e) => /the client certificate is not trusted/.test(e.reason ?? '')),
        JSON.stringify(refusals.map((e) => e.reason)),
      );
      t.false(refused.status().broker.connected, 'the broker is reported unreachable');
      t.is(refused.status().broker.published, 0);
      // TLS 1.3: the client sees only a close, so the gateway says what a close before CONNACK means.
      t.true(
        events.some((e) => e.event === 'broker.error' && /issued by the CA the broker trusts/.test(String(e.detail))),
        JSON.stringify(events.slice(0, 3)),
      );
      t.regex(refused.status().broker.lastError ?? '', /closed the TLS connection before accepting it/);
      t.false(events.some((e) => e.event === 'broker.connected'));
      t.deepEqual(fromLathe('telemetry'), [], 'nothing arrived with the foreign certificate');
    } finally {
      await refused.stop();
    }
    const waiting = bufferedIds(bufferDir);
    t.true(waiting.length >= 5);
    t.is(new Set(waiting).size, waiting.length);

    // The operator installs the certificate the broker's CA issued and restarts the gateway.
    await modbus.close(); // no new readings: what arrives is exactly what was buffered
    const fixed = startGateway({ ...configFor(modbus.port, bufferDir, { dir: fixture.certsDir }), machines: [] });
    try {
      await eventually(
        () => fixture.received.length >= waiting.length && fixed.status().buffer.depth === 0,
        10_000,
        'the buffered readings',
      );
      t.deepEqual(
        fixture.received.map((m) => m.payload.id),
        waiting,
        'every buffered reading, once, in order',
      );
      t.like(fromLathe('telemetry')[0]!.payload.metrics, { spindle_temp: { value: 10, unit: 'degC' } });
      t.like(fromLathe('state')[0]!.payload, { state: 'DOWN' });
      t.like(fromLathe('counts')[0]!.payload, { total: 5, reject: 1 });
    } finally {
      await fixed.stop();
    }
  },
);
