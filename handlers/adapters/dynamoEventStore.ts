// The event store on DynamoDB: one item per event, keyed by stream (pk) and version (sk). An append
// is one TransactWriteItems: a ConditionCheck that version `expected` exists plus one Put per event
// with attribute_not_exists, so it lands whole or not at all, and two writers at the same version
// cannot both succeed.
import { CreateTableCommand, TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import * as E from 'fp-ts/lib/Either.js';
import { concurrencyConflict, matchesExpectedVersion, type AppendError, type AppendResult, type EventStore, type ExpectedVersion, type Snapshot } from '../ports/eventStore.ts';

/**
 * TransactWriteItems takes at most 100 actions; one is the ConditionCheck on the expected version.
 * A larger append is refused (AppendTooLarge) rather than split, because a split append would no
 * longer be all-or-nothing. (The 4 MB request and 400 KB item limits apply as well.)
 */
export const MAX_EVENTS_PER_APPEND = 99;

/** Snapshot items share the table under their own partition; wire ids never contain '#'. */
const snapshotKey = (streamId: string) => ({ pk: `snapshot#${streamId}`, sk: 0 });

/** Attempts for an 'any' append, which re-reads the head when another writer moved it. */
const ANY_ATTEMPTS = 5;

export type DynamoEventStoreOptions = {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Snapshots expire (DynamoDB TTL attribute `expiresAt`, epoch seconds) after this long; state is then rebuilt from events. */
  readonly snapshotTtlS?: number;
  readonly now?: () => number;
};

export const dynamoEventStore = <Ev>(options: DynamoEventStoreOptions): EventStore<Ev> => {
  const { tableName: TableName, snapshotTtlS, now = Date.now } = options;
  const doc = DynamoDBDocumentClient.from(options.client);

  const head = async (streamId: string): Promise<number> => {
    const out = await doc.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': streamId },
      ScanIndexForward: false, Limit: 1, ConsistentRead: true, ProjectionExpression: 'sk' }));
    return (out.Items?.[0]?.sk as number | undefined) ?? 0;
  };

  const transact = async (streamId: string, expected: number, events: readonly Ev[]): Promise<E.Either<AppendError, AppendResult>> => {
    const check = expected > 0
      ? [{ ConditionCheck: { TableName, Key: { pk: streamId, sk: expected }, ConditionExpression: 'attribute_exists(pk)' } }]
      : [];
    const puts = events.map((event, i) => ({ Put: { TableName, Item: { pk: streamId, sk: expected + i + 1, event: JSON.stringify(event) }, ConditionExpression: 'attribute_not_exists(pk)' } }));
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: [...check, ...puts] }));
      return E.right({ nextVersion: expected + events.length });
    } catch (error) {
      // ConditionalCheckFailed: someone else appended; TransactionConflict: someone is appending now.
      const codes = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((r) => r.Code) : [];
      if (codes.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) {
        return E.left(concurrencyConflict(streamId, expected, await head(streamId)));
      }
      throw error;
    }
  };

  const appendToStream = async (streamId: string, expected: ExpectedVersion, events: readonly Ev[]): Promise<E.Either<AppendError, AppendResult>> => {
    if (events.length > MAX_EVENTS_PER_APPEND) return E.left({ kind: 'AppendTooLarge', streamId, count: events.length, limit: MAX_EVENTS_PER_APPEND });
    if (events.length === 0) {
      const actual = await head(streamId);
      return matchesExpectedVersion(expected, actual) ? E.right({ nextVersion: actual }) : E.left(concurrencyConflict(streamId, expected, actual));
    }
    if (expected !== 'any') return transact(streamId, expected, events);
    for (let attempt = 1; ; attempt++) {
      const result = await transact(streamId, await head(streamId), events);
      if (E.isRight(result) || attempt === ANY_ATTEMPTS) return E.isLeft(result) ? E.left({ ...result.left, expected: 'any' }) : result;
    }
  };

  return {
    readStream: async (streamId, { fromVersion = 1 } = {}) => {
      const events: { version: number; event: Ev }[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk AND sk >= :from',
          ExpressionAttributeValues: { ':pk': streamId, ':from': fromVersion }, ConsistentRead: true, ExclusiveStartKey }));
        for (const item of page.Items ?? []) events.push({ version: item.sk as number, event: JSON.parse(item.event as string) as Ev });
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey !== undefined);
      const currentVersion = events.length > 0 ? events[events.length - 1]!.version : await head(streamId);
      return { events, currentVersion };
    },
    appendToStream,
    writeSnapshot: async (streamId, version, state) => {
      const expiresAt = snapshotTtlS === undefined ? {} : { expiresAt: Math.floor(now() / 1000) + snapshotTtlS };
      try {
        await doc.send(new PutCommand({ TableName, Item: { ...snapshotKey(streamId), version, state: JSON.stringify(state), ...expiresAt },
          ConditionExpression: 'attribute_not_exists(pk) OR version <= :v', ExpressionAttributeValues: { ':v': version } }));
      } catch (error) {
        // A newer snapshot is already there: keeping it is the point.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
    readSnapshot: async <S>(streamId: string): Promise<Snapshot<S> | undefined> => {
      const out = await doc.send(new GetCommand({ TableName, Key: snapshotKey(streamId), ConsistentRead: true }));
      if (out.Item === undefined) return undefined;
      // TTL deletion lags expiry by up to days, so an expired snapshot is treated as gone here.
      if (typeof out.Item.expiresAt === 'number' && out.Item.expiresAt * 1000 <= now()) return undefined;
      return { version: out.Item.version as number, state: JSON.parse(out.Item.state as string) as S };
    },
  };
};

/** The table the adapter expects (infra/ declares the same; local tests create it with this). */
export const createEventStoreTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  await client.send(new CreateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] }));
};
