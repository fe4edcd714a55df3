// The process function's core: a Kinesis batch of IoT rule outputs → each machine's stream. Records
// of one machine are decided in shard order on the state loaded from the event store and appended at
// the version loaded (appendWithRetry: on a conflict, re-read and decide again). Bad input goes to
// the dead letters with its reason and never fails the batch; only a retryable failure (the store,
// the sink or the dead-letter queue unreachable) reports the record, so Lambda retries from there.
//
// Idempotency: the event store is the processed-id marker. A message id already decided by the
// stream (an ObservationAccepted or ObservationTooLate event, or the snapshot's recent ids) is skipped
// before the decider sees it, so a redelivered record appends nothing and sends nothing new. Its
// telemetry alone is written again: the sink stores a record once per message id, and rewriting it
// covers an invocation that appended but failed before its telemetry landed.
import * as E from 'fp-ts/lib/Either.js';
import { DEDUP_HORIZON_MS, dedupHorizonFor } from '../../domain/pipeline/dedupHorizon.ts';
import type { MachineEvent } from '../../domain/machine/events.ts';
import type { Observation } from '../../domain/machine/observation.ts';
import { foldOee } from '../../domain/oee/oeeProjection.ts';
import { machineStream } from '../../domain/pipeline/machineStream.ts';
import { streamConfigs, type StreamOptions } from '../../domain/pipeline/machineStreamConfig.ts';
import { receiveMessage } from '../../domain/pipeline/receiveMessage.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry, type MachineEntry } from '../../domain/site/siteRegistry.ts';
import { isPending } from '../../domain/machine/pendingObservations.ts';
import type { Alert, AlertPublisher } from '../ports/alertPublisher.ts';
import { appendWithRetry, type RetryOptions } from '../ports/appendWithRetry.ts';
import type { AssetPropertyValue, AssetPropertyWriter } from '../ports/assetPropertyWriter.ts';
import type { DeadLetter, DeadLetterQueue } from '../ports/deadLetterQueue.ts';
import { describeAppendError, type EventStore } from '../ports/eventStore.ts';
import type { TelemetryRecord, TelemetrySink } from '../ports/telemetrySink.ts';
import type { TimerScheduler } from '../ports/timerScheduler.ts';
import { decodeKinesisRecord, type KinesisStreamRecord } from './kinesisRecord.ts';
import { alertsOf, oeeRecordOf, settledUntil, siteWiseValuesOf, streamIdOf, telemetryRecordOf } from './machineOutputs.ts';
import type { ScoredRisks } from './scoredRisks.ts';
import { crossesSnapshot, foldStoredMachine, readStoredMachine, recordDecided, snapshotOf, type Decided, type LoadedMachine, type MachineRuntime } from './storedMachine.ts';

export type ProcessDeps = {
  readonly site: SiteConfig;
  readonly store: EventStore<MachineEvent>;
  readonly telemetry: TelemetrySink;
  /** The OEE table (Timestream `oee`, or an InfluxDB measurement); optional. */
  readonly oee?: TelemetrySink;
  readonly alerts: AlertPublisher;
  readonly assets: AssetPropertyWriter;
  readonly timers: TimerScheduler;
  readonly deadLetters: DeadLetterQueue;
  /** Write a snapshot every this many events (default 100). */
  readonly snapshotEvery?: number;
  /** How far back (event time) the snapshot remembers decided ids (default 2 h). */
  readonly dedupHorizonMs?: number;
  readonly retry?: RetryOptions;
  /** Failures after the append that are logged, not retried (the events are already stored). */
  readonly warn?: (message: string) => void;
};

export type BatchFailure = { readonly sequenceNumber: string; readonly reason: string };

export type BatchStats = {
  records: number; accepted: number; duplicates: number; tooLate: number; deadLettered: number;
  telemetryWritten: number; telemetryRejected: number; alertsPublished: number; appendAttempts: number; events: number;
};

export type BatchOutcome = { readonly failures: readonly BatchFailure[]; readonly stats: BatchStats };

/**
 * What is built once per site (at cold start): each machine's stream, and the failure risks scored
 * beforehand when a remote scorer (the SageMaker endpoint) answers instead of the bundled model.
 */
export type ProcessContext = { readonly machine: (entry: MachineEntry) => MachineRuntime; readonly risks?: ScoredRisks };

export const processContext = (site: SiteConfig, options: StreamOptions = {}, risks?: ScoredRisks): ProcessContext => {
  const configFor = streamConfigs(site, risks === undefined ? options : { ...options, scoreWith: risks.scoreWith });
  const cache = new Map<string, MachineRuntime>();
  return {
    machine: (entry) => {
      const streamId = streamIdOf(entry);
      let runtime = cache.get(streamId);
      if (runtime === undefined) {
        const config = configFor(entry);
        runtime = { streamId, config, stream: machineStream(config) };
        cache.set(streamId, runtime);
      }
      return runtime;
    },
    ...(risks === undefined ? {} : { risks }),
  };
};

