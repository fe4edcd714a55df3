// `factory simulate` and `factory record` against the real local broker over mutual TLS, with real
// mqtt.js clients on ephemeral ports: the simulated plant arrives in the recording as it was generated,
// each machine speaking as its own thing. Certificates are made once for the whole file.
import test from 'ava';
import { Command, CommanderError } from 'commander';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import { decodeRecordingLine, type RecordingLine } from '../../domain/wire/recording.ts';
import { machineThingName } from '../../domain/policy/iotPolicy.ts';
import { startLocalBroker, type BrokerLogEntry, type LocalBroker } from '../broker/localBroker.ts';
import { buildThingRegistry } from '../broker/thingRegistry.ts';
import { loadOrCreateCertificateAuthority } from '../certs/certificateAuthority.ts';
import { ensureCertificates } from '../certs/thingCertificate.ts';
import { connectThing } from '../recorder/thingConnection.ts';
import { recordTraffic } from '../recorder/recordTraffic.ts';
import { registerRecord } from './record.ts';
import { registerSimulate } from './simulate.ts';
import { SAMPLE_OPTIONS, loadSampleSite } from '../simulator/sampleRecording.ts';
import {
  firstFactories,
  runLiveSimulation,
  simulationOptions,
  simulationPlan,
  type SimulationPlan,
} from '../simulator/liveSimulation.ts';

const FACTORY = join(import.meta.dirname, '..', '..', 'bin', 'factory.js');
const site = firstFactories(loadSampleSite(), 2);
const MACHINES = site.factories.flatMap((f) =>
  f.lines.flatMap((l) => l.machines.map((m) => ({ factoryId: f.id, lineId: l.id, machineId: m.id }))),
);
const START_ISO = '2026-11-24T05:00:00.000Z';

type Fixture = {
  readonly dir: string;
  readonly certs: string;
  readonly broker: LocalBroker;
  readonly log: BrokerLogEntry[];
};
let fixture: Fixture;

test.before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'record-simulate-'));
  const certs = join(dir, 'certs');
  const ca = await loadOrCreateCertificateAuthority(certs);
  const things = buildThingRegistry({ machines: MACHINES });
  if (E.isLeft(things)) throw new Error(things.left.join('; '));
  await ensureCertificates(ca, certs, [...things.right.keys()], { broker: true });
  const log: BrokerLogEntry[] = [];
  const broker = await startLocalBroker({
    certsDir: certs,
    tlsPort: 0,
    things: things.right,
    log: (entry) => log.push(entry),
  });
  fixture = { dir, certs, broker, log };
});

test.after.always(async () => {
  await fixture?.broker.close();
  if (fixture !== undefined) await rm(fixture.dir, { recursive: true, force: true });
});

const url = (): string => fixture.broker.urls[0]!;

type Run = { readonly code: number | null; readonly stderr: string };

/** The real command line; `ready` resolves when stderr shows `waitFor`. */
const factory = (
  args: readonly string[],
  waitFor?: RegExp,
): { readonly done: Promise<Run>; readonly ready: Promise<void> } => {
  const child = spawn(process.execPath, [FACTORY, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    if (waitFor?.test(stderr) === true) onReady();
  });
  const done = new Promise<Run>((resolve) =>
    child.once('close', (code) => {
      onReady();
      resolve({ code, stderr });
    }),
  );
  return { done, ready };
};

const linesOf = (text: string): RecordingLine[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const line = decodeRecordingLine(l);
      if (E.isLeft(line)) throw new Error(`${l}: ${line.left}`);
      return line.right;
    });

/** Payloads per topic, in order: the order MQTT promises (one publisher per topic, one connection each). */
const byTopic = (entries: readonly { topic: string; payload: unknown }[]): Record<string, unknown[]> => {
  const out: Record<string, unknown[]> = {};
  for (const { topic, payload } of entries) (out[topic] ??= []).push(payload);
  return out;
};

const published = (plan: SimulationPlan): { topic: string; payload: unknown }[] =>
  plan.messages
    .filter((m) => m.route.kind === 'publish')
    .map(({ message }) => ({
      topic: message.topic,
      payload: message.payloadB64 !== undefined ? { b64: message.payloadB64 } : message.payload,
    }));

const recorded = (lines: readonly RecordingLine[]): { topic: string; payload: unknown }[] =>
  lines.map((line) => ({
    topic: line.topic,
    payload: line.body.kind === 'json' ? line.body.payload : { b64: line.body.base64 },
  }));

