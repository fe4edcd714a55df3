// The edge gateway (docs/gateway-configuration.md): sources → wire messages checked by the domain codecs → edge
// detectors → durable buffer → uplink (uplink.ts: its own MQTT connection, or the Greengrass nucleus
// when it runs as a component). A reading counts as taken once its message is on disk; an edge
// alert is buffered after the reading that raised it, through the same buffer.
// Every rejection and every drop is counted and logged; nothing is lost silently.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { DetectorsState } from '../domain/detectors/runDetectors.ts';
import type { AlertEvent, Detector, DetectorInput } from '../domain/detectors/detector.ts';
import { machineKey } from '../domain/wire/topic.ts';
import { startBrokerForwarder } from './brokerForwarder.ts';
import { openEdgeAlertLog, type EdgeAlert } from './edgeAlertLog.ts';
import { alertOutbound } from './edgeAlertMessage.ts';
import { edgeDetectors, loadEdgeModel } from './edgeDetectors.ts';
import type { GatewayConfig, GatewayMachineConfig } from './gatewayConfig.ts';
import { emptyMemory, machineReadings, type MachineMemory, type Outbound } from './machineReadings.ts';
import type { Source, SourceEvent } from './source.ts';
import { greengrassIpcEndpoint } from './greengrassIpc.ts';
import { startGreengrassForwarder } from './greengrassForwarder.ts';
import { openStoreAndForwardBuffer, type BufferStats } from './storeAndForwardBuffer.ts';
import type { Uplink, UplinkEvent, UplinkStats } from './uplink.ts';

export type GatewayStatus = {
  readonly gatewayId: string;
  readonly at: string;
  /** Messages built from readings and stored in the buffer (duplicates of a stored id are not counted again). */
  readonly stored: number;
  readonly duplicates: number;
  readonly rejected: {
    readonly total: number;
    readonly byMachine: Readonly<Record<string, number>>;
    readonly last: readonly string[];
  };
  readonly buffer: BufferStats;
  /**
   * The uplink (`via`: `mqtt`, the gateway's own connection, or `greengrass`, the nucleus); `lastError`
   * says why messages are not going out (refused certificate, denied publish, refused IPC publish…).
   */
  readonly broker: UplinkStats;
  /** Alerts raised or cleared by this run, each also buffered as an `alert` message (every run's: `alerts.jsonl` in the buffer directory). */
  readonly alerts: number;
};

export type Gateway = { readonly status: () => GatewayStatus; readonly stop: () => Promise<void> };

export type GatewayOptions = {
  readonly now?: () => number;
  /** One JSON object per event (rejections, drops, connection changes): stderr in the CLI. */
  readonly log?: (entry: Record<string, unknown>) => void;
  /** How often status.json is rewritten in the buffer directory (the gateway's metrics: depth, age, drops). */
  readonly statusEveryMs?: number;
  /**
   * The process environment (process.env by default): when it holds the Greengrass nucleus's IPC
   * socket and token, the gateway runs as a component and publishes through the nucleus.
   */
  readonly environment?: Readonly<Record<string, string | undefined>>;
};

// The buffer's mark of how far the alert log has been copied into it (see storeAndForwardBuffer.ts).
const ALERTS_MARK = 'alerts';

/** Each protocol's client is loaded only when a machine uses it (node-opcua alone takes a second to load). */
export const sourceFor = async (machine: GatewayMachineConfig, now: () => number): Promise<Source> => {
  switch (machine.source.kind) {
    case 'opcua': {
      const { opcuaSource } = await import('./opcuaSource.ts');
      return opcuaSource(machine as Parameters<typeof opcuaSource>[0], now);
    }
    case 'modbus': {
      const { modbusSource } = await import('./modbusSource.ts');
      return modbusSource(machine as Parameters<typeof modbusSource>[0], now);
    }
    case 'mqtt': {
      const { mqttSource } = await import('./mqttSource.ts');
      return mqttSource({ machineId: machine.machineId, source: machine.source }, now);
    }
    case 'sparkplug': {
      const { sparkplugSource } = await import('./sparkplugSource.ts');
      return sparkplugSource(machine as Parameters<typeof sparkplugSource>[0], now);
    }
  }
};