/** Runs a machine's fold, with its failure risks scored beforehand where the context has a remote scorer. */
export const withRisks = <A>(context: ProcessContext, fold: () => A): Promise<A> =>
  context.risks === undefined ? Promise.resolve(fold()) : context.risks.scoreFor(fold);

type Received = { readonly record: KinesisStreamRecord; readonly observation: Observation; readonly receivedAt: number; readonly topic: string; readonly payload: unknown };
type Decision = { readonly events: MachineEvent[]; readonly loaded: LoadedMachine; readonly decided: Map<string, Decided>; readonly late: { item: Received; reason: string }[];
  readonly redelivered: Received[]; readonly accepted: Received[] };

/** Records decided per append: a DynamoDB transaction holds 99 events, and one record adds a few. */
const INITIAL_CHUNK = 25;

/** Decides a machine's received messages, in order, on a loaded stream: pure. */
const decideOn = (runtime: MachineRuntime, loaded: LoadedMachine, items: readonly Received[]): Decision => {
  let state = loaded.state;
  const decided = new Map(loaded.decided);
  const events: MachineEvent[] = [];
  const late: Decision['late'] = [];
  const redelivered: Received[] = [];
  const accepted: Received[] = [];
  const handle = (command: Parameters<typeof runtime.stream.handle>[1]): readonly MachineEvent[] => {
    const out = runtime.stream.handle(state, command);
    state = out.state;
    events.push(...out.events);
    return out.events;
  };
  for (const item of items) {
    const { messageId, ts } = item.observation;
    const known = decided.get(messageId);
    if (known !== undefined || isPending(state.decider.pending, messageId, ts)) {
      if (known?.late !== true) redelivered.push(item);
      continue;
    }
    if (state.decider.openedAt === null) handle({ kind: 'Open', ts });
    const out = handle({ kind: 'Observe', observation: item.observation });
    recordDecided(decided, out);
    const outcome = out[0];
    if (outcome?.type === 'ObservationTooLate') late.push({ item, reason: outcome.reason });
    else if (outcome?.type === 'ObservationAccepted') accepted.push(item);
  }
  return { events, loaded: { ...loaded, state, decided }, decided, late, redelivered, accepted };
};