test.serial(
  'simulate → broker → record: two plant minutes arrive with the same ids and payloads, in order per topic, each machine as its own thing',
  async (t) => {
    const plan = simulationPlan(site, simulationOptions(Date.parse(START_ISO), 120, SAMPLE_OPTIONS.seed));
    const expected = published(plan);
    t.true(expected.length > 150, `${expected.length} messages`);
    const out = join(fixture.dir, 'round-trip.jsonl');
    const before = Date.now();
    const record = factory(
      ['record', '--broker', url(), '--certs', fixture.certs, '--out', out, '--count', String(expected.length)],
      /recording dt\/#/,
    );
    await record.ready;
    const simulate = await factory([
      'simulate',
      '--broker',
      url(),
      '--certs',
      fixture.certs,
      '--factories',
      '2',
      '--speed',
      'max',
      '--duration',
      '120',
      '--start',
      START_ISO,
    ]).done;
    t.is(simulate.code, 0, simulate.stderr);
    t.regex(
      simulate.stderr,
      new RegExp(
        `published ${expected.length} message\\(s\\) to ${url().replace(/[.]/g, '\\.')} as ${MACHINES.length} machine\\(s\\), skipped 0`,
      ),
    );
    const recording = await record.done;
    t.is(recording.code, 0, recording.stderr);
    t.regex(
      recording.stderr,
      new RegExp(`recorded ${expected.length} messages to .*round-trip\\.jsonl \\(the --count was reached\\)`),
    );

    const lines = linesOf(await readFile(out, 'utf8'));
    t.is(lines.length, expected.length);
    t.deepEqual(byTopic(recorded(lines)), byTopic(expected));
    t.true(
      lines.every((line) => line.t >= before && line.t <= Date.now()),
      't is the time the recorder received each message',
    );
    const connected = new Set(fixture.log.filter((e) => e.event === 'connected').map((e) => e.clientId));
    for (const machine of MACHINES)
      t.true(
        connected.has(machineThingName(machine)),
        `${machineThingName(machine)} connected with its own certificate`,
      );
    t.deepEqual(
      fixture.log.filter((e) => e.event === 'denied' || e.event === 'refused'),
      [],
    );
  },
);

test.serial(
  'raw bytes are recorded as payloadB64 and a .gz recording reads back, ending complete when stopped by a signal',
  async (t) => {
    const out = join(fixture.dir, 'raw.jsonl.gz');
    const stop = new AbortController();
    let ready: () => void = () => undefined;
    const subscribed = new Promise<void>((resolve) => {
      ready = resolve;
    });
    let allThree: () => void = () => undefined;
    const received = new Promise<void>((resolve) => {
      allThree = resolve;
    });
    const recording = recordTraffic({
      url: url(),
      certsDir: fixture.certs,
      clientId: 'factory-recorder',
      topics: ['dt/#'],
      out,
      signal: stop.signal,
      onReady: ready,
      onRecorded: (n) => {
        if (n === 3) allThree();
      },
    });
    await subscribed;
    const press = await connectThing({ url: url(), certsDir: fixture.certs, thingName: 'leipzig:body:press-01' });
    const sent = [
      Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d),
      Buffer.from('{"v":1,"id":"trunc-1","ts":'),
      Buffer.from('{"v":1,"id":"ok-1","ts":0,"total":1,"reject":0}'),
    ];
    for (const bytes of sent)
      await press.client.publishAsync('dt/leipzig/body/press-01/counts', Buffer.from(bytes), { qos: 1 });
    await press.end();
    await received;
    stop.abort();
    const result = await recording;
    t.is(result.stoppedBy, 'signal');
    const lines = linesOf(gunzipSync(await readFile(out)).toString('utf8'));
    t.deepEqual(
      lines.map((l) => l.body),
      [
        { kind: 'bytes', base64: Buffer.from(sent[0]!).toString('base64') },
        { kind: 'bytes', base64: Buffer.from(sent[1]!).toString('base64') },
        { kind: 'json', payload: { v: 1, id: 'ok-1', ts: 0, total: 1, reject: 0 } },
      ],
    );
    t.is(result.recorded, 3);
  },
);

