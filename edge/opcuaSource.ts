// OPC UA: one subscription per machine with a monitored item per configured node. The server samples
// at `samplingIntervalMs` and reports changes with their source timestamps; the client reconnects
// and re-creates the session and subscription by itself (node-opcua's connection strategy).
import {
  AttributeIds,
  ClientSubscription,
  MessageSecurityMode,
  OPCUAClient,
  SecurityPolicy,
  TimestampsToReturn,
  type ClientSession,
  type DataValue,
} from 'node-opcua';
import type { OpcuaSourceConfig, OpcuaTag } from './gatewayConfig.ts';
import { machineTags, type Source, type SourceEvent, type Tag, type TagReading } from './source.ts';

export type OpcuaMachine = {
  readonly source: OpcuaSourceConfig;
  readonly metrics?: Readonly<Record<string, OpcuaTag>>;
  readonly state?: OpcuaTag;
  readonly counts?: { readonly total: OpcuaTag; readonly reject: OpcuaTag };
};

/** A data value to a tag reading: a bad or uncertain status is never a value (OPC UA Part 4, 7.34). */
export const readingOfDataValue = (tag: Tag, dataValue: DataValue, now: number): TagReading => {
  const ts = dataValue.sourceTimestamp?.getTime() ?? dataValue.serverTimestamp?.getTime() ?? now;
  if (!dataValue.statusCode.isGood())
    return {
      tag,
      ts,
      bad: `OPC UA status ${dataValue.statusCode.name} (0x${dataValue.statusCode.value.toString(16)})`,
    };
  return { tag, ts, value: dataValue.value.value };
};

export const opcuaSource = (machine: OpcuaMachine, now: () => number = Date.now): Source => {
  const mode = machine.source.securityMode ?? 'None';
  const policy = machine.source.securityPolicy ?? (mode === 'None' ? 'None' : 'Basic256Sha256');
  const client = OPCUAClient.create({
    applicationName: 'factory-gateway',
    securityMode: MessageSecurityMode[mode],
    securityPolicy: SecurityPolicy[policy as keyof typeof SecurityPolicy],
    endpointMustExist: false,
    keepSessionAlive: true,
    connectionStrategy: { maxRetry: -1, initialDelay: 200, maxDelay: 10_000, randomisationFactor: 0.5 },
  });
  const tags = machineTags(machine).map(([tag, address]): [Tag, string] => [tag, address.nodeId]);
  const interval = machine.source.samplingIntervalMs ?? 1000;
  let session: ClientSession | undefined;
  let subscription: ClientSubscription | undefined;
  let pending: TagReading[] = [];

  return {
    start: async (onReading) => {
      // Notifications of one publish response arrive in one turn of the event loop: one sample.
      const flush = () => {
        const readings = pending;
        pending = [];
        if (readings.length > 0) onReading({ kind: 'tags', readings } satisfies SourceEvent);
      };
      client.on('connection_lost', () =>
        onReading({
          kind: 'fault',
          ts: now(),
          reason: `opcua ${machine.source.endpoint}: connection lost, reconnecting`,
        }),
      );
      await client.connect(machine.source.endpoint);
      session = await client.createSession();
      subscription = ClientSubscription.create(session, {
        requestedPublishingInterval: interval,
        requestedLifetimeCount: 100,
        requestedMaxKeepAliveCount: 10,
        maxNotificationsPerPublish: 1000,
        publishingEnabled: true,
        priority: 10,
      });
      const group = await subscription.monitorItems(
        tags.map(([, nodeId]) => ({ nodeId, attributeId: AttributeIds.Value })),
        { samplingInterval: interval, discardOldest: true, queueSize: 10 },
        TimestampsToReturn.Both,
      );
      group.on('changed', (_item, dataValue, index) => {
        const entry = tags[index];
        if (entry === undefined) return;
        if (pending.length === 0) setImmediate(flush);
        pending.push(readingOfDataValue(entry[0], dataValue, now()));
      });
    },
    stop: async () => {
      await subscription?.terminate().catch(() => undefined);
      await session?.close().catch(() => undefined);
      await client.disconnect();
    },
  };
};
