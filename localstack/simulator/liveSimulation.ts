// The simulated plant, live: the deterministic plant model (plantRecording.ts) published to a broker
// as the machines themselves would, one MQTT connection per machine with its own thing identity and
// certificate, paced by each message's receive time `t` at `speed` times real time; and/or written
// as a recording. A connection per machine (rather than one publisher) is what proves the
// per-machine IoT policy: each thing may publish only its own three topics.
import { setTimeout as sleep } from 'node:timers/promises';
import * as E from 'fp-ts/lib/Either.js';
import { authorize, machinePrincipal, machineThingName } from '../../domain/policy/iotPolicy.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry, type SiteRegistry } from '../../domain/site/siteRegistry.ts';
import { parseDataTopic } from '../../domain/wire/topic.ts';
import type { Faults } from './machineBehaviour.ts';
import { plantRecording, recordingText, type PlantOptions, type RecordedMessage } from './plantRecording.ts';
import { SAMPLE_OPTIONS } from './sampleRecording.ts';
import { openRecordingFile, type RecordingFile } from '../recorder/recordingFile.ts';
import { connectThing, type ThingConnection } from '../recorder/thingConnection.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
// Enough QoS 1 publishes in flight to keep TLS busy at --speed max, few enough to bound memory.
const MAX_IN_FLIGHT = 256;

export type Speed = 'max' | number;

/** Who sends a message: a machine thing, or nobody (with why), as the IoT policy decides. */
export type Route =
  { readonly kind: 'publish'; readonly thing: string } | { readonly kind: 'skip'; readonly reason: string };
export type PlannedMessage = { readonly message: RecordedMessage; readonly route: Route };
export type SimulationPlan = {
  readonly startMs: number;
  readonly endMs: number;
  /** The machine things that publish, one connection each. */
  readonly things: readonly string[];
  readonly messages: readonly PlannedMessage[];
};

/** The first `count` factories of the site (all when undefined). */
export const firstFactories = (site: SiteConfig, count: number | undefined): SiteConfig =>
  count === undefined ? site : { ...site, factories: site.factories.slice(0, count) };

const shift = (ms: number, by: number): number => ms + by;
const shiftSpan = <S extends { readonly from: number; readonly to: number }>(
  span: S | undefined,
  by: number,
): S | undefined => (span === undefined ? undefined : { ...span, from: shift(span.from, by), to: shift(span.to, by) });

/**
 * The sample's faults moved to the start's UTC day: a stuck sensor or a breakdown happens at the same
 * time of day on any simulated day, as the shift calendar does, so a live demo started today shows them.
 */
export const faultsOnDayOf = (
  startMs: number,
  faults: Readonly<Record<string, Faults>> = SAMPLE_OPTIONS.faults,
): Readonly<Record<string, Faults>> => {
  const by = Math.floor(startMs / DAY_MS) * DAY_MS - Math.floor(SAMPLE_OPTIONS.startMs / DAY_MS) * DAY_MS;
  return Object.fromEntries(
    Object.entries(faults).map(([key, f]): [string, Faults] => [
      key,
      {
        ...f,
        ...(f.toolWearOut === undefined ? {} : { toolWearOut: { failAt: shift(f.toolWearOut.failAt, by) } }),
        ...(f.stuckSensor === undefined ? {} : { stuckSensor: shiftSpan(f.stuckSensor, by) }),
        ...(f.silence === undefined ? {} : { silence: shiftSpan(f.silence, by) }),
        ...(f.pressureSpike === undefined ? {} : { pressureSpike: { at: shift(f.pressureSpike.at, by) } }),
        ...(f.counterResetAt === undefined ? {} : { counterResetAt: shift(f.counterResetAt, by) }),
        ...(f.lateBatch === undefined ? {} : { lateBatch: shiftSpan(f.lateBatch, by) }),
      },
    ]),
  );
};

/** The plant model's options for a live run: the sample's cadence, malformed messages and faults, over [start, start + duration). */
export const simulationOptions = (startMs: number, durationS: number, seed: number): PlantOptions => ({
  ...SAMPLE_OPTIONS,
  startMs,
  endMs: startMs + durationS * 1000,
  seed,
  faults: faultsOnDayOf(startMs),
});

const routeOf = (message: RecordedMessage, registry: SiteRegistry): Route => {
  if (message.raw !== undefined)
    return { kind: 'skip', reason: 'not an MQTT message (a malformed recording line); it is only written to --out' };
  const parsed = parseDataTopic(message.topic);
  const ref = E.isRight(parsed) ? parsed.right : undefined;
  if (ref === undefined || registry.machine(ref.factoryId, ref.lineId, ref.machineId) === undefined) {
    return {
      kind: 'skip',
      reason: `no machine of the site may publish to ${JSON.stringify(message.topic)}: the IoT policy would disconnect the device that tried (as IoT Core does); it is only written to --out`,
    };
  }
  const decision = authorize(machinePrincipal(ref), 'publish', message.topic);
  return decision.allowed
    ? { kind: 'publish', thing: machineThingName(ref) }
    : { kind: 'skip', reason: `${decision.reason}; it is only written to --out` };
};

