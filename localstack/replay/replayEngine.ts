// The local pipeline behind `factory replay`: messages in recording order, committed in batches through
// the one processing core the Lambda functions run. `--via direct` and `--via broker` hand each
// machine's messages to the core (handlers/machines/runMachineBatch.ts) on the local store's adapters;
// `--via lambda` (lambdaReplay.ts) hands Kinesis records to the process function. All keep the same
// books (replayLedger.ts) and read the same summary from the store.
import * as E from 'fp-ts/lib/Either.js';
import {
  inputTs,
  machineInputOf,
  redeliveredRefusedReason,
  type MachineInput,
} from '../../domain/pipeline/machineBatch.ts';
import type { StreamOptions } from '../../domain/pipeline/machineStreamConfig.ts';
import { receiveWireMessage, type ReceivedBody } from '../../domain/pipeline/receiveMessage.ts';
import type { MessageCounts, ReplaySummary } from '../../domain/pipeline/replaySummary.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import { streamIdOf, telemetryRecordOf } from '../../handlers/machines/machineOutputs.ts';
import { runMachineBatch } from '../../handlers/machines/runMachineBatch.ts';
import { describeAppendError } from '../../handlers/ports/eventStore.ts';
import type { TelemetryRecord } from '../../handlers/ports/telemetrySink.ts';
import type { FactoryDb } from '../store/schema.ts';
import { openLocalCloud, type LocalCloud } from './localCloud.ts';
import { openReplayLedger, type RawMessage, type ReplayLedger } from './replayLedger.ts';
import { ensureReplaySchema, saveSiteConfig } from './replaySchema.ts';
import {
  keepDecision,
  loadMachines,
  storeCounts,
  storeReader,
  summarizeStore,
  type StoredMachine,
} from './storeReadModel.ts';

export type { RawMessage };

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
  readonly machines: () => ReadonlyMap<string, StoredMachine>;
};

/** What every path shares: the store's machines, the local cloud and the books, opened on one store. */
export type ReplayBase = {
  readonly cloud: LocalCloud;
  readonly machines: Map<string, StoredMachine>;
  readonly ledger: ReplayLedger;
  readonly opened: boolean;
};

export const openReplayBase = (
  db: FactoryDb,
  site: SiteConfig,
  source: { readonly id: string; readonly path: string },
  options: StreamOptions,
): ReplayBase => {
  ensureReplaySchema(db);
  saveSiteConfig(db, site);
  const cloud = openLocalCloud(db, site, options);
  const machines = loadMachines(db, site, options);
  return {
    cloud,
    machines,
    ledger: openReplayLedger(db, cloud, machines, source),
    opened: [...machines.values()].some((m) => m.position > 0),
  };
};

/** The engine's reads, the same for every path. */
export const engineReads = (db: FactoryDb, machines: ReadonlyMap<string, StoredMachine>) => {
  const reader = storeReader(db);
  return {
    counts: (): MessageCounts => storeCounts(db),
    summary: (): ReplaySummary => summarizeStore(db, machines),
    machines: (): ReadonlyMap<string, StoredMachine> => machines,
    /** Brings a machine up to what the store holds (after writes made through the ports). */
    refresh: (runtime: StoredMachine): boolean => reader.refresh(runtime),
  };
};

type Queued = { readonly line: number; readonly t: number; readonly topic: string; readonly raw: RawMessage };

export const openReplayEngine = (
  db: FactoryDb,
  site: SiteConfig,
  source: { readonly id: string; readonly path: string },
  options: StreamOptions = {},
): ReplayEngine => {
  const { cloud, machines, ledger, opened: alreadyOpened } = openReplayBase(db, site, source, options);
  const registry = siteRegistry(site);
  const reader = storeReader(db);
  let opened = alreadyOpened;
  let queued = new Map<string, { runtime: StoredMachine; inputs: MachineInput[]; meta: (Queued | undefined)[] }>();
  let refused: Parameters<ReplayLedger['refused']>[0][] = [];

  const enqueue = (runtime: StoredMachine, input: MachineInput, meta: Queued | undefined): void => {
    let q = queued.get(runtime.key);
    if (q === undefined) queued.set(runtime.key, (q = { runtime, inputs: [], meta: [] }));
    q.inputs.push(input);
    q.meta.push(meta);
  };

  const reject = (line: number, t: number, topic: string, reason: string, raw: RawMessage): void => {
    refused.push({ line, t, topic, reason, raw });
    ledger.saw(line, t);
  };

  const receive = (line: number, t: number, topic: string, body: ReceivedBody, raw: RawMessage): void => {
    const received = receiveWireMessage(site, registry, topic, body);
    if (E.isLeft(received)) return reject(line, t, topic, received.left, raw);
    const { machine } = received.right;
    const input = machineInputOf(received.right, t);
    if (!opened) {
      // The replay's window opens with its first reading, for every machine of the site: a machine
      // that stays silent shows a data gap, not an empty row. Never later than its receipt: a first
      // reading from a clock running ahead must not open every machine's window in the future.
      for (const other of machines.values())
        enqueue(other, { kind: 'open', ts: Math.min(inputTs(input), t) }, undefined);
      opened = true;
    }
    enqueue(machines.get(streamIdOf(machine))!, input, { line, t, topic, raw });
    ledger.saw(line, t);
  };

  const write = async (batch: typeof queued, refusals: typeof refused): Promise<void> => {
    for (const r of refusals) ledger.refused(r);
    const telemetry: TelemetryRecord[] = [];
    for (const { runtime, inputs, meta } of batch.values()) {
      const run = await runMachineBatch(cloud.store, cloud.context, runtime.processor, inputs, {
        cache: cloud.checkpoints,
      });
      if (E.isLeft(run)) throw new Error(`${runtime.key}: ${describeAppendError(run.left.last)}`);
      const { result, position } = run.right;
      result.outcomes.forEach((outcome, i) => {
        const m = meta[i];
        if (m === undefined) return;
        if (outcome.kind === 'tooLate') return ledger.refused({ ...m, reason: outcome.reason });
        if (outcome.kind !== 'duplicate') return ledger.accepted();
        ledger.duplicate();
        // As the process function does: the redelivery of a refused message is kept again.
        const input = inputs[i]!;
        if (outcome.refused && input.kind === 'message')
          ledger.deadLetter({
            ...m,
            reason: redeliveredRefusedReason(input.observation.messageId, input.observation.ts),
          });
      });
      for (const reading of result.telemetry)
        if (Object.keys(reading.metrics).length > 0) telemetry.push(telemetryRecordOf(runtime.entry, reading));
      // Another writer committed in between (an operator classifying a stop): read what it added too.
      if (position > runtime.position + 1) reader.refresh(runtime);
      else {
        runtime.checkpoint = result.checkpoint;
        runtime.position = position;
        for (const event of result.decisions) keepDecision(runtime, event);
      }
    }
    const written = await cloud.telemetry.write(telemetry);
    if (written.rejected.length > 0)
      throw new Error(`the local telemetry store refused readings: ${written.rejected[0]!.reason}`);
  };

  return {
    linesDone: ledger.linesDone,
    receive,
    reject,
    commit: () => {
      const batch = queued;
      const refusals = refused;
      queued = new Map();
      refused = [];
      return ledger.commit(() => write(batch, refusals));
    },
    ...engineReads(db, machines),
  };
};
