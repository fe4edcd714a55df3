// The event store on DynamoDB: one item per commit and one head per stream, written together in one
// TransactWriteItems, so a commit lands whole or not at all.
import { CreateTableCommand, TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import {
  concurrencyConflict,
  matchesExpectedVersion,
  type AppendError,
  type AppendResult,
  type Checkpoint,
  type CommitResult,
  type EventStore,
  type ExpectedVersion,
} from '../ports/eventStore.ts';

/**
 * A stream is its commits plus a head. Each commit is one item (pk = stream, sk = position) holding the
 * events it appended (numbered from `first`) and the side effects to send from them, which the dispatch
 * function reads off the table's stream; the head (pk = `checkpoint#stream`) holds the position, the
 * version and the writer's checkpoint. A commit is one TransactWriteItems: the commit item with
 * attribute_not_exists (two writers at one position cannot both succeed), a check that the position
 * read exists, and the head — 2 items whatever the batch held, never an item per reading.
 */
const headKey = (streamId: string) => ({ pk: `checkpoint#${streamId}`, sk: 0 });

// A checkpoint is rewritten at every commit and billed per KB written (twice, inside a transaction):
// it is kept Brotli-compressed, about a fifth of its JSON (the readings it holds and their names repeat).
const BROTLI_QUALITY = 5;
const packState = (json: string): Uint8Array =>
  brotliCompressSync(json, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } });
const unpackState = (item: Record<string, unknown>): string | undefined =>
  item.stateBr instanceof Uint8Array
    ? brotliDecompressSync(item.stateBr).toString('utf8')
    : typeof item.state === 'string'
      ? item.state
      : undefined;

/** Attempts for an 'any' append, which re-reads the head when another writer moved it. */
const ANY_ATTEMPTS = 5;

export type DynamoEventStoreOptions = {
  readonly client: DynamoDBClient;
  readonly tableName: string;
};

type Head = { readonly position: number; readonly version: number; readonly state: Uint8Array | undefined };

export const dynamoEventStore = <Ev>(options: DynamoEventStoreOptions): EventStore<Ev> => {
  const { tableName: TableName } = options;
  const doc = DynamoDBDocumentClient.from(options.client);

  const readHead = async (streamId: string): Promise<Head> => {
    const out = await doc.send(new GetCommand({ TableName, Key: headKey(streamId), ConsistentRead: true }));
    return out.Item === undefined
      ? { position: 0, version: 0, state: undefined }
      : {
          position: out.Item.position as number,
          version: out.Item.version as number,
          state: out.Item.stateBr as Uint8Array | undefined,
        };
  };

  /** Commits on `head`; a conflict answers with the head as it is now. */
  const transact = async (
    streamId: string,
    head: Head,
    events: readonly Ev[],
    state: Uint8Array | undefined,
    effects: readonly unknown[],
  ): Promise<E.Either<Head, CommitResult>> => {
    const position = head.position + 1;
    const nextVersion = head.version + events.length;
    const check =
      head.position > 0
        ? [
            {
              ConditionCheck: {
                TableName,
                Key: { pk: streamId, sk: head.position },
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
          ]
        : [];
    const commit = {
      pk: streamId,
      sk: position,
      first: head.version + 1,
      events: JSON.stringify(events),
      ...(effects.length > 0 ? { effects: JSON.stringify(effects) } : {}),
    };
    const newHead = {
      ...headKey(streamId),
      position,
      version: nextVersion,
      ...(state === undefined ? {} : { stateBr: state }),
    };
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            ...check,
            { Put: { TableName, Item: commit, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName, Item: newHead } },
          ],
        }),
      );
      return E.right({ position, nextVersion });
    } catch (error) {
      // ConditionalCheckFailed: someone else committed; TransactionConflict: someone is committing now.
      const codes =
        error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((r) => r.Code) : [];
      if (codes.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict'))
        return E.left(await readHead(streamId));
      throw error;
    }
  };

  const appendToStream = async (
    streamId: string,
    expected: ExpectedVersion,
    events: readonly Ev[],
  ): Promise<E.Either<AppendError, AppendResult>> => {
    for (let attempt = 1; ; attempt++) {
      const head = await readHead(streamId);
      if (!matchesExpectedVersion(expected, head.version))
        return E.left(concurrencyConflict(streamId, expected, head.version));
      if (events.length === 0) return E.right({ nextVersion: head.version });
      const result = await transact(streamId, head, events, head.state, []);
      if (E.isRight(result)) return E.right({ nextVersion: result.right.nextVersion });
      if (expected !== 'any' || attempt === ANY_ATTEMPTS)
        return E.left(concurrencyConflict(streamId, expected, result.left.version));
    }
  };

  return {
    readStream: async (streamId, { fromVersion = 1 } = {}) => {
      const events: { version: number; event: Ev }[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': streamId },
            ConsistentRead: true,
            ExclusiveStartKey,
            ProjectionExpression: '#first, events',
            ExpressionAttributeNames: { '#first': 'first' },
          }),
        );
        for (const item of page.Items ?? []) {
          (JSON.parse(item.events as string) as Ev[]).forEach((event, i) => {
            const version = (item.first as number) + i;
            if (version >= fromVersion) events.push({ version, event });
          });
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey !== undefined);
      return { events, currentVersion: (await readHead(streamId)).version };
    },
    appendToStream,
    commit: async (streamId, expected, batch) => {
      const head = await readHead(streamId);
      if (head.position !== expected) return E.left(concurrencyConflict(streamId, expected, head.position));
      const result = await transact(
        streamId,
        head,
        batch.events,
        packState(JSON.stringify(batch.checkpoint)),
        batch.effects,
      );
      return E.isRight(result) ? result : E.left(concurrencyConflict(streamId, expected, result.left.position));
    },
    readCheckpoint: async <S>(streamId: string): Promise<Checkpoint<S | undefined> | undefined> => {
      const out = await doc.send(new GetCommand({ TableName, Key: headKey(streamId), ConsistentRead: true }));
      if (out.Item === undefined) return undefined;
      const state = unpackState(out.Item);
      return {
        position: out.Item.position as number,
        version: out.Item.version as number,
        state: state === undefined ? undefined : (JSON.parse(state) as S),
      };
    },
  };
};

/** A commit as the dispatch function reads it off the table's stream (NewImage of an INSERT). */
export type StoredCommit = {
  readonly streamId: string;
  readonly position: number;
  readonly effects: readonly unknown[];
};

/** The commit an item holds, if it is one (heads and other items are not). */
export const commitOfItem = (item: Record<string, unknown>): StoredCommit | undefined => {
  const { pk, sk, effects } = item;
  if (typeof pk !== 'string' || pk.startsWith('checkpoint#') || typeof sk !== 'number') return undefined;
  return { streamId: pk, position: sk, effects: typeof effects === 'string' ? (JSON.parse(effects) as unknown[]) : [] };
};

/** The table the adapter expects (infra/ declares the same; local tests create it with this). */
export const createEventStoreTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
};
