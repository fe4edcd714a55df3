// A Kinesis record as the event source mapping hands it to the process function, and its way back
// to the message the IoT rule `factory_telemetry_to_kinesis` received: the record's data is the rule's
// output, the device payload with the rule's enrichment fields added (domain/rules/topicRules.ts).
import * as E from 'fp-ts/lib/Either.js';
import type { ReceivedBody } from '../../domain/pipeline/receiveMessage.ts';
import { parsePayloadBytes } from '../../domain/wire/wireMessage.ts';

/** The shapes of `aws-lambda`'s KinesisStreamEvent that the handler reads (the types package is not installed). */
export type KinesisStreamRecord = {
  readonly kinesis: {
    readonly kinesisSchemaVersion?: string;
    readonly partitionKey: string;
    readonly sequenceNumber: string;
    /** Base64 of the record's bytes. */
    readonly data: string;
    /** Epoch seconds, with a fraction. */
    readonly approximateArrivalTimestamp: number;
  };
  readonly eventSource?: string;
  readonly eventID?: string;
  readonly eventSourceARN?: string;
  readonly awsRegion?: string;
  readonly eventName?: string;
  readonly eventVersion?: string;
  readonly invokeIdentityArn?: string;
};
export type KinesisStreamEvent = { readonly Records: readonly KinesisStreamRecord[] };

export type RuleMessage = {
  readonly topic: string;
  readonly body: ReceivedBody;
  /** Epoch ms the broker received it (the rule's `timestamp()`), else the stream's arrival time. */
  readonly receivedAt: number;
  readonly clientId: string | undefined;
};

/** What a dead letter keeps of a record that could not be read: its bytes. */
export type UnreadableRecord = {
  readonly reason: string;
  readonly topic?: string;
  readonly payload?: unknown;
  readonly payloadB64: string;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const decodeKinesisRecord = (record: KinesisStreamRecord): E.Either<UnreadableRecord, RuleMessage> => {
  const { data, sequenceNumber, approximateArrivalTimestamp } = record.kinesis;
  const bytes = Buffer.from(data, 'base64');
  const parsed = parsePayloadBytes(bytes);
  const where = `Kinesis record ${sequenceNumber}`;
  if (E.isLeft(parsed))
    return E.left({
      reason: `${where}: ${parsed.left}; the IoT rule forwards JSON only, so check what published it`,
      payloadB64: data,
    });
  const output = parsed.right;
  if (!isObject(output))
    return E.left({
      reason: `${where}: expected the rule output, a JSON object, got ${Array.isArray(output) ? 'an array' : typeof output}`,
      payloadB64: data,
    });
  const { factoryId, lineId, machineId, messageType, receivedAt, clientId, ...payload } = output;
  const ids = { factoryId, lineId, machineId, messageType };
  for (const [name, value] of Object.entries(ids)) {
    if (typeof value !== 'string') {
      return E.left({
        reason: `${where}: field ${name} is ${JSON.stringify(value) ?? 'missing'}, expected the topic level the rule adds; is the record from factory_telemetry_to_kinesis?`,
        payload: output,
        payloadB64: data,
      });
    }
  }
  const topic = `dt/${String(factoryId)}/${String(lineId)}/${String(machineId)}/${String(messageType)}`;
  return E.right({
    topic,
    body: { kind: 'json', payload },
    receivedAt:
      typeof receivedAt === 'number' && Number.isFinite(receivedAt)
        ? receivedAt
        : Math.round(approximateArrivalTimestamp * 1000),
    clientId: typeof clientId === 'string' ? clientId : undefined,
  });
};
