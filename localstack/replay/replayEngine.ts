// The local pipeline behind `factory replay`: each received message goes through the same core the
// Lambda handler runs (decode → enrich → convert → fold → alerts) and lands in the SQLite store,
// committed in batches together with how far the recording got. A replay killed at any point and
// run again resumes after the last commit; a recording replayed twice changes nothing.
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { evolveOee } from '../../domain/oee/oeeProjection.ts';
import type { MachineStream } from '../../domain/pipeline/machineStream.ts';
import type { StreamOptions } from '../../domain/pipeline/machineStreamConfig.ts';
import { receiveMessage, type ReceivedBody } from '../../domain/pipeline/receiveMessage.ts';
import type { MessageCounts, ReplaySummary } from '../../domain/pipeline/replaySummary.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import type { FactoryDb } from '../store/schema.ts';
import { ensureReplaySchema, saveSiteConfig } from './replaySchema.ts';
import { isAlertEvent, loadMachines, storeCounts, streamIdOf, summarizeStore, type MachineRuntime } from './storeReadModel.ts';

/** What a dead letter keeps of a message: the JSON as received, or its bytes in base64. */
export type RawMessage = { readonly payload?: unknown; readonly payloadB64?: string };

export type ReplayEngine = {
  /** Lines up to this one were committed by an earlier run of the same recording. */
  readonly linesDone: number;
  readonly receive: (line: number, t: number, topic: string, body: ReceivedBody, raw: RawMessage) => void;
  /** A line refused before it reached the pipeline (not JSON, no topic…), kept with its reason. */
  readonly reject: (line: number, t: number, topic: string, reason: string, raw: RawMessage) => void;
  /** Makes everything received so far durable, with the recording's progress, in one transaction. */
  readonly commit: () => void;
  readonly counts: () => MessageCounts;
  /** The summary of everything in the store, every machine's window closed at the newest message. */
  readonly summary: () => ReplaySummary;
  /** Machine runtimes, for the dashboard's live view. */
  readonly machines: () => ReadonlyMap<string, MachineRuntime>;
};

