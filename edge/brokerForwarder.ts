// The uplink of a gateway run without Greengrass (uplink.ts): drains the store-and-forward buffer to
// the broker over its own MQTT connection, mutual TLS (the client id is the gateway id, the
// certificate's thing name, as the IoT policy requires), QoS 1, removed only on PUBACK.
//
// One TCP connection keeps the order of what is sent on it, so messages are pipelined (a bounded
// window) in buffer order. When the connection is lost, the client is thrown away with everything it
// had in flight, and a fresh one resends from the oldest unacknowledged message: per machine in order,
// and at least once; the message id makes the repeats duplicates downstream.
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { StoreAndForwardBuffer } from './storeAndForwardBuffer.ts';
import { backoffDelay, type Uplink, type UplinkEvent } from './uplink.ts';

export type BrokerSettings = {
  readonly url: string;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly clientId: string;
};

export type ForwarderOptions = {
  /** Messages sent and not yet acknowledged, at most. */
  readonly window?: number;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly onEvent?: (event: UplinkEvent) => void;
};

// Under TLS 1.3 the client's handshake is done before the server has checked the client certificate;
// a refused certificate then shows on the client as a bare close with no error at all.
const closedBeforeConnack = (url: string): string =>
  url.startsWith('mqtts:')
    ? 'the broker closed the TLS connection before accepting it: check that broker.cert was issued by the CA the broker trusts (AWS IoT: registered and active) and that its thing name is the gatewayId'
    : 'the broker closed the connection before accepting it';
// IoT Core (and the local broker) ends the connection of a client whose publish the policy denies.
const CLOSED_UNACKNOWLEDGED =
  'the broker closed the connection before acknowledging any publish, as IoT Core does when its policy denies one: check that factoryId is the factory this gateway thing is registered to';

export const tlsOptions = (settings: BrokerSettings): Partial<IClientOptions> =>
  settings.url.startsWith('mqtts:')
    ? {
        ca: readFileSync(settings.ca ?? ''),
        cert: readFileSync(settings.cert ?? ''),
        key: readFileSync(settings.key ?? ''),
        rejectUnauthorized: true,
      }
    : {};

export const startBrokerForwarder = (
  settings: BrokerSettings,
  buffer: StoreAndForwardBuffer,
  options: ForwarderOptions = {},
): Uplink => {
  const window = options.window ?? 64;
  const minBackoff = options.minBackoffMs ?? 200;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const tls = tlsOptions(settings);
  let client: MqttClient | undefined;
  let generation = 0;
  let connected = false;
  let inFlight = 0;
  let published = 0;
  let attempt = 0;
  let reconnects = 0;
  let lastError: string | undefined;
  /** Whether the current connection has had a PUBACK. */
  let acknowledged = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const pump = (): void => {
    if (!connected || client === undefined) return;
    const current = client;
    const gen = generation;
    for (const message of buffer.take(window - inFlight)) {
      inFlight++;
      current.publish(message.topic, message.payload, { qos: 1 }, (error) => {
        if (gen !== generation) return; // a connection since thrown away: the message goes out again
        inFlight--;
        if (error === undefined || error === null) {
          buffer.acknowledge(message.seq);
          published++;
          acknowledged = true;
          // The backoff starts over only once the broker takes messages: a connection that is accepted
          // and then closed on every publish (a policy denial) backs off like a refused one.
          attempt = 0;
          lastError = undefined;
        }
        pump();
      });
    }
  };

  const connect = (): void => {
    if (stopped) return;
    const gen = ++generation;
    let failure: string | undefined;
    acknowledged = false;
    const next = mqtt.connect(settings.url, {
      ...tls,
      clientId: settings.clientId,
      clean: true,
      protocolVersion: 4,
      keepalive: 30,
      // Reconnection is ours (backoff with jitter, and a fresh client so nothing is resent twice).
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    client = next;
    next.on('connect', () => {
      if (gen !== generation) return;
      connected = true;
      if (buffer.stats(0).depth === 0) {
        attempt = 0;
        lastError = undefined;
      }
      options.onEvent?.({ kind: 'connected' });
      pump();
    });
    next.on('error', (error) => {
      failure = error.message;
      if (gen === generation) lastError = error.message;
      options.onEvent?.({ kind: 'error', detail: error.message });
    });
    next.on('close', () => {
      if (gen !== generation || stopped) return;
      const wasConnected = connected;
      const unacknowledged = wasConnected && !acknowledged && inFlight > 0;
      connected = false;
      inFlight = 0;
      generation++;
      buffer.rewind();
      next.removeAllListeners('close');
      next.on('error', () => undefined);
      next.end(true);
      if (!wasConnected && failure === undefined) {
        lastError = closedBeforeConnack(settings.url);
        options.onEvent?.({ kind: 'error', detail: lastError });
      }
      if (unacknowledged) lastError = CLOSED_UNACKNOWLEDGED;
      if (wasConnected)
        options.onEvent?.({ kind: 'disconnected', ...(unacknowledged ? { detail: CLOSED_UNACKNOWLEDGED } : {}) });
      reconnects++;
      timer = setTimeout(connect, backoffDelay(attempt++, minBackoff, maxBackoff, Math.random()));
    });
  };
  connect();

  return {
    wake: pump,
    stats: () => ({
      via: 'mqtt',
      connected,
      published,
      inFlight,
      reconnects,
      ...(lastError === undefined ? {} : { lastError }),
    }),
    stop: () =>
      new Promise<void>((resolve) => {
        stopped = true;
        if (timer !== undefined) clearTimeout(timer);
        generation++;
        connected = false;
        if (client === undefined) return resolve();
        client.end(true, {}, () => resolve());
      }),
  };
};
