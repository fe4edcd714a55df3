// The local pipeline behind `factory replay --via direct|broker`: each received message goes through
// the one processing core the Lambda functions run (handlers/machines/runMachineBatch.ts), on the
// local store's adapters (localCloud.ts). Messages are queued per machine and committed in batches,
// each batch one SQLite transaction with the recording's progress in it, so a replay killed at any
// point and run again resumes after the last completed commit; a recording replayed twice changes
// nothing. After each commit the outbox is dispatched and due heartbeat timers fire.
import * as E from 'fp-ts/lib/Either.js';
import type { MachineInput } from '../../domain/pipeline/machineBatch.ts';
import type { StreamOptions } from '../../domain/pipeline/machineStreamConfig.ts';
import { receiveMessage, type ReceivedBody } from '../../domain/pipeline/receiveMessage.ts';
import type { MessageCounts, ReplaySummary } from '../../domain/pipeline/replaySummary.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import { telemetryRecordOf } from '../../handlers/machines/machineOutputs.ts';
import { runMachineBatch } from '../../handlers/machines/runMachineBatch.ts';
import type { TelemetryRecord } from '../../handlers/ports/telemetrySink.ts';
import { describeAppendError } from '../../handlers/ports/eventStore.ts';
import type { FactoryDb } from '../store/schema.ts';
import { openLocalCloud } from './localCloud.ts';
import { ensureReplaySchema, saveSiteConfig } from './replaySchema.ts';
import { isAlertEvent, loadMachines, storeCounts, storeReader, streamIdOf, summarizeStore, type MachineRuntime } from './storeReadModel.ts';

/** What a dead letter keeps of a message: the JSON as received, or its bytes in base64. */
export type RawMessage = { readonly payload?: unknown; readonly payloadB64?: string };

export type ReplayEngine = {
  /** Lines up to this one were committed by an earlier run of the same recording. */
  readonly linesDone: number;
  readonly receive: (line: number, t: number, topic: string, body: ReceivedBody, raw: RawMessage) => void;
  /** A line refused before it reached the pipeline (not JSON, no topic…), kept with its reason. */
  readonly reject: (line: number, t: number, topic: string, reason: string, raw: RawMessage) => void;
  /** Commits everything received so far, with the recording's progress, as one transaction; then dispatches and fires due timers. */
  readonly commit: () => Promise<void>;
  readonly counts: () => MessageCounts;
  /** The summary of everything in the store, every machine's window closed at the newest message. */
  readonly summary: () => ReplaySummary;
  /** Machines as the store holds them, for the dashboard's live view. */
  readonly machines: () => ReadonlyMap<string, MachineRuntime>;
  readonly close: () => void;
};

type Queued = { readonly line: number; readonly t: number; readonly topic: string; readonly raw: RawMessage };

