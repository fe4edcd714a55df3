// Broker replay against its limit: a bare mqtt.js publisher → aedes → mqtt.js subscriber run of the
// same payloads, QoS 1, over the same mutual TLS, in the same process layout (broker, publisher and
// subscriber in this one process) and with the same in-flight window as the replay.
import * as E from 'fp-ts/lib/Either.js';
import type { SiteConfig } from '../domain/site/siteConfig.ts';
import { siteRegistry } from '../domain/site/siteRegistry.ts';
import { parseDataTopic } from '../domain/wire/topic.ts';
import { startLocalBroker } from '../localstack/broker/localBroker.ts';
import { buildThingRegistry } from '../localstack/broker/thingRegistry.ts';
import { loadOrCreateCertificateAuthority } from '../localstack/certs/certificateAuthority.ts';
import { ensureCertificates } from '../localstack/certs/thingCertificate.ts';
import { openReplayEngine } from '../localstack/replay/replayEngine.ts';
import { connect, MAX_IN_FLIGHT, PUBLISHER, RULES_ENGINE, replayThroughBroker } from '../localstack/replay/brokerReplay.ts';
import { recordingLines } from '../localstack/replay/recordingLines.ts';
import { openStore } from '../localstack/replay/openStore.ts';
import type { Throughput } from './directReplayBench.ts';

// The replay's own client ids, window and connections (localstack/replay/brokerReplay.ts), so the
// policy and flow control are the same.
const SUBSCRIBER = RULES_ENGINE;
const FILTER = 'dt/+/+/+/+';

const thingsOf = (site: SiteConfig) => {
  const machines = siteRegistry(site).machines().map((m) => ({ factoryId: m.factory, lineId: m.line, machineId: m.machine }));
  const things = buildThingRegistry({ machines });
  if (E.isLeft(things)) throw new Error(things.left.join('; '));
  return things.right;
};

/** The messages the replay would publish: data topics with their payload bytes, in recording order. */
const publishable = async (path: string): Promise<{ topic: string; bytes: Buffer }[]> => {
  const out: { topic: string; bytes: Buffer }[] = [];
  for await (const { text } of recordingLines(path)) {
    let line: { topic?: unknown; payload?: unknown; payloadB64?: unknown };
    try { line = JSON.parse(text) as typeof line; } catch { continue; }
    if (typeof line.topic !== 'string' || E.isLeft(parseDataTopic(line.topic))) continue;
    const bytes = typeof line.payloadB64 === 'string' ? Buffer.from(line.payloadB64, 'base64') : Buffer.from(JSON.stringify(line.payload) ?? 'null', 'utf8');
    out.push({ topic: line.topic, bytes });
  }
  return out;
};

/** The transport's limit: the same payloads through the same broker, nothing done with them. */
export const bareAedes = async (path: string, site: SiteConfig, certsDir: string): Promise<Throughput> => {
  const ca = await loadOrCreateCertificateAuthority(certsDir);
  await ensureCertificates(ca, certsDir, [PUBLISHER, SUBSCRIBER], { broker: true });
  const messages = await publishable(path);
  const broker = await startLocalBroker({ certsDir, tlsPort: 0, things: thingsOf(site) });
  const [publisher, subscriber] = await Promise.all([connect(broker.urls[0]!, certsDir, PUBLISHER), connect(broker.urls[0]!, certsDir, SUBSCRIBER)]);
  try {
    let delivered = 0;
    let wake: (() => void) | undefined;
    subscriber.on('message', () => { delivered += 1; wake?.(); });
    await subscriber.subscribeAsync(FILTER, { qos: 1 });
    const waitUntil = async (done: () => boolean): Promise<void> => {
      while (!done()) await new Promise<void>((resolve) => { wake = resolve; });
      wake = undefined;
    };
    const start = performance.now();
    let published = 0;
    for (const { topic, bytes } of messages) {
      publisher.publish(topic, bytes, { qos: 1 });
      published += 1;
      if (published - delivered >= MAX_IN_FLIGHT) await waitUntil(() => published - delivered < MAX_IN_FLIGHT / 2);
    }
    await waitUntil(() => delivered === published);
    const ms = performance.now() - start;
    return { messages: published, seconds: ms / 1000, perS: published / (ms / 1000) };
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
    await replayThroughBroker(engine, path, { speed: 'max', site, certsDir });
    const ms = performance.now() - start;
    const messages = engine.counts().received;
    return { messages, seconds: ms / 1000, perS: messages / (ms / 1000) };
  } finally {
    store.close();
  }
};
