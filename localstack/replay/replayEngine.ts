// The local pipeline behind `factory replay`: each received message goes through the same core the
// Lambda handler runs (decode → enrich → convert → fold → alerts) and lands in the SQLite store,
// committed in batches together with how far the recording got (on a second thread: storeWriter.ts).
// A replay killed at any point and run again resumes after the last completed commit; a recording
// replayed twice changes nothing.
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
import { openStoreWriter } from './storeWriter.ts';

/** What a dead letter keeps of a message: the JSON as received, or its bytes in base64. */
export type RawMessage = { readonly payload?: unknown; readonly payloadB64?: string };

export type ReplayEngine = {
  /** Lines up to this one were committed by an earlier run of the same recording. */
  readonly linesDone: number;
  readonly receive: (line: number, t: number, topic: string, body: ReceivedBody, raw: RawMessage) => void;
  /** A line refused before it reached the pipeline (not JSON, no topic…), kept with its reason. */
  readonly reject: (line: number, t: number, topic: string, reason: string, raw: RawMessage) => void;
  /**
   * Queues everything received so far, with the recording's progress, as one transaction; it is
   * durable once a later read (counts, summary) or close returns. Throws if an earlier one failed.
   */
  readonly commit: () => void;
  /** Returns once every commit queued so far is durable; throws if one failed. */
  readonly flush: () => void;
  readonly counts: () => MessageCounts;
  /** The summary of everything in the store, every machine's window closed at the newest message. */
  readonly summary: () => ReplaySummary;
  /** Machine runtimes, for the dashboard's live view. */
  readonly machines: () => ReadonlyMap<string, MachineRuntime>;
  /** Waits for the queued commits and closes the writer's connection (before the store's own). */
  readonly close: () => void;
};

// The writer's statements, by index: a batch names them by position.
const INSERT_EVENT = 0;
const INSERT_TELEMETRY = 1;
const INSERT_ALERT = 2;
const INSERT_REJECTION = 3;
const INSERT_DEAD_LETTER = 4;
const UPSERT_SOURCE = 5;
const STATEMENTS = [
  'INSERT INTO events (stream_id, version, event) VALUES (?, ?, ?)',
  'INSERT OR IGNORE INTO telemetry (message_id, factory_id, line_id, machine_id, ts, measures) VALUES (?, ?, ?, ?, ?, ?)',
  `INSERT INTO alerts (alert_id, factory_id, line_id, machine_id, detector, status, at, message)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id) DO NOTHING`,
  'INSERT OR IGNORE INTO replay_rejections (source_id, line, topic, reason) VALUES (?, ?, ?, ?)',
  'INSERT INTO dead_letters (source, reason, topic, payload, payload_b64, received_at) VALUES (?, ?, ?, ?, ?, ?)',
  `INSERT INTO replay_sources (source_id, path, lines_done, received, accepted, rejected, duplicates)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (source_id) DO UPDATE SET path = excluded.path, lines_done = excluded.lines_done, received = excluded.received,
      accepted = excluded.accepted, rejected = excluded.rejected, duplicates = excluded.duplicates`,
];

export const openReplayEngine = (db: FactoryDb, site: SiteConfig, source: { readonly id: string; readonly path: string }, options: StreamOptions = {}): ReplayEngine => {
  ensureReplaySchema(db);
  const registry = siteRegistry(site);
  saveSiteConfig(db, site);

  const selectSource = db.prepare<[string], { lines_done: number; received: number; accepted: number; rejected: number; duplicates: number }>(
    'SELECT lines_done, received, accepted, rejected, duplicates FROM replay_sources WHERE source_id = ?');

  const machines = loadMachines(db, site, options);
  let opened = [...machines.values()].some((m) => m.state.decider.openedAt !== null);

  const stored = selectSource.get(source.id);
  const counters = { received: stored?.received ?? 0, accepted: stored?.accepted ?? 0, rejected: stored?.rejected ?? 0, duplicates: stored?.duplicates ?? 0 };
  let lastLine = stored?.lines_done ?? 0;
  // What the next commit writes, as plain rows per table rather than a closure per write: less to
  // allocate and keep alive until the commit, and cheap to copy to the writer's thread. Each table
  // keeps its own order (dead letters' ids too).
  const eventRows: [stream: string, version: number, json: string][] = [];
  const telemetryRows: [messageId: string, factory: string, line: string, machine: string, ts: number, measures: string][] = [];
  const alertRows: [alertId: string, factory: string, line: string, machine: string, detector: string, status: string, at: number, message: string][] = [];
  const rejectionRows: [sourceId: string, line: number, topic: string, reason: string][] = [];
  const deadLetterRows: [source: string, reason: string, topic: string, payload: string | null, payloadB64: string | null, receivedAt: number][] = [];
  // Opened once the machines are loaded from the store: the writer never writes under that read.
  const writer = openStoreWriter(db, STATEMENTS);

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
    rejectionRows.push([source.id, line, topic, reason]);
    deadLetterRows.push([`replay:${source.path}:${line}`, reason, topic, raw.payload === undefined ? null : JSON.stringify(raw.payload), raw.payloadB64 ?? null, t]);
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

  const commit = (): void => {
    // The batch is copied to the writer as it is posted, so the rows can be cleared right away.
    writer.write([
      [INSERT_EVENT, eventRows],
      [INSERT_TELEMETRY, telemetryRows],
      [INSERT_ALERT, alertRows],
      [INSERT_REJECTION, rejectionRows],
      [INSERT_DEAD_LETTER, deadLetterRows],
      [UPSERT_SOURCE, [[source.id, source.path, lastLine, counters.received, counters.accepted, counters.rejected, counters.duplicates]]],
    ]);
    eventRows.length = 0;
    telemetryRows.length = 0;
    alertRows.length = 0;
    rejectionRows.length = 0;
    deadLetterRows.length = 0;
  };

  // Whatever reads the store waits for the commits queued before it.
  const summary = (): ReplaySummary => {
    writer.flush();
    return summarizeStore(db, machines);
  };

  return {
    linesDone: stored?.lines_done ?? 0,
    receive,
    reject,
    commit,
    flush: writer.flush,
    counts: () => {
      writer.flush();
      return storeCounts(db);
    },
    summary,
    machines: () => machines,
    close: writer.close,
  };
};
