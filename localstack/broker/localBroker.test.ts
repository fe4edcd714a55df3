// The local IoT Core with real mqtt.js clients over real TLS on ephemeral ports: who gets in, and
// what a thing may publish and subscribe to. Certificates are made once for the whole file.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import * as E from 'fp-ts/lib/Either.js';
import { startLocalBroker, type BrokerLogEntry, type LocalBroker } from './localBroker.ts';
import { buildThingRegistry } from './thingRegistry.ts';
import { loadOrCreateCertificateAuthority, createCertificateAuthority } from '../certs/certificateAuthority.ts';
import { issueThingCertificate, type IssuedCertificate } from '../certs/thingCertificate.ts';

const PRESS = { factoryId: 'f1', lineId: 'l1', machineId: 'press-01' };
const LATHE = { factoryId: 'f1', lineId: 'l1', machineId: 'lathe-02' };
const PRESS_NAME = 'f1:l1:press-01';
const LATHE_NAME = 'f1:l1:lathe-02';

type Fixture = {
  dir: string;
  broker: LocalBroker;
  log: BrokerLogEntry[];
  caPem: string;
  certs: Record<string, IssuedCertificate>;
  foreign: IssuedCertificate;
};
let fixture: Fixture;

test.before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'broker-test-'));
  const ca = await loadOrCreateCertificateAuthority(dir);
  const names = [PRESS_NAME, LATHE_NAME, 'gw-f1', 'factory-recorder'];
  const issued = await Promise.all(names.map((name) => issueThingCertificate(ca, name)));
  const certs = Object.fromEntries(names.map((name, i) => [name, issued[i] as IssuedCertificate]));
  // The same thing name, signed by a CA the broker does not trust.
  const foreign = await issueThingCertificate(await createCertificateAuthority(new Date()), PRESS_NAME);
  const things = buildThingRegistry({ machines: [PRESS, LATHE], gateways: [{ factoryId: 'f1', gatewayId: 'gw-f1' }] });
  if (E.isLeft(things)) throw new Error(things.left.join('; '));
  const log: BrokerLogEntry[] = [];
  const broker = await startLocalBroker({
    certsDir: dir,
    tlsPort: 0,
    plainPort: 0,
    things: things.right,
    log: (entry) => log.push(entry),
  });
  fixture = { dir, broker, log, caPem: ca.certificatePem, certs, foreign };
});

test.after.always(async () => {
  await fixture?.broker.close();
  if (fixture !== undefined) await rm(fixture.dir, { recursive: true, force: true });
});

const tlsUrl = (): string => `mqtts://127.0.0.1:${fixture.broker.tlsPort}`;

const optionsFor = (thing: string, overrides: Partial<IClientOptions> = {}): IClientOptions => {
  const cert = fixture.certs[thing];
  if (cert === undefined) throw new Error(`no certificate for ${thing} in the fixture`);
  return {
    clientId: thing,
    ca: fixture.caPem,
    cert: cert.certificatePem,
    key: cert.privateKeyPem,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...overrides,
  };
};

/** Connects, or says how the attempt ended: the broker refusing shows as an error or a close before CONNACK. */
const attempt = (
  url: string,
  options: IClientOptions,
): Promise<{ client: MqttClient; connected: boolean; error?: string }> =>
  new Promise((resolve) => {
    const client = mqtt.connect(url, options);
    client.once('connect', () => resolve({ client, connected: true }));
    client.once('error', (error) => {
      resolve({ client, connected: false, error: error.message });
      client.end(true);
    });
    client.once('close', () => resolve({ client, connected: false }));
  });

const connectAs = async (thing: string): Promise<MqttClient> => {
  const result = await attempt(tlsUrl(), optionsFor(thing));
  if (!result.connected) throw new Error(`${thing} could not connect: ${result.error ?? 'closed'}`);
  return result.client;
};

