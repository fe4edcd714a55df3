// Dead letters to SQS: SendMessageBatch with ≤ 10 entries and ≤ 256 KiB (262,144 bytes) of bodies
// per call; a letter too large on its own is reported, not truncated, so nothing is silently lost.
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetterQueue } from '../ports/deadLetterQueue.ts';
import type { Rejected } from '../ports/writeReport.ts';

export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_BYTES = 262_144;

/** Packs bodies greedily into batches within both SQS limits, keeping their order. */
export const packBatches = (sizes: readonly number[]): number[][] => {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  sizes.forEach((size, i) => {
    if (current.length === MAX_BATCH_ENTRIES || bytes + size > MAX_BATCH_BYTES) {
      if (current.length > 0) batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
};

export const sqsDeadLetterQueue = (options: {
  readonly client: SQSClient;
  readonly queueUrl: string;
}): DeadLetterQueue => ({
  send: async (letters) => {
    const rejected: Rejected<DeadLetter>[] = [];
    const bodies: { letter: DeadLetter; body: string }[] = [];
    for (const letter of letters) {
      const body = JSON.stringify(letter);
      if (Buffer.byteLength(body) > MAX_BATCH_BYTES) {
        rejected.push({
          item: letter,
          retryable: false,
          reason: `dead letter from ${letter.source} is ${Buffer.byteLength(body)} bytes, SQS takes ${MAX_BATCH_BYTES}; archive the payload elsewhere and dead-letter a reference`,
        });
      } else bodies.push({ letter, body });
    }
    for (const batch of packBatches(bodies.map((b) => Buffer.byteLength(b.body)))) {
      const entries = batch.map((i) => ({ Id: String(i), MessageBody: bodies[i]!.body }));
      try {
        const out = await options.client.send(
          new SendMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: entries }),
        );
        for (const failed of out.Failed ?? []) {
          rejected.push({
            item: bodies[Number(failed.Id)]!.letter,
            retryable: failed.SenderFault !== true,
            reason: `SQS refused dead letter ${failed.Id}: ${failed.Code ?? ''} ${failed.Message ?? ''}`.trim(),
          });
        }
      } catch (error) {
        for (const i of batch)
          rejected.push({
            item: bodies[i]!.letter,
            retryable: true,
            reason: `SQS SendMessageBatch to ${options.queueUrl} failed: ${(error as Error).name}: ${(error as Error).message}`,
          });
      }
    }
    return { accepted: letters.length - rejected.length, rejected };
  },
});
