// `factory replay --via broker`: the recording published to the local IoT Core over mutual TLS, as a
// plant would send it, and received by the local rules engine, which hands each message to the same
// pipeline as the direct path. One publisher connection keeps the recording's order (MQTT keeps
// order per connection at QoS 1), so both paths see the same messages in the same order and give
// the same summary.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket } from 'node:net';
import * as E from 'fp-ts/lib/Either.js';
import mqtt, { type MqttClient } from 'mqtt';
import { compileRule } from '../../domain/rules/topicRule.ts';
import { TOPIC_RULES } from '../../domain/rules/topicRules.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import { parseDataTopic } from '../../domain/wire/topic.ts';
import { startLocalBroker, type LocalBroker } from '../broker/localBroker.ts';
import { buildThingRegistry } from '../broker/thingRegistry.ts';
import { loadOrCreateCertificateAuthority } from '../certs/certificateAuthority.ts';
import { ensureCertificates, thingCertificateFiles } from '../certs/thingCertificate.ts';
import type { RawMessage, ReplayEngine } from './replayEngine.ts';
import { COMMIT_EVERY_LINES, decodeLine, pacer, type ReplayProgress, type Speed } from './replayRecording.ts';
import { recordingLines } from './recordingLines.ts';

export const PUBLISHER = 'factory-replayer';
export const RULES_ENGINE = 'factory-recorder';
export const MAX_IN_FLIGHT = 500;
const COMMIT_EVERY = COMMIT_EVERY_LINES;

/** The Kinesis rule's FROM is what the local rules engine subscribes to: the rule selects the messages. */
const processingRuleFilter = (): string => {
  const rule = TOPIC_RULES.find((r) => r.target === 'kinesis');
  const compiled = rule === undefined ? undefined : compileRule(rule.sql);
  if (compiled === undefined || E.isLeft(compiled))
    throw new Error('the shared topic rules have no Kinesis rule that compiles: see domain/rules/topicRules.ts');
  return compiled.right.statement.from;
};

type Expected = { readonly line: number; readonly t: number; readonly topic: string; readonly raw: RawMessage } & (
  { readonly published: true } | { readonly published: false; readonly reason: string }
);

/** A thing's mutual-TLS connection with its certificate from `certsDir`; no reconnects (a replay fails instead). */
export const connect = (url: string, certsDir: string, thing: string): Promise<MqttClient> => {
  const files = thingCertificateFiles(certsDir, thing);
  const client = mqtt.connect(url, {
    clientId: thing,
    ca: readFileSync(join(certsDir, 'ca.pem')),
    cert: readFileSync(files.certificate),
    key: readFileSync(files.key),
    rejectUnauthorized: true,
    reconnectPeriod: 0,
    protocolVersion: 4,
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => {
      // As the local broker does (localBroker.ts): no Nagle delay on small packets that wait for an answer.
      if (client.stream instanceof Socket) client.stream.setNoDelay(true);
      resolve(client);
    });
    client.once('error', (error) => reject(new Error(`${thing} could not connect to ${url}: ${error.message}`)));
  });
};

export type BrokerReplayOptions = {
  readonly speed: Speed;
  readonly onProgress?: (p: ReplayProgress) => void;
  readonly site: SiteConfig;
  /** Where the local CA and certificates live (made if missing); default: a temporary directory. */
  readonly certsDir?: string;
};