export const processBatch = async (deps: ProcessDeps, context: ProcessContext, records: readonly KinesisStreamRecord[]): Promise<BatchOutcome> => {
  const registry = siteRegistry(deps.site);
  const { snapshotEvery = 100, dedupHorizonMs = DEDUP_HORIZON_MS, warn = () => undefined } = deps;
  const stats: BatchStats = { records: records.length, accepted: 0, duplicates: 0, tooLate: 0, deadLettered: 0, telemetryWritten: 0, telemetryRejected: 0, alertsPublished: 0, appendAttempts: 0, events: 0 };
  const failures: BatchFailure[] = [];
  const letters: { letter: DeadLetter; record: KinesisStreamRecord }[] = [];
  const groups = new Map<string, { entry: MachineEntry; items: Received[] }>();

  for (const record of records) {
    const decoded = decodeKinesisRecord(record);
    if (E.isLeft(decoded)) {
      const { reason, ...raw } = decoded.left;
      letters.push({ record, letter: { source: 'process', reason, ...raw, receivedAt: Math.round(record.kinesis.approximateArrivalTimestamp * 1000) } });
      continue;
    }
    const { topic, body, receivedAt } = decoded.right;
    const payload = body.kind === 'json' ? body.payload : undefined;
    const received = receiveMessage(deps.site, registry, topic, body);
    if (E.isLeft(received)) {
      letters.push({ record, letter: { source: 'process', reason: `${topic}: ${received.left}`, topic, payload, receivedAt } });
      continue;
    }
    const { machine, observation } = received.right;
    const key = streamIdOf(machine);
    const group = groups.get(key) ?? { entry: machine, items: [] };
    group.items.push({ record, observation, receivedAt, topic, payload });
    groups.set(key, group);
  }

  const fail = (items: readonly { record: KinesisStreamRecord }[], reason: string): void => {
    for (const { record } of items) failures.push({ sequenceNumber: record.kinesis.sequenceNumber, reason });
  };

  const telemetry: { record: TelemetryRecord; item: Received }[] = [];
  const alerts: Alert[] = [];
  const assetValues: AssetPropertyValue[] = [];
  const oeeRecords: TelemetryRecord[] = [];

  // Machines are independent streams, so they run side by side; within one, order is the shard's.
  await Promise.all([...groups.values()].map(async ({ entry, items }) => {
    const runtime = context.machine(entry);
    let chunkSize = INITIAL_CHUNK;
    for (let start = 0; start < items.length;) {
      const chunk = items.slice(start, start + chunkSize);
      let decision: Decision | undefined;
      // appendWithRetry re-reads on a conflict; the read it makes is this snapshot-based load.
      const view: EventStore<MachineEvent> = {
        readStream: async () => {
          const stored = await readStoredMachine(deps.store, runtime.streamId);
          decision = await withRisks(context, () => decideOn(runtime, foldStoredMachine(runtime, stored), chunk));
          return { events: [], currentVersion: decision.loaded.version };
        },
        appendToStream: (id, expected, events) => deps.store.appendToStream(id, expected, events),
        writeSnapshot: (id, version, state) => deps.store.writeSnapshot(id, version, state),
        readSnapshot: (id) => deps.store.readSnapshot(id),
      };
      let result: Awaited<ReturnType<typeof appendWithRetry<MachineEvent>>>;
      try {
        result = await appendWithRetry(view, runtime.streamId, () => decision!.events, deps.retry);
      } catch (error) {
        const what = (error as Error).name === 'RiskScorerError' ? 'the risk scorer failed' : 'the event store failed';
        fail(items.slice(start), `${runtime.streamId}: ${what}: ${(error as Error).name}: ${(error as Error).message}; retried by Lambda`);
        return;
      }
      if (E.isLeft(result)) {
        if (result.left.kind === 'AppendTooLarge' && chunkSize > 1) {
          chunkSize = Math.max(1, Math.floor(chunkSize / 2));
          continue;
        }
        const why = result.left.kind === 'RetriesExhausted' ? `gave up after ${result.left.attempts} attempts: ${describeAppendError(result.left.last)}` : describeAppendError(result.left);
        fail(items.slice(start), `${runtime.streamId}: append ${why}`);
        return;
      }
      start += chunk.length;
      const d = decision!;
      stats.appendAttempts += result.right.attempts;
      stats.events += result.right.appended;
      stats.accepted += d.accepted.length;
      stats.duplicates += chunk.length - d.accepted.length - d.late.length;
      stats.tooLate += d.late.length;
      for (const item of [...d.accepted, ...d.redelivered]) {
        const o = item.observation;
        if (o.kind === 'telemetry' && Object.keys(o.metrics).length > 0) telemetry.push({ record: telemetryRecordOf(entry, o), item });
      }
      for (const { item, reason } of d.late) letters.push({ record: item.record, letter: { source: 'process', reason: `${item.topic}: ${reason}`, topic: item.topic, payload: item.payload, receivedAt: item.receivedAt } });
      if (d.events.length === 0) continue;
      const oeeBefore = d.loaded.oee;
      const oeeAfter = foldOee(runtime.config.oee, d.events, oeeBefore);
      alerts.push(...alertsOf(entry, d.events));
      const settled = settledUntil(d.events);
      if (settled !== undefined) {
        assetValues.push(...siteWiseValuesOf(entry, oeeBefore, oeeAfter, settled));
        const oeeRecord = oeeRecordOf(entry, oeeAfter, settled, result.right.nextVersion);
        if (oeeRecord !== undefined) oeeRecords.push(oeeRecord);
      }
      const state = d.loaded.state;
      try {
        if (d.accepted.length > 0 && state.decider.newestTs !== null) {
          // The decider can call a heartbeat missed only once its watermark (clock − lateness) has
          // passed lastHeard + timeout, so the timer fires then, with that time as the clock.
          const fireAt = state.decider.newestTs + runtime.config.machine.heartbeatTimeoutMs + runtime.config.machine.allowedLatenessMs + 1000;
          await deps.timers.schedule({ machineKey: runtime.streamId, kind: 'heartbeat', fireAt, payload: { machineKey: runtime.streamId, lastHeardTs: state.decider.newestTs, fireAt } });
        }
        if (crossesSnapshot(d.loaded.version, result.right.nextVersion, snapshotEvery)) {
          await deps.store.writeSnapshot(runtime.streamId, result.right.nextVersion, snapshotOf(state, oeeAfter, d.decided, dedupHorizonFor(runtime.config.machine.allowedLatenessMs, dedupHorizonMs)));
        }
      } catch (error) {
        warn(`${runtime.streamId}: after the append at version ${result.right.nextVersion}: ${(error as Error).name}: ${(error as Error).message}`);
      }
    }
  }));

  if (telemetry.length > 0) {
    const byId = new Map(telemetry.map((t) => [t.record.messageId, t.item]));
    const report = await deps.telemetry.write(telemetry.map((t) => t.record));
    stats.telemetryWritten += report.accepted;
    for (const rejected of report.rejected) {
      const item = byId.get(rejected.item.messageId)!;
      if (rejected.retryable) fail([item], rejected.reason);
      else {
        stats.telemetryRejected += 1;
        letters.push({ record: item.record, letter: { source: 'process', reason: rejected.reason, topic: item.topic, payload: item.payload, receivedAt: item.receivedAt } });
      }
    }
  }
  const published = await deps.alerts.publish(alerts);
  stats.alertsPublished += published.accepted;
  const outputs = [...published.rejected.map((r) => r.reason), ...(await deps.assets.write(assetValues)).rejected.map((r) => r.reason),
    ...(deps.oee === undefined ? [] : (await deps.oee.write(oeeRecords)).rejected.map((r) => r.reason))];
  for (const reason of outputs) warn(reason);

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
  return { failures: [...unique.values()], stats };
};