export const openReplayEngine = (db: FactoryDb, site: SiteConfig, source: { readonly id: string; readonly path: string }, options: StreamOptions = {}): ReplayEngine => {
  ensureReplaySchema(db);
  saveSiteConfig(db, site);
  const registry = siteRegistry(site);
  const cloud = openLocalCloud(db, site, options);
  const machines = loadMachines(db, site, options);
  const reader = storeReader(db);
  let opened = [...machines.values()].some((m) => m.position > 0);

  const selectSource = db.prepare<[string], { lines_done: number; received: number; accepted: number; rejected: number; duplicates: number }>(
    'SELECT lines_done, received, accepted, rejected, duplicates FROM replay_sources WHERE source_id = ?');
  const insertRejection = db.prepare('INSERT OR IGNORE INTO replay_rejections (source_id, line, topic, reason) VALUES (?, ?, ?, ?)');
  const insertDeadLetter = db.prepare('INSERT INTO dead_letters (source, reason, topic, payload, payload_b64, received_at) VALUES (?, ?, ?, ?, ?, ?)');
  const upsertSource = db.prepare(`INSERT INTO replay_sources (source_id, path, lines_done, received, accepted, rejected, duplicates)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (source_id) DO UPDATE SET path = excluded.path, lines_done = excluded.lines_done, received = excluded.received,
      accepted = excluded.accepted, rejected = excluded.rejected, duplicates = excluded.duplicates`);

  const stored = selectSource.get(source.id);
  const counters = { received: stored?.received ?? 0, accepted: stored?.accepted ?? 0, rejected: stored?.rejected ?? 0, duplicates: stored?.duplicates ?? 0 };
  let lastLine = stored?.lines_done ?? 0;
  let lastT = -Infinity;
  let queued = new Map<string, { runtime: MachineRuntime; inputs: MachineInput[]; meta: (Queued | undefined)[] }>();
  let refused: { line: number; t: number; topic: string; reason: string; raw: RawMessage }[] = [];
  let committing: Promise<void> = Promise.resolve();

  const enqueue = (runtime: MachineRuntime, input: MachineInput, meta: Queued | undefined): void => {
    let q = queued.get(runtime.key);
    if (q === undefined) queued.set(runtime.key, (q = { runtime, inputs: [], meta: [] }));
    q.inputs.push(input);
    q.meta.push(meta);
  };

  const reject = (line: number, t: number, topic: string, reason: string, raw: RawMessage): void => {
    refused.push({ line, t, topic, reason, raw });
    lastLine = Math.max(lastLine, line);
  };

  const receive = (line: number, t: number, topic: string, body: ReceivedBody, raw: RawMessage): void => {
    const received = receiveMessage(site, registry, topic, body);
    if (E.isLeft(received)) return reject(line, t, topic, received.left, raw);
    const { machine, observation } = received.right;
    if (!opened) {
      // The replay's window opens with its first reading, for every machine of the site: a machine
      // that stays silent shows a data gap, not an empty row. Never later than its receipt: a first
      // reading from a clock running ahead must not open every machine's window in the future.
      for (const other of machines.values()) enqueue(other, { kind: 'open', ts: Math.min(observation.ts, t) }, undefined);
      opened = true;
    }
    enqueue(machines.get(streamIdOf(machine))!, { kind: 'message', observation, receivedAt: t }, { line, t, topic, raw });
    lastLine = Math.max(lastLine, line);
    lastT = Math.max(lastT, t);
  };

  const writeBatch = async (batch: typeof queued, refusals: typeof refused): Promise<void> => {
    const telemetry: TelemetryRecord[] = [];
    const refuse = (r: { line: number; t: number; topic: string; reason: string; raw: RawMessage }): void => {
      counters.received += 1;
      counters.rejected += 1;
      insertRejection.run(source.id, r.line, r.topic, r.reason);
      insertDeadLetter.run(`replay:${source.path}:${r.line}`, r.reason, r.topic, r.raw.payload === undefined ? null : JSON.stringify(r.raw.payload), r.raw.payloadB64 ?? null, r.t);
    };
    for (const r of refusals) refuse(r);
    for (const { runtime, inputs, meta } of batch.values()) {
      const run = await runMachineBatch(cloud.store, cloud.context, runtime.processor, inputs, { cache: cloud.checkpoints });
      if (E.isLeft(run)) throw new Error(`${runtime.key}: ${describeAppendError(run.left.last)}`);
      const { result, position } = run.right;
      result.outcomes.forEach((outcome, i) => {
        const m = meta[i];
        if (m === undefined) return;
        if (outcome.kind === 'tooLate') return refuse({ ...m, reason: outcome.reason });
        counters.received += 1;
        if (outcome.kind === 'duplicate') counters.duplicates += 1;
        else counters.accepted += 1;
      });
      for (const reading of result.telemetry) if (Object.keys(reading.metrics).length > 0) telemetry.push(telemetryRecordOf(runtime.entry, reading));
      runtime.checkpoint = result.checkpoint;
      runtime.position = position;
      for (const event of result.decisions) if (isAlertEvent(event)) runtime.alertEvents.push(event);
    }
    const written = await cloud.telemetry.write(telemetry);
    if (written.rejected.length > 0) throw new Error(`the local telemetry store refused readings: ${written.rejected[0]!.reason}`);
    upsertSource.run(source.id, source.path, lastLine, counters.received, counters.accepted, counters.rejected, counters.duplicates);
  };

  const commitNow = async (): Promise<void> => {
    const batch = queued;
    const refusals = refused;
    queued = new Map();
    refused = [];
    const before = { ...counters };
    db.exec('BEGIN IMMEDIATE');
    try {
      await writeBatch(batch, refusals);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      // What this process holds in memory of the batch is gone with it.
      cloud.checkpoints.clear();
      Object.assign(counters, before);
      throw error;
    }
    await cloud.dispatch();
    if (Number.isFinite(lastT)) {
      for (const key of await cloud.fireDueTimers(lastT)) {
        const runtime = machines.get(key);
        if (runtime !== undefined) reader.refresh(runtime);
      }
      await cloud.dispatch();
    }
  };

  return {
    linesDone: stored?.lines_done ?? 0,
    receive,
    reject,
    commit: () => (committing = committing.then(commitNow)),
    counts: () => storeCounts(db),
    summary: () => summarizeStore(db, machines),
    machines: () => machines,
    close: () => undefined,
  };
};
