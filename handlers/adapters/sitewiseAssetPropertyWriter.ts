// Values into SiteWise asset properties by alias: BatchPutAssetPropertyValue takes ≤ 10 entries a
// call and ≤ 10 values an entry, timestamps as seconds + nanosecond offset; failures come back per
// entry and timestamp in errorEntries, and are reported per value.
import {
  BatchPutAssetPropertyValueCommand,
  type IoTSiteWiseClient,
  type PutAssetPropertyValueEntry,
} from '@aws-sdk/client-iotsitewise';
import type { AssetPropertyValue, AssetPropertyWriter } from '../ports/assetPropertyWriter.ts';
import { chunksOf } from './chunksOf.ts';
import type { Rejected } from '../ports/writeReport.ts';

export const MAX_ENTRIES_PER_CALL = 10;
export const MAX_VALUES_PER_ENTRY = 10;
const RETRYABLE = new Set([
  'InternalFailureException',
  'ServiceUnavailableException',
  'ThrottlingException',
  'LimitExceededException',
]);

export const sitewiseTimestamp = (ms: number) => ({
  timeInSeconds: Math.floor(ms / 1000),
  offsetInNanos: (ms - Math.floor(ms / 1000) * 1000) * 1_000_000,
});

export type SiteWiseWriterOptions = {
  readonly client: IoTSiteWiseClient;
  /**
   * Put before every alias (SITEWISE_ALIAS_PREFIX, e.g. `/smart-factory-dev-factory`): SiteWise aliases
   * are unique per account and region, so each stack's assets carry their own prefix (infra/twins.ts).
   */
  readonly aliasPrefix?: string;
};

export const sitewiseAssetPropertyWriter = (options: SiteWiseWriterOptions): AssetPropertyWriter => {
  const prefix = (options.aliasPrefix ?? '').replace(/\/$/, '');
  return {
    write: async (values) => {
      // Group by alias, then ≤ 10 values per entry; entry ids index into `entries`.
      const byAlias = new Map<string, AssetPropertyValue[]>();
      for (const v of values) byAlias.set(v.propertyAlias, [...(byAlias.get(v.propertyAlias) ?? []), v]);
      const entries = [...byAlias.values()].flatMap((vs) => chunksOf(vs, MAX_VALUES_PER_ENTRY));
      const rejected: Rejected<AssetPropertyValue>[] = [];
      for (const [callIndex, call] of chunksOf(
        entries.map((e, i) => [i, e] as const),
        MAX_ENTRIES_PER_CALL,
      ).entries()) {
        const wire: PutAssetPropertyValueEntry[] = call.map(([i, vs]) => ({
          entryId: `e${i}`,
          propertyAlias: `${prefix}${vs[0]!.propertyAlias}`,
          propertyValues: vs.map((v) => ({
            value: { doubleValue: v.value },
            timestamp: sitewiseTimestamp(v.ts),
            quality: v.quality ?? 'GOOD',
          })),
        }));
        try {
          const out = await options.client.send(new BatchPutAssetPropertyValueCommand({ entries: wire }));
          for (const errorEntry of out.errorEntries ?? []) {
            const vs = entries[Number(errorEntry.entryId!.slice(1))]!;
            for (const e of errorEntry.errors ?? []) {
              for (const ts of e.timestamps ?? []) {
                const ms = Number(ts.timeInSeconds) * 1000 + Math.round(Number(ts.offsetInNanos ?? 0) / 1_000_000);
                for (const v of vs.filter((x) => x.ts === ms)) {
                  rejected.push({
                    item: v,
                    retryable: RETRYABLE.has(e.errorCode ?? ''),
                    reason: `SiteWise refused ${prefix}${v.propertyAlias} at ${new Date(ms).toISOString()}: ${e.errorCode ?? ''}: ${e.errorMessage ?? ''}`,
                  });
                }
              }
            }
          }
        } catch (error) {
          for (const [, vs] of call)
            for (const v of vs)
              rejected.push({
                item: v,
                retryable: RETRYABLE.has((error as Error).name),
                reason: `SiteWise call ${callIndex + 1} failed: ${(error as Error).name}: ${(error as Error).message}`,
              });
        }
      }
      return { accepted: values.length - rejected.length, rejected };
    },
  };
};
