// Broker replay against its limit: a bare mqtt.js publisher → aedes → mqtt.js subscriber run of the
// same payloads, QoS 1, over the same mutual TLS, in the same process layout (broker, publisher and
// subscriber in this one process) and with the same in-flight window as the replay. Bare means aedes
// as it comes: the local IoT Core's certificate-to-thing check and the IoT policy evaluated at every
// publish and delivery are the replay's work, not the transport's.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import { Aedes } from 'aedes';
import * as E from 'fp-ts/lib/Either.js';
import type { SiteConfig } from '../domain/site/siteConfig.ts';
import { parseDataTopic } from '../domain/wire/topic.ts';
import { caFiles, loadOrCreateCertificateAuthority } from '../localstack/certs/certificateAuthority.ts';
import { brokerCertificateFiles, ensureCertificates } from '../localstack/certs/thingCertificate.ts';
import { openReplayEngine } from '../localstack/replay/replayEngine.ts';
import {
  connect,
  MAX_IN_FLIGHT,
  PUBLISHER,
  RULES_ENGINE,
  replayThroughBroker,
} from '../localstack/replay/brokerReplay.ts';
import { recordingLines } from '../localstack/replay/recordingLines.ts';
import { openStore } from '../localstack/replay/openStore.ts';
import type { Throughput } from './directReplayBench.ts';

// The replay's own client ids, window and connections (localstack/replay/brokerReplay.ts), so the
// flow control is the same.
const SUBSCRIBER = RULES_ENGINE;
const FILTER = 'dt/+/+/+/+';

// CPU time beside wall time: other work on a shared machine stretches wall time, much less the CPU a run uses.
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** The messages the replay would publish: data topics with their payload bytes, in recording order. */
const publishable = async (path: string): Promise<{ topic: string; bytes: Buffer }[]> => {
  const out: { topic: string; bytes: Buffer }[] = [];
  for await (const { text } of recordingLines(path)) {
    let line: { topic?: unknown; payload?: unknown; payloadB64?: unknown };
    try {
      line = JSON.parse(text) as typeof line;
    } catch {
      continue;
    }
    if (typeof line.topic !== 'string' || E.isLeft(parseDataTopic(line.topic))) continue;
    const bytes =
      typeof line.payloadB64 === 'string'
        ? Buffer.from(line.payloadB64, 'base64')
        : Buffer.from(JSON.stringify(line.payload) ?? 'null', 'utf8');
    out.push({ topic: line.topic, bytes });
  }
  return out;
};

/** aedes without hooks behind the local broker's TLS listener: the same certificates, client certificates required. */
const startBareAedes = async (certsDir: string): Promise<{ readonly url: string; close(): Promise<void> }> => {
  const files = brokerCertificateFiles(certsDir);
  const [ca, cert, key] = await Promise.all([
    readFile(caFiles(certsDir).certificate),
    readFile(files.certificate),
    readFile(files.key),
  ]);
  const broker = await Aedes.createBroker();
  const server: Server = createServer({ requestCert: true, rejectUnauthorized: true, ca, cert, key }, (socket) =>
    broker.handle(socket),
  );
  server.on('connection', (socket: Socket) => socket.setNoDelay(true)); // as the local broker's listener
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `mqtts://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/**
 * The transport's limit: the same payloads through aedes over the same TLS, nothing done with them.
 * `_site` is unused (bare aedes registers no things); both runs keep one signature for bench/run.ts.
 */
export const bareAedes = async (path: string, _site: SiteConfig, certsDir: string): Promise<Throughput> => {
  const ca = await loadOrCreateCertificateAuthority(certsDir);
  await ensureCertificates(ca, certsDir, [PUBLISHER, SUBSCRIBER], { broker: true });
  const messages = await publishable(path);
  const broker = await startBareAedes(certsDir);
  const [publisher, subscriber] = await Promise.all([
    connect(broker.url, certsDir, PUBLISHER),
    connect(broker.url, certsDir, SUBSCRIBER),
  ]);
  try {
    let delivered = 0;
    let wake: (() => void) | undefined;
    subscriber.on('message', () => {
      delivered += 1;
      wake?.();
    });
    await subscriber.subscribeAsync(FILTER, { qos: 1 });
    const waitUntil = async (done: () => boolean): Promise<void> => {
      while (!done())
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      wake = undefined;
    };
    const start = performance.now();
    const cpuStart = cpuSeconds();
    let published = 0;
    for (const { topic, bytes } of messages) {
      publisher.publish(topic, bytes, { qos: 1 });
      published += 1;
      if (published - delivered >= MAX_IN_FLIGHT) await waitUntil(() => published - delivered < MAX_IN_FLIGHT / 2);
    }
    await waitUntil(() => delivered === published);
    const ms = performance.now() - start;
    return {
      messages: published,
      seconds: ms / 1000,
      perS: published / (ms / 1000),
      cpuSeconds: cpuSeconds() - cpuStart,
    };
  } finally {
    await Promise.all([publisher.endAsync(), subscriber.endAsync()]);
    await broker.close();
  }
};

/** `factory replay --via broker` as the command runs it, into a fresh temporary store. */
export const brokerReplay = async (path: string, site: SiteConfig, certsDir: string): Promise<Throughput> => {
  const store = openStore(undefined);
  try {
    const engine = openReplayEngine(store.db, site, { id: `bench-broker:${path}`, path });
    const start = performance.now();
    const cpuStart = cpuSeconds();
    await replayThroughBroker(engine, path, { speed: 'max', site, certsDir });
    const ms = performance.now() - start;
    const messages = engine.counts().received;

    return { messages, seconds: ms / 1000, perS: messages / (ms / 1000), cpuSeconds: cpuSeconds() - cpuStart };
  } finally {
    store.close();
  }
};
