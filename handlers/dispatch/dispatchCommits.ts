// The dispatch function's core: the event table's stream records → the commits they carry → their
// side effects through the ports (handlers/machines/dispatchEffects.ts). Only a commit's INSERT is
// dispatched (heads change at every commit and carry nothing to send). A commit whose effects could not
// all be sent for a retryable reason is reported, and Lambda retries the stream from that record.
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { MachineEffect } from '../../domain/pipeline/machineBatch.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import { commitOfItem } from '../adapters/dynamoEventStore.ts';
import { dispatchEffects, type DispatchPorts } from '../machines/dispatchEffects.ts';

/** The shapes of `aws-lambda`'s DynamoDBStreamEvent that the handler reads. */
export type DynamoStreamRecord = {
  readonly eventID?: string;
  readonly eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly dynamodb?: { readonly SequenceNumber?: string; readonly NewImage?: Record<string, AttributeValue> };
};
export type DynamoStreamEvent = { readonly Records: readonly DynamoStreamRecord[] };

export type DispatchFailure = { readonly sequenceNumber: string; readonly reason: string };
export type DispatchResult = {
  readonly failures: readonly DispatchFailure[];
  readonly sent: number;
  readonly warnings: readonly string[];
};

export const dispatchCommits = async (
  site: SiteConfig,
  ports: DispatchPorts,
  records: readonly DynamoStreamRecord[],
): Promise<DispatchResult> => {
  const registry = siteRegistry(site);
  const failures: DispatchFailure[] = [];
  const warnings: string[] = [];
  let sent = 0;
  for (const record of records) {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? record.eventID ?? '';
    // Once one record of the shard failed, the later ones wait for its retry: effects of a machine stay in order.
    if (failures.length > 0) {
      failures.push({ sequenceNumber, reason: 'after an earlier record that failed' });
      continue;
    }
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || image === undefined) continue;
    const commit = commitOfItem(unmarshall(image));
    if (commit === undefined || commit.effects.length === 0) continue;
    const [factoryId = '', lineId = '', machineId = ''] = commit.streamId.split('/');
    const machine = registry.machine(factoryId, lineId, machineId);
    if (machine === undefined) {
      warnings.push(
        `commit ${commit.streamId}@${commit.position}: the machine is not in the bundled site configuration; its effects are not sent`,
      );
      continue;
    }
    const outcome = await dispatchEffects(ports, machine, commit.position, commit.effects as MachineEffect[]);
    sent += outcome.sent;
    const retryable = outcome.failures.filter((f) => f.retryable);
    warnings.push(
      ...outcome.failures.filter((f) => !f.retryable).map((f) => `${commit.streamId}@${commit.position}: ${f.reason}`),
    );
    if (retryable.length > 0)
      failures.push({
        sequenceNumber,
        reason: `${commit.streamId}@${commit.position}: ${retryable.map((f) => f.reason).join('; ')}`,
      });
  }
  return { failures, sent, warnings };
};
