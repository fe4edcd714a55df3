// An SQS endpoint speaking the JSON protocol the current SDK uses (awsJson1_0, X-Amz-Target
// AmazonSQS.SendMessageBatch), enforcing ≤ 10 entries and ≤ 256 KiB per batch and answering with
// the MD5 of each body, which the SDK verifies. Test support only.
import { createHash, randomUUID } from 'node:crypto';
import { awsJsonError, awsJsonOk, startFakeServer, type FakeServer } from './httpExchange.ts';

export type FakeSqs = FakeServer & { readonly messages: string[]; readonly failIds: Set<string> };
const NS = 'com.amazonaws.sqs';

export const startFakeSqs = async (): Promise<FakeSqs> => {
  const messages: string[] = [];
  const failIds = new Set<string>();
  const server = await startFakeServer((req) => {
    if (
      req.headers['x-amz-target'] !== 'AmazonSQS.SendMessageBatch' ||
      req.headers['content-type'] !== 'application/x-amz-json-1.0'
    ) {
      return awsJsonError(400, NS, 'InvalidAction', {
        message: `fake SQS implements only AmazonSQS.SendMessageBatch over JSON, got ${String(req.headers['x-amz-target'])}`,
      });
    }
    const body = JSON.parse(req.body) as { QueueUrl?: string; Entries?: { Id: string; MessageBody: string }[] };
    const entries = body.Entries ?? [];
    if (entries.length === 0) return awsJsonError(400, NS, 'EmptyBatchRequest', { message: 'no entries' });
    if (entries.length > 10)
      return awsJsonError(400, NS, 'TooManyEntriesInBatchRequest', {
        message: `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
      });
    const total = entries.reduce((n, e) => n + Buffer.byteLength(e.MessageBody), 0);
    if (total > 262_144)
      return awsJsonError(400, NS, 'BatchRequestTooLong', {
        message: `Batch requests cannot be longer than 262144 bytes. You have sent ${total} bytes.`,
      });
    const Successful = [];
    const Failed = [];
    for (const e of entries) {
      if (failIds.has(e.Id)) {
        Failed.push({ Id: e.Id, SenderFault: false, Code: 'InternalError', Message: 'injected failure' });
        continue;
      }
      messages.push(e.MessageBody);
      Successful.push({
        Id: e.Id,
        MessageId: randomUUID(),
        MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex'),
      });
    }
    return awsJsonOk({ Successful, Failed });
  });
  return { ...server, messages, failIds };
};
