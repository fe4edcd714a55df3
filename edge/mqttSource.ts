// A device that already speaks the wire contract (docs/wire-contract.md) on a local broker: the gateway subscribes
// with the configured topic filter and re-publishes each message that passes the domain codecs, under
// the machine's own dt/ topic, keeping the device's message id (its dedup key).
import * as E from 'fp-ts/lib/Either.js';
import mqtt, { type MqttClient } from 'mqtt';
import { parsePayloadBytes } from '../domain/wire/wireMessage.ts';
import type { MqttSourceConfig } from './gatewayConfig.ts';
import type { Source } from './source.ts';

export const mqttSource = (
  machine: { readonly machineId: string; readonly source: MqttSourceConfig },
  now: () => number = Date.now,
): Source => {
  let client: MqttClient | undefined;
  return {
    start: async (onReading) => {
      client = mqtt.connect(machine.source.url, {
        clientId: `gw-src-${machine.machineId}`,
        reconnectPeriod: 1000,
        clean: true,
      });
      client.on('message', (topic, bytes) => {
        const type = topic.split('/').pop() ?? '';
        const payload = parsePayloadBytes(bytes);
        if (E.isLeft(payload)) onReading({ kind: 'fault', ts: now(), reason: `mqtt ${topic}: ${payload.left}` });
        else onReading({ kind: 'wire', ts: now(), type, payload: payload.right });
      });
      // Subscribe on every (re)connect: a clean session forgets subscriptions.
      client.on('connect', () => void client?.subscribeAsync(machine.source.topic, { qos: 1 }).catch(() => undefined));
      await new Promise<void>((resolve) => client?.once('connect', () => resolve()));
    },
    stop: async () => {
      await client?.endAsync(true);
    },
  };
};
