// What the process function writes to DynamoDB for a recording: the sample's first messages through
// the topic rule into Kinesis records, handed to processBatch in batches of the stack's size, on
// dynalite through the real SDK. Every TransactWriteItems is seen on its way out and each item's size
// taken as DynamoDB sizes it (attribute names plus values: "Item sizes and formats" in the DynamoDB
// developer guide); a transactional write costs 2 write units per KB of each item.
import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { MachineEvent } from '../domain/machine/events.ts';
import type { SiteConfig } from '../domain/site/siteConfig.ts';
import { createEventStoreTable, dynamoEventStore } from '../handlers/adapters/dynamoEventStore.ts';
import { startDynaliteWithTransactions } from '../handlers/testing/fakes/dynaliteWithTransactions.ts';
import { processBatch, processContext } from '../handlers/process/processBatch.ts';
import { kinesisRecord, partitionKeyOf, ruleOutput } from '../handlers/testing/ruleRecords.ts';
import type { KinesisStreamRecord } from '../handlers/process/kinesisRecord.ts';
import { decodeLine } from '../localstack/replay/replayRecording.ts';
import { recordingLines } from '../localstack/replay/recordingLines.ts';

export type DynamoWrites = {
  readonly messages: number;
  readonly batchSize: number;
  readonly acceptedTelemetry: number;
  readonly transactions: number;
  readonly commitItems: number;
  readonly writeUnits: number;
  readonly meanCheckpointBytes: number;
};

const attributeSize = (value: AttributeValue): number => {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\./g, '').replace(/^0+/, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  return Buffer.byteLength(JSON.stringify(value));
};

export const itemSize = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce((n, [name, value]) => n + Buffer.byteLength(name) + attributeSize(value), 0);

export const dynamoWrites = async (
  recording: string,
  site: SiteConfig,
  messages: number,
  batchSize: number,
): Promise<DynamoWrites> => {
  const server = await startDynaliteWithTransactions();
  const client = new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const counted = { transactions: 0, commitItems: 0, writeUnits: 0, checkpointBytes: 0, checkpoints: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      const items = (args.input as { TransactItems?: { Put?: { Item: Record<string, AttributeValue> } }[] })
        .TransactItems;
      if (items !== undefined) {
        counted.transactions += 1;
        // The document client may not have marshalled its input yet at this step: sized as DynamoDB stores it either way.
        for (const put of items.flatMap((i) =>
          i.Put === undefined
            ? []
            : [typeof (i.Put.Item as Record<string, unknown>).pk === 'string' ? marshall(i.Put.Item) : i.Put.Item],
        )) {
          const size = itemSize(put);
          counted.writeUnits += 2 * Math.ceil(size / 1024);
          if (put.pk?.S?.startsWith('checkpoint#') === true) {
            counted.checkpointBytes += size;
            counted.checkpoints += 1;
          } else counted.commitItems += 1;
        }
      }
      return next(args);
    },
    { step: 'serialize', priority: 'high', name: 'countWriteUnits' },
  );
  try {
    await createEventStoreTable(client, 'bench-events');
    const store = dynamoEventStore<MachineEvent>({ client, tableName: 'bench-events' });
    let acceptedTelemetry = 0;
    const deps = {
      site,
      store,
      telemetry: {
        write: async (r: readonly unknown[]) => {
          acceptedTelemetry += r.length;
          return { accepted: r.length, rejected: [] };
        },
      },
      deadLetters: { send: async (l: readonly unknown[]) => ({ accepted: l.length, rejected: [] }) },
      checkpoints: new Map(),
    };
    const context = processContext(site);
    let batch: KinesisStreamRecord[] = [];
    let read = 0;
    for await (const { line, text } of recordingLines(recording)) {
      if (++read > messages) break;
      const decoded = decodeLine(line, text);
      if (decoded.kind !== 'message' || decoded.body.kind !== 'json') continue;
      const data = ruleOutput({ topic: decoded.topic, payload: decoded.body.payload, receivedAt: decoded.t });
      if (data === null) continue;
      batch.push(kinesisRecord(data, partitionKeyOf(decoded.topic), String(line).padStart(21, '0'), decoded.t));
      if (batch.length === batchSize) {
        const outcome = await processBatch(deps, context, batch);
        if (outcome.failures.length > 0) throw new Error(outcome.failures[0]!.reason);
        batch = [];
      }
    }
    if (batch.length > 0) await processBatch(deps, context, batch);
    const { transactions, commitItems, writeUnits, checkpointBytes, checkpoints } = counted;
    return {
      messages: Math.min(read, messages),
      batchSize,
      acceptedTelemetry,
      transactions,
      commitItems,
      writeUnits,
      meanCheckpointBytes: checkpointBytes / Math.max(1, checkpoints),
    };
  } finally {
    client.destroy();
    await server.close();
  }
};

// `npx tsx bench/dynamoWrites.ts <recording> <messages> <batch size>`: one figure alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { loadSampleSite } = await import('../localstack/simulator/sampleRecording.ts');
  const result = await dynamoWrites(
    process.argv[2]!,
    loadSampleSite(),
    Number(process.argv[3] ?? 20_000),
    Number(process.argv[4] ?? 100),
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
