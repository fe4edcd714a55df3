// Test support: wire messages as the IoT rule `factory_telemetry_to_kinesis` outputs them, and Kinesis
// records as the event source mapping hands them over (base64 data, sequence numbers, arrival time).
import { evaluateRule, compileRule } from '../../domain/rules/topicRule.ts';
import { TOPIC_RULES } from '../../domain/rules/topicRules.ts';
import * as E from 'fp-ts/lib/Either.js';
import type { KinesisStreamRecord } from '../process/kinesisRecord.ts';

const definition = TOPIC_RULES.find((r) => r.name === 'factory_telemetry_to_kinesis')!;
const compiled = compileRule(definition.sql);
if (E.isLeft(compiled)) throw new Error(compiled.left);
const rule = compiled.right;

export type Published = {
  readonly topic: string;
  readonly payload: unknown;
  readonly receivedAt: number;
  readonly clientId?: string;
};

/** The rule output for one published message, as bytes; null when the rule does not fire. */
export const ruleOutput = (m: Published): Buffer | null => {
  const out = evaluateRule(rule, {
    topic: m.topic,
    payload: m.payload,
    clientId: m.clientId ?? 'gw-test',
    timestampMs: m.receivedAt,
    newUuid: () => '00000000-0000-4000-8000-000000000000',
  });
  return out === null ? null : Buffer.from(JSON.stringify(out), 'utf8');
};

/** The partition key the rule's template gives: `${topic(2)}/${topic(3)}/${topic(4)}`. */
export const partitionKeyOf = (topic: string): string => topic.split('/').slice(1, 4).join('/');

/** A Kinesis record as Lambda's event source mapping delivers it. */
export const kinesisRecord = (
  data: Uint8Array,
  partitionKey: string,
  sequenceNumber: string,
  arrivalMs: number,
  streamArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/factory',
): KinesisStreamRecord => ({
  kinesis: {
    kinesisSchemaVersion: '1.0',
    partitionKey,
    sequenceNumber,
    data: Buffer.from(data).toString('base64'),
    approximateArrivalTimestamp: arrivalMs / 1000,
  },
  eventSource: 'aws:kinesis',
  eventVersion: '1.0',
  eventID: `shardId-000000000000:${sequenceNumber}`,
  eventName: 'aws:kinesis:record',
  invokeIdentityArn: 'arn:aws:iam::000000000000:role/process',
  awsRegion: 'us-east-1',
  eventSourceARN: streamArn,
});
