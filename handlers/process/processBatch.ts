// The process function's core: a Kinesis batch of IoT rule outputs → each machine's batch through the
// one processing core (handlers/machines/runMachineBatch.ts), in shard order. Its decisions, checkpoint
// and side effects are committed together; the side effects are sent from the commit by the dispatch
// function (the event table's stream), never from here, so a failure after the commit loses nothing.
// Readings go to the telemetry sink; bad input and readings refused as too late go to the dead
// letters with their reason and never fail the batch. Only a retryable failure (the store, the sink or
// the dead-letter queue unreachable) reports the record, so Lambda retries from there.
//
// Idempotency: a machine's checkpoint remembers the messages it decided (the dedup memory), so a
// redelivered record commits nothing. Its telemetry alone is written again, and a refused one is
// dead-lettered again: the sink and the queue may have failed after the commit.
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import {
  machineInputOf,
  redeliveredRefusedReason,
  type InputOutcome,
  type MachineInput,
} from '../../domain/pipeline/machineBatch.ts';
import { receiveWireMessage } from '../../domain/pipeline/receiveMessage.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry, type MachineEntry } from '../../domain/site/siteRegistry.ts';
import { processContext, withRisks, type ProcessContext } from '../machines/machineContext.ts';
import { telemetryRecordOf } from '../machines/machineOutputs.ts';
import { runMachineBatch, type CheckpointCache, type RetryOptions } from '../machines/runMachineBatch.ts';
import type { DeadLetter, DeadLetterQueue } from '../ports/deadLetterQueue.ts';
import { describeAppendError, type EventStore } from '../ports/eventStore.ts';
import type { TelemetryRecord, TelemetrySink } from '../ports/telemetrySink.ts';
import { decodeKinesisRecord, type KinesisStreamRecord } from './kinesisRecord.ts';

export { processContext, withRisks, type ProcessContext };

export type ProcessDeps = {
  readonly site: SiteConfig;
  readonly store: EventStore<MachineEvent>;
  readonly telemetry: TelemetrySink;
  readonly deadLetters: DeadLetterQueue;
  /** How far back (event time) a machine's checkpoint remembers decided ids (default 2 h). */
  readonly dedupHorizonMs?: number;
  readonly retry?: RetryOptions;
  /** Checkpoints kept between invocations of a warm container: a commit on one needs no read first. */
  readonly checkpoints?: CheckpointCache;
};

export type BatchFailure = { readonly sequenceNumber: string; readonly reason: string };

export type BatchStats = {
  records: number;
  accepted: number;
  duplicates: number;
  tooLate: number;
  deadLettered: number;
  telemetryWritten: number;
  telemetryRejected: number;
  commits: number;
  commitAttempts: number;
  decisions: number;
};

/** What became of each record, by sequence number: what the local replay counts (`factory replay --via lambda`). */
export type RecordOutcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'rejected'; readonly reason: string };

export type BatchOutcome = {
  readonly failures: readonly BatchFailure[];
  readonly stats: BatchStats;
  readonly outcomes: ReadonlyMap<string, RecordOutcome>;
};

type Received = {
  readonly record: KinesisStreamRecord;
  readonly input: Extract<MachineInput, { kind: 'message' | 'edgeAlert' }>;
  readonly topic: string;
  readonly payload: unknown;
};

const letterOf = (
  record: KinesisStreamRecord,
  reason: string,
  raw: { topic?: string; payload?: unknown; payloadB64?: string },
  receivedAt: number,
): DeadLetter => ({ source: 'process', reason, ...raw, receivedAt, recordId: record.kinesis.sequenceNumber });