const factoryOfTopic = (topic: string): string | undefined =>
  topic.startsWith('dt/') ? topic.split('/')[1] : undefined;

/**
 * Every message of the plant over the window, in receive order, with who publishes it. Messages the
 * model times after the window's end (network delay, a late batch, the malformed ones it places
 * minutes in) are left out, as are malformed ones addressed to factories not simulated.
 */
export const simulationPlan = (site: SiteConfig, options: PlantOptions): SimulationPlan => {
  const factories = new Set(site.factories.map((factory) => factory.id));
  const registry = siteRegistry(site);
  const messages = plantRecording(site, options)
    .filter((m) => m.t < options.endMs)
    .filter((m) => {
      const factory = factoryOfTopic(m.topic);
      return factory === undefined || factories.has(factory);
    })
    .map((message) => ({ message, route: routeOf(message, registry) }));
  const things = registry
    .machines()
    .map((m) => machineThingName({ factoryId: m.factory, lineId: m.line, machineId: m.machine }));
  return { startMs: options.startMs, endMs: options.endMs, things, messages };
};

export const payloadBytes = (message: RecordedMessage): Buffer =>
  message.payloadB64 !== undefined
    ? Buffer.from(message.payloadB64, 'base64')
    : Buffer.from(JSON.stringify(message.payload));

export type SimulationProgress = { readonly done: number; readonly total: number; readonly plantMs: number };

export type LiveSimulationOptions = {
  /** Publish to this broker; undefined: only write --out. */
  readonly url?: string;
  readonly certsDir: string;
  readonly speed: Speed;
  readonly out?: string;
  readonly signal?: AbortSignal;
  readonly onNote?: (note: string) => void;
  readonly onProgress?: (progress: SimulationProgress) => void;
};

export type SimulationResult = {
  readonly published: number;
  readonly skipped: number;
  readonly written: number;
  readonly interrupted: boolean;
};

const connectAll = async (
  url: string,
  certsDir: string,
  things: readonly string[],
): Promise<ReadonlyMap<string, ThingConnection>> => {
  const settled = await Promise.allSettled(things.map((thingName) => connectThing({ url, certsDir, thingName })));
  const connected = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(connected.map((c) => c.end()));
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  return new Map(things.map((thing, i) => [thing, connected[i]!]));
};

export const runLiveSimulation = async (
  plan: SimulationPlan,
  options: LiveSimulationOptions,
): Promise<SimulationResult> => {
  const file: RecordingFile | undefined =
    options.out === undefined ? undefined : await openRecordingFile(options.out, '--out');
  let connections: ReadonlyMap<string, ThingConnection> = new Map();
  try {
    if (options.url !== undefined) connections = await connectAll(options.url, options.certsDir, plan.things);
  } catch (error) {
    await file?.close();
    throw error;
  }
  // Any machine's connection ending stops the run: a device the broker threw out is a failed demo.
  const stop = new AbortController();
  let failure: string | undefined;
  const fail = (reason: string): void => {
    failure ??= reason;
    stop.abort();
  };
  for (const connection of connections.values()) void connection.lost.then(fail);
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted === true) stop.abort();

  const inFlight = new Set<Promise<unknown>>();
  const wallStart = performance.now();
  let published = 0;
  let skipped = 0;
  let written = 0;
  let done = 0;
  try {
    for (const { message, route } of plan.messages) {
      if (options.speed !== 'max') {
        const wait = wallStart + (message.t - plan.startMs) / options.speed - performance.now();
        if (wait > 1) await sleep(wait, undefined, { signal: stop.signal }).catch(() => undefined);
      }
      if (stop.signal.aborted) break;
      if (file !== undefined) {
        await file.write(recordingText([message]));
        written += 1;
      }
      if (options.url !== undefined) {
        const connection = route.kind === 'publish' ? connections.get(route.thing) : undefined;
        if (route.kind === 'skip' || connection === undefined) {
          skipped += 1;
          options.onNote?.(
            `skipped ${message.topic === '' ? 'a line without a topic' : message.topic} at ${new Date(message.t).toISOString()}: ${route.kind === 'skip' ? route.reason : 'no connection for its machine'}`,
          );
        } else {
          const sent = connection.client
            .publishAsync(message.topic, payloadBytes(message), { qos: 1 })
            .then(
              () => {
                published += 1;
              },
              (error: unknown) =>
                fail(
                  `publishing to ${message.topic} failed (${error instanceof Error ? error.message : String(error)})`,
                ),
            )
            .finally(() => inFlight.delete(sent));
          inFlight.add(sent);
          if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
        }
      }
      done += 1;
      options.onProgress?.({ done, total: plan.messages.length, plantMs: message.t });
    }
    await Promise.all(inFlight);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all([...connections.values()].map((c) => c.end()));
    await file?.close();
  }
  if (failure !== undefined) throw new Error(failure);
  return { published, skipped, written, interrupted: done < plan.messages.length };
};
