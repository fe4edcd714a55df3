// A SiteWise data-plane endpoint (restJson1 POST /properties) enforcing ≤ 10 entries, ≤ 10 values per
// entry and second+nanosecond timestamps, answering errorEntries for unknown aliases. Test support only.
import { startFakeServer, type FakeServer } from './httpExchange.ts';

type Entry = {
  entryId: string;
  propertyAlias?: string;
  propertyValues: {
    value: { doubleValue?: number };
    timestamp: { timeInSeconds: number; offsetInNanos?: number };
    quality?: string;
  }[];
};
export type FakeSiteWise = FakeServer & {
  readonly values: Map<string, { ms: number; value: number }[]>;
  readonly knownAliases: Set<string>;
};

export const startFakeSiteWise = async (knownAliases: Iterable<string>): Promise<FakeSiteWise> => {
  const values = new Map<string, { ms: number; value: number }[]>();
  const known = new Set(knownAliases);
  const bad = (message: string) => ({
    status: 400,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidRequestException' },
    body: JSON.stringify({ message }),
  });
  const server = await startFakeServer((req) => {
    if (req.method !== 'POST' || req.path !== '/properties') return bad(`no route ${req.method} ${req.path}`);
    const { entries = [] } = JSON.parse(req.body) as { entries?: Entry[] };
    if (entries.length < 1 || entries.length > 10) return bad(`entries must have 1..10 members, got ${entries.length}`);
    const errorEntries = [];
    for (const e of entries) {
      if (e.propertyValues.length < 1 || e.propertyValues.length > 10)
        return bad(`entry ${e.entryId}: propertyValues must have 1..10 members`);
      for (const v of e.propertyValues) {
        const { timeInSeconds, offsetInNanos = 0 } = v.timestamp;
        if (!Number.isInteger(timeInSeconds) || timeInSeconds < 1 || offsetInNanos < 0 || offsetInNanos > 999_999_999)
          return bad(`entry ${e.entryId}: bad timestamp`);
      }
      if (!known.has(e.propertyAlias ?? '')) {
        errorEntries.push({
          entryId: e.entryId,
          errors: [
            {
              errorCode: 'ResourceNotFoundException',
              errorMessage: `No property with alias ${String(e.propertyAlias)}`,
              timestamps: e.propertyValues.map((v) => v.timestamp),
            },
          ],
        });
        continue;
      }
      values.set(e.propertyAlias!, [
        ...(values.get(e.propertyAlias!) ?? []),
        ...e.propertyValues.map((v) => ({
          ms: v.timestamp.timeInSeconds * 1000 + (v.timestamp.offsetInNanos ?? 0) / 1e6,
          value: v.value.doubleValue!,
        })),
      ]);
    }
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorEntries }) };
  });
  return { ...server, values, knownAliases: known };
};
