// dynalite has no DynamoDB Streams. This reads the commit items a table gained since the last call and
// hands them over as the stream's INSERT records (NewImage in DynamoDB JSON, one sequence number each,
// in commit order per stream), the shape the dispatch function receives. Test support only.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoStreamRecord } from '../../dispatch/dispatchCommits.ts';

export const tableStream = (client: DynamoDBClient, tableName: string) => {
  const doc = DynamoDBDocumentClient.from(client);
  const seen = new Set<string>();
  let sequence = 0;
  return {
    /** The INSERT records of commit items written since the last call. */
    next: async (): Promise<DynamoStreamRecord[]> => {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
        items.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey !== undefined);
      const fresh = items
        .filter((i) => !String(i.pk).startsWith('checkpoint#') && !seen.has(`${String(i.pk)}@${String(i.sk)}`))
        .sort((a, b) => String(a.pk).localeCompare(String(b.pk)) || (a.sk as number) - (b.sk as number));
      return fresh.map((item) => {
        seen.add(`${String(item.pk)}@${String(item.sk)}`);
        return {
          eventID: `e${++sequence}`,
          eventName: 'INSERT',
          dynamodb: { SequenceNumber: String(sequence).padStart(21, '0'), NewImage: marshall(item) },
        };
      });
    },
  };
};
