// Topics of the wire contract: `dt/{factoryId}/{lineId}/{machineId}/telemetry|state|counts|job|alert` (AWS's
// `dt/<context>/<thing>/<type>` guidance) and `cmd/{factoryId}/{gatewayId}/...` for commands.
import * as E from 'fp-ts/lib/Either.js';
import { isId } from './primitives.ts';

/** What a machine reports, itself or through its gateway (`job`: the order it starts, docs/wire-contract.md#job). */
export const READING_TYPES = ['telemetry', 'state', 'counts', 'job'] as const;
export type ReadingType = (typeof READING_TYPES)[number];
/**
 * Every data topic's type: the readings, and `alert`, an edge detector's alert raised or cleared at
 * the gateway (a compatible addition to version 1: docs/wire-contract.md#alert).
 */
export const MESSAGE_TYPES = [...READING_TYPES, 'alert'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export type MachineRef = { readonly factoryId: string; readonly lineId: string; readonly machineId: string };
export type DataTopic = MachineRef & { readonly type: MessageType };

export const dataTopic = (ref: MachineRef, type: MessageType): string =>
  `dt/${ref.factoryId}/${ref.lineId}/${ref.machineId}/${type}`;

const TYPES: ReadonlySet<string> = new Set(MESSAGE_TYPES);

const badId = (topic: string, name: string, value: string): E.Either<string, DataTopic> =>
  E.left(
    `topic ${JSON.stringify(topic)}: ${name} ${JSON.stringify(value)} is not an id of 1-64 characters A-Z a-z 0-9 _ -`,
  );

const parseTopic = (topic: string): E.Either<string, DataTopic> => {
  const levels = topic.split('/');
  if (levels.length !== 5 || levels[0] !== 'dt') {
    return E.left(
      `topic ${JSON.stringify(topic)}: expected dt/{factoryId}/{lineId}/{machineId}/telemetry|state|counts|job|alert`,
    );
  }
  const [, factoryId = '', lineId = '', machineId = '', type = ''] = levels;
  if (!isId(factoryId)) return badId(topic, 'factoryId', factoryId);
  if (!isId(lineId)) return badId(topic, 'lineId', lineId);
  if (!isId(machineId)) return badId(topic, 'machineId', machineId);
  if (!TYPES.has(type)) {
    return E.left(
      `topic ${JSON.stringify(topic)}: message type ${JSON.stringify(type)} is not one of telemetry, state, counts, job, alert`,
    );
  }
  return E.right(Object.freeze({ factoryId, lineId, machineId, type: type as MessageType }));
};

// A plant has three or four topics per machine and each arrives again and again, so a valid topic's parse
// is remembered: a memo, not state (the same text always parses the same), frozen because callers
// share it, and bounded so that a stream of distinct topics cannot grow it without limit.
const MEMO_LIMIT = 10_000;
const parsedTopics = new Map<string, E.Either<string, DataTopic>>();

export const parseDataTopic = (topic: string): E.Either<string, DataTopic> => {
  const known = parsedTopics.get(topic);
  if (known !== undefined) return known;
  const parsed = parseTopic(topic);
  if (E.isRight(parsed)) {
    if (parsedTopics.size >= MEMO_LIMIT) parsedTopics.clear();
    parsedTopics.set(topic, Object.freeze(parsed));
  }
  return parsed;
};

/** The stream a machine's events live in: one per machine, the Kinesis partition key too. */
export const machineKey = (ref: MachineRef): string => `${ref.factoryId}/${ref.lineId}/${ref.machineId}`;