export const replayThroughBroker = async (
  engine: ReplayEngine,
  path: string,
  options: BrokerReplayOptions,
): Promise<void> => {
  const temporary = options.certsDir === undefined ? mkdtempSync(join(tmpdir(), 'factory-certs-')) : undefined;
  const certsDir = options.certsDir ?? temporary!;
  const machines = siteRegistry(options.site)
    .machines()
    .map((m) => ({ factoryId: m.factory, lineId: m.line, machineId: m.machine }));
  const things = buildThingRegistry({ machines });
  if (E.isLeft(things)) throw new Error(things.left.join('; '));
  const ca = await loadOrCreateCertificateAuthority(certsDir);
  await ensureCertificates(ca, certsDir, [PUBLISHER, RULES_ENGINE], { broker: true });

  const refusals: string[] = [];
  let broker: LocalBroker | undefined;
  let publisher: MqttClient | undefined;
  let rulesEngine: MqttClient | undefined;
  try {
    broker = await startLocalBroker({
      certsDir,
      tlsPort: 0,
      things: things.right,
      log: (entry) => {
        if (entry.level !== 'info') refusals.push(entry.msg);
      },
    });
    const url = broker.urls[0]!;
    [publisher, rulesEngine] = await Promise.all([
      connect(url, certsDir, PUBLISHER),
      connect(url, certsDir, RULES_ENGINE),
    ]);

    // Lines in recording order: what was published and what was refused before it could be.
    const expected: Expected[] = [];
    let sinceCommit = 0;
    let lastDelivered: ReplayProgress | undefined;
    const settleRefusedHead = (): void => {
      while (expected[0] !== undefined && !expected[0].published) {
        const refused = expected.shift() as Extract<Expected, { published: false }>;
        engine.reject(refused.line, refused.t, refused.topic, refused.reason, refused.raw);
      }
    };
    let delivered = 0;
    let wake: (() => void) | undefined;
    let failure: Error | undefined;
    rulesEngine.on('message', (topic, payload) => {
      settleRefusedHead();
      const next = expected.shift();
      if (next === undefined || !next.published || next.topic !== topic) {
        failure = new Error(
          `the broker delivered ${topic} out of the recording's order (expected line ${next?.line}): replay --via direct instead`,
        );
        wake?.();
        return;
      }
      engine.receive(
        next.line,
        next.t,
        topic,
        { kind: 'bytes', bytes: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength) },
        next.raw,
      );
      delivered += 1;
      lastDelivered = { line: next.line, t: next.t };
      if (++sinceCommit >= COMMIT_EVERY || options.speed !== 'max') {
        settleRefusedHead();
        // Commits run one after another (the engine chains them); a failed one ends the replay.
        engine.commit().catch((error: unknown) => {
          failure ??= error as Error;
          wake?.();
        });
        sinceCommit = 0;
        options.onProgress?.(lastDelivered);
      }
      wake?.();
    });
    await rulesEngine.subscribeAsync(processingRuleFilter(), { qos: 1 });

    const pace = pacer(options.speed);
    let published = 0;
    const waitUntil = async (done: () => boolean): Promise<void> => {
      while (!done() && failure === undefined)
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      wake = undefined;
      if (failure !== undefined) throw failure;
    };
    for await (const { line, text } of recordingLines(path)) {
      if (line <= engine.linesDone) continue;
      const decoded = decodeLine(line, text);
      await pace(decoded.t);
      if (decoded.kind === 'refused') {
        expected.push({
          published: false,
          line,
          t: decoded.t,
          topic: decoded.topic,
          reason: decoded.reason,
          raw: decoded.raw,
        });
        continue;
      }
      // A topic the contract does not know is refused here with the reason the pipeline would give:
      // publishing it would only end the connection (the policy grants data topics alone).
      const topic = parseDataTopic(decoded.topic);
      if (E.isLeft(topic)) {
        expected.push({
          published: false,
          line,
          t: decoded.t,
          topic: decoded.topic,
          reason: topic.left,
          raw: decoded.raw,
        });
        continue;
      }
      const bytes =
        decoded.body.kind === 'bytes'
          ? Buffer.from(decoded.body.bytes)
          : Buffer.from(JSON.stringify(decoded.body.payload) ?? 'null', 'utf8');
      expected.push({ published: true, line, t: decoded.t, topic: decoded.topic, raw: decoded.raw });
      published += 1;
      publisher.publish(decoded.topic, bytes, { qos: 1 });
      if (published - delivered >= MAX_IN_FLIGHT) await waitUntil(() => published - delivered < MAX_IN_FLIGHT / 2);
    }
    await waitUntil(() => delivered === published);
    settleRefusedHead();
    await engine.commit();
    if (lastDelivered !== undefined) options.onProgress?.(lastDelivered);
    if (refusals.length > 0) throw new Error(`the local broker refused the replay: ${refusals.slice(0, 3).join('; ')}`);
  } finally {
    await Promise.all([publisher?.endAsync(), rulesEngine?.endAsync()]);
    await broker?.close();
    if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
  }
};