export const processBatch = async (
  deps: ProcessDeps,
  context: ProcessContext,
  records: readonly KinesisStreamRecord[],
): Promise<BatchOutcome> => {
  const registry = siteRegistry(deps.site);
  const stats: BatchStats = {
    records: records.length,
    accepted: 0,
    duplicates: 0,
    tooLate: 0,
    deadLettered: 0,
    telemetryWritten: 0,
    telemetryRejected: 0,
    commits: 0,
    commitAttempts: 0,
    decisions: 0,
  };
  const failures: BatchFailure[] = [];
  const outcomes = new Map<string, RecordOutcome>();
  const letters: { letter: DeadLetter; record: KinesisStreamRecord }[] = [];
  const groups = new Map<string, { entry: MachineEntry; items: Received[] }>();
  const reject = (record: KinesisStreamRecord, letter: DeadLetter): void => {
    letters.push({ record, letter });
    outcomes.set(record.kinesis.sequenceNumber, { kind: 'rejected', reason: letter.reason });
  };

  for (const record of records) {
    const decoded = decodeKinesisRecord(record);
    if (E.isLeft(decoded)) {
      const { reason, ...raw } = decoded.left;
      reject(record, letterOf(record, reason, raw, Math.round(record.kinesis.approximateArrivalTimestamp * 1000)));
      continue;
    }
    const { topic, body, receivedAt } = decoded.right;
    const payload = body.kind === 'json' ? body.payload : undefined;
    const received = receiveWireMessage(deps.site, registry, topic, body);
    if (E.isLeft(received)) {
      reject(record, letterOf(record, received.left, { topic, payload }, receivedAt));
      continue;
    }
    const { machine } = received.right;
    const key = `${machine.factory}/${machine.line}/${machine.machine}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { entry: machine, items: [] }));
    group.items.push({ record, input: machineInputOf(received.right, receivedAt), topic, payload });
  }

  const fail = (items: readonly { record: KinesisStreamRecord }[], reason: string): void => {
    for (const { record } of items) failures.push({ sequenceNumber: record.kinesis.sequenceNumber, reason });
  };
  const telemetry: { record: TelemetryRecord; item: Received }[] = [];

  // Machines are independent streams, so they run side by side; within one, order is the shard's.
  await Promise.all(
    [...groups.values()].map(async ({ entry, items }) => {
      const runtime = context.machine(entry);
      let run: Awaited<ReturnType<typeof runMachineBatch>>;
      try {
        run = await runMachineBatch(
          deps.store,
          context,
          runtime,
          items.map((i) => i.input),
          { retry: deps.retry, dedupHorizonMs: deps.dedupHorizonMs, cache: deps.checkpoints },
        );
      } catch (error) {
        const what = (error as Error).name === 'RiskScorerError' ? 'the risk scorer failed' : 'the event store failed';
        fail(
          items,
          `${runtime.streamId}: ${what}: ${(error as Error).name}: ${(error as Error).message}; retried by Lambda`,
        );
        return;
      }
      if (E.isLeft(run)) {
        fail(
          items,
          `${runtime.streamId}: commit gave up after ${run.left.attempts} attempts: ${describeAppendError(run.left.last)}`,
        );
        return;
      }
      const { result, attempts, committed } = run.right;
      stats.commitAttempts += attempts;
      stats.commits += committed ? 1 : 0;
      stats.decisions += result.decisions.length;
      result.outcomes.forEach((outcome: InputOutcome, i) => {
        const item = items[i]!;
        const o = item.input.kind === 'message' ? item.input.observation : undefined;
        const sequenceNumber = item.record.kinesis.sequenceNumber;
        if (outcome.kind === 'tooLate') {
          stats.tooLate += 1;
          reject(
            item.record,
            letterOf(item.record, outcome.reason, { topic: item.topic, payload: item.payload }, item.input.receivedAt),
          );
          return;
        }
        if (outcome.kind === 'duplicate') {
          stats.duplicates += 1;
          outcomes.set(sequenceNumber, { kind: 'duplicate' });
          // Sent again: the queue may have failed after the commit that refused it.
          if (outcome.refused && o !== undefined) {
            letters.push({
              record: item.record,
              letter: letterOf(
                item.record,
                redeliveredRefusedReason(o.messageId, o.ts),
                { topic: item.topic, payload: item.payload },
                item.input.receivedAt,
              ),
            });
            return;
          }
        } else {
          stats.accepted += 1;
          outcomes.set(sequenceNumber, { kind: 'accepted' });
        }
        if (o?.kind === 'telemetry' && Object.keys(o.metrics).length > 0)
          telemetry.push({ record: telemetryRecordOf(entry, o), item });
      });
    }),
  );

  if (telemetry.length > 0) {
    const byId = new Map(telemetry.map((t) => [t.record.messageId, t.item]));
    const report = await deps.telemetry.write(telemetry.map((t) => t.record));
    stats.telemetryWritten += report.accepted;
    for (const rejected of report.rejected) {
      const item = byId.get(rejected.item.messageId)!;
      if (rejected.retryable) fail([item], rejected.reason);
      else {
        stats.telemetryRejected += 1;
        letters.push({
          record: item.record,
          letter: letterOf(
            item.record,
            rejected.reason,
            { topic: item.topic, payload: item.payload },
            item.input.receivedAt,
          ),
        });
      }
    }
  }

  if (letters.length > 0) {
    const sent = await deps.deadLetters.send(letters.map((l) => l.letter));
    stats.deadLettered += sent.accepted;
    for (const rejected of sent.rejected) {
      const l = letters.find((x) => x.letter === rejected.item);
      if (l !== undefined) fail([l], `dead letter not sent: ${rejected.reason}`);
    }
  }
  // One failure per record, and Lambda retries a shard from its lowest failed sequence number.
  const unique = new Map(failures.map((f) => [f.sequenceNumber, f]));
  return { failures: [...unique.values()], stats, outcomes };
};