const closed = (client: MqttClient, withinMs = 3000): Promise<boolean> =>
  new Promise((resolve) => {
    if (!client.connected) return resolve(true);
    const timer = setTimeout(() => resolve(false), withinMs);
    client.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

/** The first log entry after `from` that matches, waiting briefly: the server may log after the client saw the close. */
const logged = async (matches: (entry: BrokerLogEntry) => boolean, from: number): Promise<BrokerLogEntry> => {
  for (let waited = 0; waited < 2000; waited += 20) {
    const entry = fixture.log.slice(from).find(matches);
    if (entry !== undefined) return entry;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no matching broker log entry within 2 s');
};

const deniedEntries = (clientId: string): BrokerLogEntry[] =>
  fixture.log.filter((entry) => entry.event === 'denied' && entry.clientId === clientId);

test.serial(
  'a machine certificate connects, publishes to its own telemetry topic, and a subscriber receives it',
  async (t) => {
    const recorder = await connectAs('factory-recorder');
    const press = await connectAs(PRESS_NAME);
    await recorder.subscribeAsync('dt/+/+/+/+', { qos: 1 });
    const received = new Promise<{ topic: string; payload: string }>((resolve) =>
      recorder.once('message', (topic, payload) => resolve({ topic, payload: payload.toString('utf8') })),
    );
    const message = JSON.stringify({ v: 1, id: 'm-1', ts: 0, metrics: { spindle_temp: 71.5 } });
    await press.publishAsync('dt/f1/l1/press-01/telemetry', message, { qos: 1 });
    t.deepEqual(await received, { topic: 'dt/f1/l1/press-01/telemetry', payload: message });
    await Promise.all([press.endAsync(), recorder.endAsync()]);
  },
);

test.serial('a certificate signed by another CA is refused at the TLS handshake', async (t) => {
  const before = fixture.log.length;
  const result = await attempt(tlsUrl(), {
    ...optionsFor(PRESS_NAME),
    cert: fixture.foreign.certificatePem,
    key: fixture.foreign.privateKeyPem,
  });
  t.false(result.connected);
  const refused = await logged((entry) => entry.event === 'refused', before);
  t.regex(refused.reason ?? '', /the client certificate is not trusted/);
});

test.serial('a client without a certificate is refused', async (t) => {
  const before = fixture.log.length;
  const result = await attempt(tlsUrl(), {
    clientId: PRESS_NAME,
    ca: fixture.caPem,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  t.false(result.connected);
  const refused = await logged((entry) => entry.event === 'refused', before);
  t.regex(refused.reason ?? '', /presented no certificate/);
  t.false(fixture.log.slice(before).some((entry) => entry.event === 'connected'));
});

test.serial('a client id that differs from the certificate CN is refused', async (t) => {
  const result = await attempt(tlsUrl(), optionsFor(PRESS_NAME, { clientId: LATHE_NAME }));
  t.false(result.connected);
  const refused = fixture.log.find((entry) => entry.event === 'refused' && entry.clientId === LATHE_NAME);
  t.regex(refused?.reason ?? '', /differs from the certificate's thing name "f1:l1:press-01"/);
});

test.serial("a publish to another machine's topic ends the connection and is logged", async (t) => {
  const press = await connectAs(PRESS_NAME);
  const ended = closed(press);
  press.publish('dt/f1/l1/lathe-02/telemetry', '{}', { qos: 1 });
  t.true(await ended, 'the broker closes the connection');
  const denied = deniedEntries(PRESS_NAME).find((entry) => entry.action === 'publish');
  t.is(denied?.resource, 'dt/f1/l1/lathe-02/telemetry');
  t.regex(denied?.reason ?? '', /may not publish to "dt\/f1\/l1\/lathe-02\/telemetry"/);
  press.end(true);
});

test.serial('a gateway publishes under its own factory but not under another', async (t) => {
  const recorder = await connectAs('factory-recorder');
  await recorder.subscribeAsync('dt/#', { qos: 1 });
  const received = new Promise<string>((resolve) => recorder.once('message', (topic) => resolve(topic)));
  const gateway = await connectAs('gw-f1');
  await gateway.publishAsync('dt/f1/l2/mill-07/state', '{}', { qos: 1 });
  t.is(await received, 'dt/f1/l2/mill-07/state');
  const ended = closed(gateway);
  gateway.publish('dt/f2/l1/press-01/state', '{}', { qos: 1 });
  t.true(await ended);
  t.is(deniedEntries('gw-f1').at(-1)?.resource, 'dt/f2/l1/press-01/state');
  gateway.end(true);
  await recorder.endAsync();
});

test.serial('a subscribe outside the policy is refused and ends the connection', async (t) => {
  const press = await connectAs(PRESS_NAME);
  const ended = closed(press);
  press.subscribe('dt/f1/#', { qos: 1 });
  t.true(await ended);
  const denied = deniedEntries(PRESS_NAME).filter((entry) => entry.action === 'subscribe');
  t.is(denied.at(-1)?.resource, 'dt/f1/#');
  press.end(true);
});

test.serial("a machine subscribed to its own topics receives its own messages but not another machine's", async (t) => {
  const press = await connectAs(PRESS_NAME);
  await press.subscribeAsync('dt/f1/l1/press-01/+', { qos: 1 });
  const topics: string[] = [];
  press.on('message', (topic) => topics.push(topic));
  const lathe = await connectAs(LATHE_NAME);
  await lathe.publishAsync('dt/f1/l1/lathe-02/state', '{}', { qos: 1 });
  await press.publishAsync('dt/f1/l1/press-01/state', '{}', { qos: 1 });
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.deepEqual(topics, ['dt/f1/l1/press-01/state']);
  await Promise.all([press.endAsync(), lathe.endAsync()]);
});

test.serial('the plain loopback listener admits a registered client id and refuses an unknown one', async (t) => {
  const url = `mqtt://127.0.0.1:${fixture.broker.plainPort}`;
  const known = await attempt(url, { clientId: 'gw-f1', reconnectPeriod: 0 });
  t.true(known.connected);
  known.client.end(true);
  const unknown = await attempt(url, { clientId: 'f9:l1:ghost', reconnectPeriod: 0 });
  t.false(unknown.connected);
  t.regex(fixture.log.find((entry) => entry.clientId === 'f9:l1:ghost')?.reason ?? '', /is not registered/);
});

// A gateway is a Greengrass core: its nucleus connects with the gateway's certificate as `gw-f1` and,
// for more subscriptions, `gw-f1#2`; it takes its deployments from its jobs topics and keeps its
// shadow. The broker evaluates the one policy (domain/policy) for these as it does for readings.
test.serial(
  'a Greengrass core connects as its nucleus does ({thing} and {thing}#2) and uses its jobs and shadow topics',
  async (t) => {
    const second = await attempt(tlsUrl(), optionsFor('gw-f1', { clientId: 'gw-f1#2' }));
    t.true(second.connected, second.error);
    const nucleus = second.client;
    await nucleus.subscribeAsync('$aws/things/gw-f1/jobs/notify-next', { qos: 1 });
    await nucleus.subscribeAsync('$aws/things/gw-f1/shadow/name/config/update/delta', { qos: 1 });
    const job = new Promise<string>((resolve) => nucleus.once('message', (topic) => resolve(topic)));
    const first = await connectAs('gw-f1');
    await first.publishAsync('$aws/things/gw-f1/jobs/notify-next', '{}', { qos: 1 });
    t.is(await job, '$aws/things/gw-f1/jobs/notify-next');
    await first.publishAsync('dt/f1/l1/press-01/alert', '{}', { qos: 1 });
    t.deepEqual(deniedEntries('gw-f1#2'), []);
    t.deepEqual(
      deniedEntries('gw-f1'),
      deniedEntries('gw-f1').filter((e) => e.resource === 'dt/f2/l1/press-01/state'),
      "no denial but the earlier test's",
    );
    await Promise.all([first.endAsync(), nucleus.endAsync()]);
  },
);

test.serial("a Greengrass core may not take another core's client id or jobs topics", async (t) => {
  const other = await attempt(tlsUrl(), optionsFor('gw-f1', { clientId: 'gw-f10' }));
  t.false(other.connected);
  t.regex(
    fixture.log.find((entry) => entry.event === 'refused' && entry.clientId === 'gw-f10')?.reason ?? '',
    /differs from the certificate's thing name "gw-f1" and its policy does not allow it/,
  );
  const core = await connectAs('gw-f1');
  const ended = closed(core);
  core.subscribe('$aws/things/gw-f2/jobs/notify-next', { qos: 1 });
  t.true(await ended, 'the broker ends the connection, as IoT Core does');
  t.is(deniedEntries('gw-f1').at(-1)?.resource, '$aws/things/gw-f2/jobs/notify-next');
  core.end(true);
});