test('a machine the broker does not know is refused, and simulate fails naming the broker and the thing', async (t) => {
  const stranger = simulationPlan(firstFactories(loadSampleSite(), 3), simulationOptions(Date.parse(START_ISO), 10, 1));
  const izmir = { ...stranger, things: stranger.things.filter((thing) => thing.startsWith('izmir:')).slice(0, 1) };
  // A certificate from the same CA, but the broker registered only the first two factories' machines.
  const ca = await loadOrCreateCertificateAuthority(fixture.certs);
  await ensureCertificates(ca, fixture.certs, izmir.things);
  const error = await t.throwsAsync(runLiveSimulation(izmir, { url: url(), certsDir: fixture.certs, speed: 'max' }));
  t.regex(
    error?.message ?? '',
    new RegExp(
      `the broker at ${url().replace(/[.]/g, '\\.')} refused client id izmir:l1:cnc-01 \\(Connection refused: Not authorized\\)`,
    ),
  );
});

test('record exits 1 when the broker is unreachable, naming the URL and what to check', async (t) => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const run = await factory([
    'record',
    '--broker',
    `mqtts://127.0.0.1:${port}`,
    '--certs',
    fixture.certs,
    '--out',
    join(fixture.dir, 'never.jsonl'),
  ]).done;
  t.is(run.code, 1);
  t.regex(
    run.stderr,
    new RegExp(
      `cannot reach the broker at mqtts://127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\): check that \`factory broker\` is running`,
    ),
  );
});

test('bad arguments exit 2 with a message naming the argument', async (t) => {
  // Two real runs: an argument commander refuses, and one the command refuses once it has read the site.
  const [scheme, factories] = await Promise.all([
    factory(['record', '--broker', 'http://127.0.0.1:1883', '--out', 'x.jsonl']).done,
    factory(['simulate', '--factories', '4', '--out', join(fixture.dir, 'never.jsonl')]).done,
  ]);
  t.is(scheme.code, 2, scheme.stderr);
  t.regex(
    scheme.stderr,
    /--broker <url>.*expected the scheme mqtts:\/\/ \(mutual TLS\) or mqtt:\/\/ \(plain\), not http:\/\//,
  );
  t.is(factories.code, 2, factories.stderr);
  t.regex(factories.stderr, /--factories 4: .*site\.json has only 3 factories/);
});

// The rest in process: commander refuses them before the command runs, which the CLI turns into exit 2 (as above).
const refusal = async (args: readonly string[]): Promise<string> => {
  const program = new Command('factory')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerRecord(program);
  registerSimulate(program);
  try {
    await program.parseAsync(['node', 'factory', ...args]);
  } catch (error) {
    if (error instanceof CommanderError) return error.message;
    throw error;
  }
  throw new Error(`${args.join(' ')} was accepted`);
};

test('record and simulate refuse a missing --out, a zero --count, a bad --topic filter, a bad --speed, --start or --seed', async (t) => {
  t.regex(
    await refusal(['record', '--broker', 'mqtt://127.0.0.1:1883']),
    /required option '--out <file>' not specified/,
  );
  t.regex(
    await refusal(['record', '--broker', 'mqtt://127.0.0.1:1883', '--out', 'x.jsonl', '--count', '0']),
    /--count <n>.*expected a whole number of messages ≥ 1/,
  );
  t.regex(
    await refusal(['record', '--broker', 'mqtt://127.0.0.1:1883', '--out', 'x.jsonl', '--duration', '-3']),
    /--duration <s>.*expected a number of seconds > 0/,
  );
  t.regex(
    await refusal(['record', '--broker', 'mqtt://127.0.0.1:1883', '--out', 'x.jsonl', '--topic', 'dt/#/state']),
    /--topic <filter>.*# must be a whole level and the last one/,
  );
  t.regex(
    await refusal(['record', '--broker', 'mqtt://127.0.0.1:1883', '--out', 'x.jsonl', '--topic', 'dt/f1+/#']),
    /--topic <filter>.*\+ must be a whole level/,
  );
  t.regex(
    await refusal(['simulate', '--speed', 'fast', '--out', 'x.jsonl']),
    /--speed <speed>.*expected "max" or a factor of real time/,
  );
  t.regex(
    await refusal(['simulate', '--start', 'yesterday', '--out', 'x.jsonl']),
    /--start <iso>.*expected an ISO-8601 time/,
  );
  t.regex(await refusal(['simulate', '--seed', '1.5', '--out', 'x.jsonl']), /--seed <n>.*expected a whole number/);
  t.regex(
    await refusal(['simulate', '--factories', '0', '--out', 'x.jsonl']),
    /--factories <n>.*expected a whole number of factories ≥ 1/,
  );
});
