// Sparkplug B (Eclipse Tahu spec 3.0): an edge node publishes BIRTH certificates naming its metrics and
// their aliases, then DATA with aliases only, and DEATH when it goes. The gateway is a host application
// for one node (or one device of it): it keeps the alias map from the last BIRTH, checks the node's
// sequence number (0..255, one counter across all its messages), and on a gap asks for a rebirth
// (NCMD "Node Control/Rebirth"), ignoring DATA until the new BIRTH, as the spec requires.
import mqtt, { type MqttClient } from 'mqtt';
import sparkplug from 'sparkplug-payload';
import type { SparkplugSourceConfig, SparkplugTag } from './gatewayConfig.ts';
import type { Source, SourceEvent, Tag, TagReading } from './source.ts';

const codec = sparkplug.get('spBv1.0');
if (codec === null) throw new Error('sparkplug-payload has no spBv1.0 codec');
export const sparkplugCodec = codec;

export type SparkplugMachine = {
  readonly machineId: string;
  readonly source: SparkplugSourceConfig;
  readonly metrics?: Readonly<Record<string, SparkplugTag>>;
  readonly state?: SparkplugTag;
  readonly counts?: { readonly total: SparkplugTag; readonly reject: SparkplugTag };
};

type Longish = number | { toNumber: () => number } | null | undefined;
const num = (v: Longish): number | undefined =>
  v === null || v === undefined ? undefined : typeof v === 'number' ? v : v.toNumber();

const tagsByMetric = (machine: SparkplugMachine): Map<string, Tag[]> => {
  const map = new Map<string, Tag[]>();
  const add = (metric: string, tag: Tag) => map.set(metric, [...(map.get(metric) ?? []), tag]);
  for (const [name, tag] of Object.entries(machine.metrics ?? {})) add(tag.metric, { kind: 'metric', name });
  if (machine.state !== undefined) add(machine.state.metric, { kind: 'state' });
  if (machine.counts !== undefined) {
    add(machine.counts.total.metric, { kind: 'total' });
    add(machine.counts.reject.metric, { kind: 'reject' });
  }
  return map;
};

export const REBIRTH_METRIC = 'Node Control/Rebirth';

export const sparkplugSource = (machine: SparkplugMachine, now: () => number = Date.now): Source => {
  const { groupId, edgeNodeId, deviceId } = machine.source;
  const tags = tagsByMetric(machine);
  let client: MqttClient | undefined;
  let aliases = new Map<string, string>();
  let lastSeq: number | undefined;
  let awaitingBirth = true;

  const requestRebirth = (reason: string, onReading: (e: SourceEvent) => void, report = true) => {
    awaitingBirth = true;
    if (report)
      onReading({
        kind: 'fault',
        ts: now(),
        reason: `sparkplug ${groupId}/${edgeNodeId}: ${reason}; rebirth requested`,
      });
    const payload = codec.encodePayload({
      timestamp: now(),
      metrics: [{ name: REBIRTH_METRIC, type: 'Boolean', value: true }],
    });
    client?.publish(`spBv1.0/${groupId}/NCMD/${edgeNodeId}`, Buffer.from(payload), { qos: 0 });
  };

  const onMessage = (topic: string, bytes: Buffer, onReading: (e: SourceEvent) => void) => {
    const [, , type = '', , device] = topic.split('/');
    if (type === 'NCMD' || type === 'DCMD' || type === 'STATE') return;
    let payload: ReturnType<typeof codec.decodePayload>;
    try {
      payload = codec.decodePayload(bytes);
    } catch (error) {
      onReading({
        kind: 'fault',
        ts: now(),
        reason: `sparkplug ${topic}: not a Sparkplug B payload (${(error as Error).message})`,
      });
      return;
    }
    if (type === 'NDEATH') {
      awaitingBirth = true;
      lastSeq = undefined;
      onReading({ kind: 'fault', ts: now(), reason: `sparkplug ${groupId}/${edgeNodeId}: node died (NDEATH)` });
      return;
    }
    const seq = num(payload.seq as Longish);
    if (type === 'NBIRTH') {
      awaitingBirth = false;
      aliases = new Map();
    } else if (awaitingBirth) {
      if (lastSeq === undefined) requestRebirth(`${type} before any NBIRTH`, onReading);
      lastSeq = seq;
      return;
    } else if (seq === undefined || lastSeq === undefined || seq !== (lastSeq + 1) % 256) {
      const expected = lastSeq === undefined ? '?' : (lastSeq + 1) % 256;
      lastSeq = undefined;
      requestRebirth(`sequence gap: expected ${expected}, got ${seq}`, onReading);
      return;
    }
    lastSeq = seq;
    const ours = deviceId === undefined ? type.startsWith('N') : type.startsWith('D') && device === deviceId;
    if (!ours) return;
    if (type === 'DDEATH') {
      onReading({ kind: 'fault', ts: now(), reason: `sparkplug device ${deviceId}: died (DDEATH)` });
      return;
    }
    const birth = type.endsWith('BIRTH');
    const payloadTs = num(payload.timestamp as Longish) ?? now();
    const readings: TagReading[] = [];
    for (const metric of payload.metrics ?? []) {
      const alias = num(metric.alias as Longish);
      if (birth && metric.name && alias !== undefined) aliases.set(String(alias), metric.name);
      const name = metric.name ?? (alias === undefined ? undefined : aliases.get(String(alias)));
      if (name === undefined) continue;
      const ts = num(metric.timestamp as Longish) ?? payloadTs;
      const value = metric.value as unknown;
      const plain =
        value !== null && typeof value === 'object' && 'toNumber' in value
          ? (value as { toNumber: () => number }).toNumber()
          : value;
      for (const tag of tags.get(name) ?? [])
        readings.push(
          metric.isNull === true ? { tag, ts, bad: `sparkplug metric ${name} is null` } : { tag, ts, value: plain },
        );
    }
    if (readings.length > 0) onReading({ kind: 'tags', readings });
  };

  return {
    start: async (onReading) => {
      client = mqtt.connect(machine.source.url, {
        clientId: `gw-sp-${machine.machineId}`,
        reconnectPeriod: 1000,
        clean: true,
      });
      client.on('message', (topic, bytes) => onMessage(topic, bytes, onReading));
      client.on('connect', () => {
        void client
          ?.subscribeAsync(`spBv1.0/${groupId}/+/${edgeNodeId}/#`, { qos: 0 })
          .then(() => {
            // A host that (re)connects has missed the BIRTH: ask for a new one.
            if (awaitingBirth) requestRebirth('connected without a BIRTH', onReading, false);
          })
          .catch(() => undefined);
      });
      await new Promise<void>((resolve) => client?.once('connect', () => resolve()));
    },
    stop: async () => {
      await client?.endAsync(true);
    },
  };
};
