// SiteWise has no local service and only one adapter, so this is the AssetPropertyWriter's suite.
import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import { IoTSiteWiseClient } from '@aws-sdk/client-iotsitewise';
import { startFakeSiteWise } from '../testing/fakes/iotSiteWise.ts';
import { sitewiseAssetPropertyWriter, sitewiseTimestamp } from './sitewiseAssetPropertyWriter.ts';

const setup = async (aliases: string[]) => {
  const fake = await startFakeSiteWise(aliases);
  // BatchPutAssetPropertyValue carries the host prefix "data."; a loopback endpoint has no such host.
  const client = new IoTSiteWiseClient({
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    disableHostPrefix: true,
  });
  return {
    fake,
    writer: sitewiseAssetPropertyWriter({ client }),
    close: async () => {
      client.destroy();
      await fake.close();
    },
  };
};

testProp(
  'a timestamp splits into whole seconds and nanoseconds that add back to the milliseconds',
  [fc.integer({ min: 0, max: 4_102_444_800_000 })],
  (t, ms) => {
    const { timeInSeconds, offsetInNanos } = sitewiseTimestamp(ms);
    t.true(Number.isInteger(timeInSeconds) && offsetInNanos >= 0 && offsetInNanos < 1e9);
    t.is(timeInSeconds * 1000 + offsetInNanos / 1e6, ms);
  },
  { numRuns: 500 },
);

test('sitewise writer: 150 values over 3 aliases go in entries of ≤ 10 values, calls of ≤ 10 entries, and all land', async (t) => {
  const aliases = ['/f1/l1/a/oee', '/f1/l1/b/oee', '/f1/l1/c/oee'];
  const { fake, writer, close } = await setup(aliases);
  const values = Array.from({ length: 150 }, (_, i) => ({
    propertyAlias: aliases[i % 3]!,
    value: i / 150,
    ts: 1_700_000_000_123 + i * 1000,
  }));
  t.deepEqual(await writer.write(values), { accepted: 150, rejected: [] });
  t.is(fake.requests.length, 2, '15 entries need two calls');
  for (const alias of aliases)
    t.deepEqual(
      fake.values.get(alias),
      values.filter((v) => v.propertyAlias === alias).map((v) => ({ ms: v.ts, value: v.value })),
    );
  await close();
});

test('sitewise writer: values of an unknown alias are reported one by one from errorEntries', async (t) => {
  const { writer, close } = await setup(['/f1/l1/a/oee']);
  const report = await writer.write([
    { propertyAlias: '/f1/l1/a/oee', value: 1, ts: 1000 },
    { propertyAlias: '/nope', value: 2, ts: 2500 },
    { propertyAlias: '/nope', value: 3, ts: 3000 },
  ]);
  t.is(report.accepted, 1);
  t.deepEqual(
    report.rejected.map((r) => [r.item.ts, r.retryable]),
    [
      [2500, false],
      [3000, false],
    ],
  );
  t.regex(report.rejected[0]!.reason, /\/nope at 1970-01-01T00:00:02.500Z: ResourceNotFoundException/);
  await close();
});

test("sitewise writer: with the stack's alias prefix (SITEWISE_ALIAS_PREFIX) it writes to the stack's own aliases, and names them when refused", async (t) => {
  const fake = await startFakeSiteWise(['/smart-factory-dev-factory/f1/l1/press-01/oee']);
  const client = new IoTSiteWiseClient({
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    disableHostPrefix: true,
  });
  const writer = sitewiseAssetPropertyWriter({ client, aliasPrefix: '/smart-factory-dev-factory' });
  try {
    const report = await writer.write([
      { propertyAlias: '/f1/l1/press-01/oee', value: 0.8, ts: 1_700_000_000_000 },
      { propertyAlias: '/f1/l1/lathe-02/oee', value: 0.7, ts: 1_700_000_000_000 },
    ]);
    t.is(report.accepted, 1);
    t.deepEqual(fake.values.get('/smart-factory-dev-factory/f1/l1/press-01/oee'), [
      { ms: 1_700_000_000_000, value: 0.8 },
    ]);
    t.regex(
      report.rejected[0]?.reason ?? '',
      /^SiteWise refused \/smart-factory-dev-factory\/f1\/l1\/lathe-02\/oee at /,
    );
  } finally {
    client.destroy();
    await fake.close();
  }
});