export const openReplayEngine = (db: FactoryDb, site: SiteConfig, source: { readonly id: string; readonly path: string }, options: StreamOptions = {}): ReplayEngine => {
  ensureReplaySchema(db);
  const registry = siteRegistry(site);
  saveSiteConfig(db, site);

  const insertEvent = db.prepare('INSERT INTO events (stream_id, version, event) VALUES (?, ?, ?)');
  const insertTelemetry = db.prepare('INSERT OR IGNORE INTO telemetry (message_id, factory_id, line_id, machine_id, ts, measures) VALUES (?, ?, ?, ?, ?, ?)');
  const insertAlert = db.prepare(`INSERT INTO alerts (alert_id, factory_id, line_id, machine_id, detector, status, at, message)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id) DO NOTHING`);
  const insertDeadLetter = db.prepare('INSERT INTO dead_letters (source, reason, topic, payload, payload_b64, received_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insertRejection = db.prepare('INSERT OR IGNORE INTO replay_rejections (source_id, line, topic, reason) VALUES (?, ?, ?, ?)');
  const upsertSource = db.prepare(`INSERT INTO replay_sources (source_id, path, lines_done, received, accepted, rejected, duplicates)
    VALUES (@id, @path, @linesDone, @received, @accepted, @rejected, @duplicates)
    ON CONFLICT (source_id) DO UPDATE SET path = excluded.path, lines_done = excluded.lines_done, received = excluded.received,
      accepted = excluded.accepted, rejected = excluded.rejected, duplicates = excluded.duplicates`);
  const selectSource = db.prepare<[string], { lines_done: number; received: number; accepted: number; rejected: number; duplicates: number }>(
    'SELECT lines_done, received, accepted, rejected, duplicates FROM replay_sources WHERE source_id = ?');

  const machines = loadMachines(db, site, options);
  let opened = [...machines.values()].some((m) => m.state.decider.openedAt !== null);

  const stored = selectSource.get(source.id);
  const counters = { received: stored?.received ?? 0, accepted: stored?.accepted ?? 0, rejected: stored?.rejected ?? 0, duplicates: stored?.duplicates ?? 0 };
  let lastLine = stored?.lines_done ?? 0;
  // What the next commit writes, as plain rows per table rather than a closure per write: less to
  // allocate and keep alive until the commit. Each table keeps its own order (dead letters' ids too).
  const eventRows: [stream: string, version: number, json: string][] = [];
  const telemetryRows: [messageId: string, factory: string, line: string, machine: string, ts: number, measures: string][] = [];
  const alertRows: [alertId: string, factory: string, line: string, machine: string, detector: string, status: string, at: number, message: string][] = [];
  const refusedRows: [line: number, t: number, topic: string, reason: string, raw: RawMessage][] = [];

  const append = (runtime: MachineRuntime, events: readonly MachineEvent[]): void => {
    const stepOee = evolveOee(runtime.config.oee);
    for (const event of events) {
      runtime.version += 1;
      eventRows.push([runtime.key, runtime.version, JSON.stringify(event)]);
      runtime.oee = stepOee(runtime.oee, event);
      if (isAlertEvent(event)) {
        runtime.alertEvents.push(event);
        const status = event.type === 'DetectorRaised' ? 'RAISED' : 'CLEARED';
        const { entry } = runtime;
        alertRows.push([`${runtime.key}|${event.detector}|${status}|${event.ts}`, entry.factory, entry.line, entry.machine, event.detector, status, event.ts, event.cause]);
      }
    }
  };

  const handle = (runtime: MachineRuntime, command: Parameters<MachineStream['handle']>[1]): readonly MachineEvent[] => {
    const { state, events } = runtime.stream.handle(runtime.state, command);
    runtime.state = state;
    append(runtime, events);
    return events;
  };

  const reject = (line: number, t: number, topic: string, reason: string, raw: RawMessage): void => {
    counters.received += 1;
    counters.rejected += 1;
    lastLine = Math.max(lastLine, line);
    refusedRows.push([line, t, topic, reason, raw]);
  };

  const receive = (line: number, t: number, topic: string, body: ReceivedBody, raw: RawMessage): void => {
    const received = receiveMessage(site, registry, topic, body);
    if (E.isLeft(received)) return reject(line, t, topic, received.left, raw);
    const { machine, observation } = received.right;
    const runtime = machines.get(streamIdOf(machine))!;
    if (runtime.acceptedIds.isDuplicate(observation.messageId, runtime.state.decider.newestTs ?? -Infinity)) {
      counters.received += 1;
      counters.duplicates += 1;
      lastLine = Math.max(lastLine, line);
      return;
    }
    if (!opened) {
      // The replay's window opens with its first reading, for every machine of the site: a machine
      // that stays silent shows a data gap, not an empty row. Never later than its receipt: a first
      // reading from a clock running ahead must not open every machine's window in the future.
      for (const other of machines.values()) handle(other, { kind: 'Open', ts: Math.min(observation.ts, t) });
      opened = true;
    }
    const events = handle(runtime, { kind: 'Observe', observation, receivedAt: t });
    const outcome = events[0];
    if (outcome?.type === 'ObservationTooLate') return reject(line, t, topic, outcome.reason, raw);
    counters.received += 1;
    lastLine = Math.max(lastLine, line);
    if (outcome?.type === 'ObservationDuplicate') {
      counters.duplicates += 1;
      return;
    }
    counters.accepted += 1;
    runtime.acceptedIds.add(observation.messageId, observation.ts, runtime.state.decider.newestTs ?? observation.ts);
    if (observation.kind === 'telemetry') {
      const { entry } = runtime;
      telemetryRows.push([observation.messageId, entry.factory, entry.line, entry.machine, observation.ts, JSON.stringify(observation.metrics)]);
    }
  };

  const commitTransaction = db.transaction(() => {
    for (const row of eventRows) insertEvent.run(row);
    for (const row of telemetryRows) insertTelemetry.run(row);
    for (const row of alertRows) insertAlert.run(row);
    for (const [line, t, topic, reason, raw] of refusedRows) {
      insertRejection.run(source.id, line, topic, reason);
      insertDeadLetter.run(`replay:${source.path}:${line}`, reason, topic, raw.payload === undefined ? null : JSON.stringify(raw.payload), raw.payloadB64 ?? null, t);
    }
    upsertSource.run({ id: source.id, path: source.path, linesDone: lastLine, ...counters });
  });

  const commit = (): void => {
    commitTransaction();
    eventRows.length = 0;
    telemetryRows.length = 0;
    alertRows.length = 0;
    refusedRows.length = 0;
  };

  const summary = (): ReplaySummary => summarizeStore(db, machines);

  return {
    linesDone: stored?.lines_done ?? 0,
    receive,
    reject,
    commit,
    counts: () => storeCounts(db),
    summary,
    machines: () => machines,
  };
};
