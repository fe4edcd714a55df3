// `factory replay --via lambda`: the recording through the cloud's own path. Each message goes
// through the topic rule (factory_telemetry_to_kinesis, evaluated by the local rules engine) into a
// Kinesis record, partition key = machine, sequence number = recording line; the records are handed
// to the process function's core in batches of the stack's processBatchSize, as the event source
// mapping invokes it, and a batch that reports failures is handed again from the first failed record
// (partial batch response). Heartbeat timers fire through the timer function, side effects through
// the dispatch function's core. Its summary equals `--via direct` byte for byte (replay.paths.test.ts).
import * as E from 'fp-ts/lib/Either.js';
import type { StreamOptions } from '../../domain/pipeline/machineStreamConfig.ts';
import { inputTs, machineInputOf } from '../../domain/pipeline/machineBatch.ts';
import { receiveWireMessage, type ReceivedBody } from '../../domain/pipeline/receiveMessage.ts';
import { compileRule, evaluateRule } from '../../domain/rules/topicRule.ts';
import { TOPIC_RULES } from '../../domain/rules/topicRules.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import type { KinesisStreamRecord } from '../../handlers/process/kinesisRecord.ts';
import { processBatch } from '../../handlers/process/processBatch.ts';
import { handleTimer } from '../../handlers/timer/handleTimer.ts';
import type { FactoryDb } from '../store/schema.ts';
import { engineReads, openReplayBase, type RawMessage, type ReplayEngine } from './replayEngine.ts';

/** The stack's default (infra/config.ts `processBatchSize`). */
export const DEFAULT_PROCESS_BATCH_SIZE = 1000;
/** Invocations of one batch before the replay gives up, as an event source mapping's MaximumRetryAttempts would. */
const MAX_INVOCATIONS = 5;

const kinesisRule = (() => {
  const definition = TOPIC_RULES.find((r) => r.target === 'kinesis');
  const compiled = definition === undefined ? undefined : compileRule(definition.sql);
  if (compiled === undefined || E.isLeft(compiled))
    throw new Error('the shared topic rules have no Kinesis rule that compiles: see domain/rules/topicRules.ts');
  return compiled.right;
})();

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The payload the rule would see: JSON as published; bytes only when they are a JSON object within IoT Core's size limit. */
const publishedJson = (body: ReceivedBody): unknown => {
  if (body.kind === 'json') return body.payload;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body.bytes)) as unknown;
  } catch {
    return undefined;
  }
};

type Sent = { readonly line: number; readonly t: number; readonly topic: string; readonly raw: RawMessage };

export const openLambdaReplayEngine = (
  db: FactoryDb,
  site: SiteConfig,
  source: { readonly id: string; readonly path: string },
  options: StreamOptions = {},
  batchSize = DEFAULT_PROCESS_BATCH_SIZE,
): ReplayEngine => {
  const { cloud, machines, ledger, opened: alreadyOpened } = openReplayBase(db, site, source, options);
  const registry = siteRegistry(site);
  const deps = {
    site,
    store: cloud.store,
    telemetry: cloud.telemetry,
    deadLetters: cloud.deadLetters,
    checkpoints: cloud.checkpoints,
  };
  let opened = alreadyOpened;
  let openAt: number | undefined;
  let records: KinesisStreamRecord[] = [];
  const sent = new Map<string, Sent>();
  let refused: Parameters<typeof ledger.refused>[0][] = [];

  const reject = (line: number, t: number, topic: string, reason: string, raw: RawMessage): void => {
    refused.push({ line, t, topic, reason, raw });
    ledger.saw(line, t);
  };

  const receive = (line: number, t: number, topic: string, body: ReceivedBody, raw: RawMessage): void => {
    // What the pipeline would refuse anyway, and what never reaches Kinesis (the rule takes JSON objects
    // on data topics only), is refused here with the pipeline's own reason.
    const received = receiveWireMessage(site, registry, topic, body);
    const payload = publishedJson(body);
    const output = isObject(payload)
      ? evaluateRule(kinesisRule, {
          topic,
          payload,
          clientId: 'factory-replayer',
          timestampMs: t,
          newUuid: () => '00000000-0000-4000-8000-000000000000',
        })
      : null;
    if (output === null)
      return reject(
        line,
        t,
        topic,
        E.isLeft(received) ? received.left : `the rule ${kinesisRule.statement.from} did not forward the message`,
        raw,
      );
    if (!opened && E.isRight(received)) {
      openAt = Math.min(inputTs(machineInputOf(received.right, t)), t);
      opened = true;
    }
    const sequenceNumber = String(line).padStart(21, '0');
    const [, factoryId, lineId, machineId] = topic.split('/');
    records.push({
      kinesis: {
        partitionKey: `${factoryId}/${lineId}/${machineId}`,
        sequenceNumber,
        data: Buffer.from(output instanceof Uint8Array ? output : JSON.stringify(output)).toString('base64'),
        approximateArrivalTimestamp: t / 1000,
      },
      eventSource: 'aws:kinesis',
      eventName: 'aws:kinesis:record',
    });
    sent.set(sequenceNumber, { line, t, topic, raw });
    ledger.saw(line, t);
  };

  /** One batch as the event source mapping delivers it: retried from the first failed record on. */
  const invoke = async (batch: readonly KinesisStreamRecord[]): Promise<void> => {
    let pending = batch;
    for (let invocation = 1; pending.length > 0; invocation++) {
      const outcome = await processBatch(deps, cloud.context, pending);
      for (const [sequenceNumber, result] of outcome.outcomes) {
        if (outcome.failures.some((f) => f.sequenceNumber <= sequenceNumber)) continue;
        const line = sent.get(sequenceNumber)!;
        if (result.kind === 'rejected') ledger.refused({ ...line, reason: result.reason }, false);
        else if (result.kind === 'duplicate') ledger.duplicate();
        else ledger.accepted();
      }
      if (outcome.failures.length === 0) return;
      if (invocation === MAX_INVOCATIONS)
        throw new Error(
          `the process function failed ${MAX_INVOCATIONS} times on one batch: ${outcome.failures[0]!.reason}`,
        );
      const first = outcome.failures.map((f) => f.sequenceNumber).sort()[0]!;
      pending = pending.filter((r) => r.kinesis.sequenceNumber >= first);
    }
  };

  const write = async (
    batch: readonly KinesisStreamRecord[],
    refusals: typeof refused,
    open: number | undefined,
  ): Promise<void> => {
    for (const r of refusals) ledger.refused(r);
    if (open !== undefined) {
      for (const runtime of machines.values()) {
        const fired = await handleTimer({ site, store: cloud.store, checkpoints: cloud.checkpoints }, cloud.context, {
          machineKey: runtime.key,
          kind: 'open',
          fireAt: open,
        });
        if (E.isLeft(fired)) throw new Error(fired.left);
      }
    }
    for (let i = 0; i < batch.length; i += batchSize) await invoke(batch.slice(i, i + batchSize));
  };

  const reads = engineReads(db, machines);
  return {
    linesDone: ledger.linesDone,
    receive,
    reject,
    commit: () => {
      const batch = records;
      const refusals = refused;
      const open = openAt;
      records = [];
      refused = [];
      openAt = undefined;
      return ledger
        .commit(() => write(batch, refusals, open))
        .then(() => {
          for (const r of batch) sent.delete(r.kinesis.sequenceNumber);
          // The process function wrote through the store: the read model catches up from it.
          for (const runtime of machines.values()) reads.refresh(runtime);
        });
    },
    counts: reads.counts,
    summary: reads.summary,
    machines: reads.machines,
  };
};