const detectorInputOf = (message: Outbound): DetectorInput => {
  if (message.message.type !== 'telemetry') return { kind: 'heard', ts: message.ts, messageId: message.id };
  const metrics = Object.fromEntries(
    Object.entries(message.message.payload.metrics).map(([name, reading]) => [name, reading.value]),
  );
  return { kind: 'sample', ts: message.ts, messageId: message.id, metrics };
};

export const startGateway = (config: GatewayConfig, options: GatewayOptions = {}): Gateway => {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  // the model is read before any device or broker connection opens, so a bad path starts nothing
  const model = loadEdgeModel(config);
  if (E.isLeft(model)) throw new Error(model.left);
  const built = edgeDetectors(config, model.right);
  if (E.isLeft(built)) throw new Error(built.left.join('; '));
  const greengrass = greengrassIpcEndpoint(options.environment ?? process.env);
  const broker = config.broker;
  if (greengrass === undefined && broker === undefined) {
    throw new Error(
      'broker: the gateway runs outside Greengrass (no nucleus IPC socket in its environment), so it needs broker.url (and ca, cert, key for mqtts://) to publish to',
    );
  }
  const buffer = openStoreAndForwardBuffer(config.buffer);
  const onUplinkEvent = (event: UplinkEvent) =>
    log({ event: `broker.${event.kind}`, ...(event.detail === undefined ? {} : { detail: event.detail }) });
  // Under Greengrass the nucleus holds the core's connection: the gateway opens none of its own.
  const forwarder: Uplink =
    greengrass !== undefined
      ? startGreengrassForwarder(greengrass, buffer, { onEvent: onUplinkEvent })
      : startBrokerForwarder({ ...broker!, clientId: config.gatewayId }, buffer, { onEvent: onUplinkEvent });
  if (greengrass !== undefined)
    log({
      event: 'uplink',
      via: 'greengrass',
      detail: `publishing through the Greengrass nucleus (${greengrass.socketPath})${broker === undefined ? '' : '; broker is not used'}`,
    });
  let stored = 0;
  let duplicates = 0;
  let rejected = 0;
  let alerts = 0;
  const rejectedByMachine: Record<string, number> = {};
  const lastRejections: string[] = [];
  // Edge alerts go to a durable local log first, then into the buffer as `alert` messages. The
  // detectors resume from the log's snapshot, so a restart neither repeats nor forgets an alert; the
  // buffer's mark says how far the log was copied, so a crash between the two loses none and a
  // restart copies none twice.
  const alertLog = openEdgeAlertLog(config.buffer.dir);
  const bufferAlert = (alert: EdgeAlert): void => {
    const outbound = alertOutbound(config.gatewayId, alert);
    if (E.isLeft(outbound)) {
      rejected++;
      log({ event: 'rejected', machineId: alert.machineId, tag: 'alert', ts: alert.ts, reason: outbound.left });
      return;
    }
    const { id, topic, payload } = outbound.right;
    const result = buffer.append(
      { id, machine: machineKey(alert), topic, type: 'alert', payload: JSON.stringify(payload), createdAt: now() },
      { name: ALERTS_MARK, value: alert.seq },
    );
    if (result.outcome === 'rejected')
      log({ event: 'dropped', policy: config.buffer.whenFull, id, type: 'alert', reason: 'buffer full' });
    for (const d of result.dropped)
      log({
        event: 'dropped',
        policy: config.buffer.whenFull,
        id: d.id,
        type: d.type,
        reason: 'buffer full: oldest of the lowest priority',
      });
  };
  for (const alert of alertLog.alertsAfter(buffer.mark(ALERTS_MARK))) bufferAlert(alert);
  const detectors = new Map<string, { detector: Detector<DetectorsState>; state: DetectorsState }>();
  for (const [machineId, detector] of built.right)
    detectors.set(machineId, { detector, state: alertLog.stateOf(machineId) ?? detector.initialState });
  const feed = (machine: GatewayMachineConfig, input: DetectorInput) => {
    const entry = detectors.get(machine.machineId);
    if (entry === undefined) return;
    const [state, events] = entry.detector.step(entry.state, input);
    entry.state = state;
    const inputs = events.map((event: AlertEvent) => ({
      ...event,
      factoryId: config.factoryId,
      lineId: machine.lineId,
      machineId: machine.machineId,
    }));
    for (const alert of alertLog.record(machine.machineId, state, inputs)) {
      alerts++;
      log({ event: 'alert', ...alert });
      bufferAlert(alert);
    }
  };

  const memories = new Map<string, MachineMemory>();
  const onEvent = (machine: GatewayMachineConfig) => (event: SourceEvent) => {
    const ctx = { gatewayId: config.gatewayId, factoryId: config.factoryId, machine };
    const step = machineReadings(ctx, memories.get(machine.machineId) ?? emptyMemory, event);
    memories.set(machine.machineId, step.memory);
    for (const r of step.rejections) {
      rejected++;
      rejectedByMachine[machine.machineId] = (rejectedByMachine[machine.machineId] ?? 0) + 1;
      const line = `${r.machineId} ${r.tag}: ${r.reason}`;
      lastRejections.push(line);
      if (lastRejections.length > 20) lastRejections.shift();
      log({ event: 'rejected', machineId: r.machineId, tag: r.tag, ts: r.ts, reason: r.reason });
    }
    const ref = { factoryId: config.factoryId, lineId: machine.lineId, machineId: machine.machineId };
    for (const message of step.messages) {
      const result = buffer.append({
        id: message.id,
        machine: machineKey(ref),
        topic: message.topic,
        type: message.type,
        payload: JSON.stringify(message.payload),
        createdAt: now(),
      });
      if (result.outcome === 'stored') stored++;
      if (result.outcome === 'duplicate') duplicates++;
      if (result.outcome === 'rejected')
        log({
          event: 'dropped',
          policy: config.buffer.whenFull,
          id: message.id,
          type: message.type,
          reason: 'buffer full',
        });
      for (const d of result.dropped)
        log({
          event: 'dropped',
          policy: config.buffer.whenFull,
          id: d.id,
          type: d.type,
          reason: 'buffer full: oldest of the lowest priority',
        });
      // A duplicate is a reading the detectors have already seen.
      if (result.outcome !== 'duplicate') feed(machine, detectorInputOf(message));
    }
    if (step.messages.length > 0) forwarder.wake();
  };

  let stopping = false;
  const sources = config.machines.map(async (machine) => {
    const source = await sourceFor(machine, now);
    if (stopping) return source;
    // A source that cannot start (device unreachable) reports it and keeps trying on its own schedule.
    source.start(onEvent(machine)).catch((error: Error) =>
      onEvent(machine)({
        kind: 'fault',
        ts: now(),
        reason: `${machine.source.kind} source failed to start: ${error.message}`,
      }),
    );
    return source;
  });

  const status = (): GatewayStatus => ({
    gatewayId: config.gatewayId,
    at: new Date(now()).toISOString(),
    stored,
    duplicates,
    rejected: { total: rejected, byMachine: { ...rejectedByMachine }, last: [...lastRejections] },
    buffer: buffer.stats(now()),
    broker: forwarder.stats(),
    alerts,
  });
  const statusFile = join(config.buffer.dir, 'status.json');
  const writeStatus = () => {
    writeFileSync(`${statusFile}.tmp`, JSON.stringify(status(), null, 2));
    renameSync(`${statusFile}.tmp`, statusFile);
  };
  const ticker = setInterval(() => {
    for (const machine of config.machines) feed(machine, { kind: 'tick', ts: now() });
    alertLog.checkpoint();
    // a tick may have raised an alert (a heartbeat's silence)
    forwarder.wake();
    writeStatus();
  }, options.statusEveryMs ?? 1000);

  let stopped: Promise<void> | undefined;
  return {
    status,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        clearInterval(ticker);
        await Promise.all(sources.map(async (s) => (await s).stop().catch(() => undefined)));
        await forwarder.stop();
        writeStatus();
        alertLog.close();
        buffer.close();
      })()),
  };
};
