// Against the hand-built SiteWise data-plane exchange (restJson1 POST /properties).
import test from 'ava';
import { IoTSiteWiseClient } from '@aws-sdk/client-iotsitewise';
import { startFakeSiteWise } from '../testing/fakes/iotSiteWise.ts';
import { sitewiseAssetPropertyWriter } from '../adapters/sitewiseAssetPropertyWriter.ts';
import { writeAttributes } from './writeAttributes.ts';

const NOW = 1_700_000_000_000;
const ALIASES = [
  '/smart-factory-dev-factory/f1/l1/press-01/ideal_cycle_time_s',
  '/smart-factory-dev-factory/f1/l1/lathe-02/ideal_cycle_time_s',
];

const withSiteWise = async (
  run: (
    writer: ReturnType<typeof sitewiseAssetPropertyWriter>,
    fake: Awaited<ReturnType<typeof startFakeSiteWise>>,
  ) => Promise<void>,
) => {
  const fake = await startFakeSiteWise(ALIASES);
  const client = new IoTSiteWiseClient({
    endpoint: fake.endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    disableHostPrefix: true,
  });
  try {
    await run(sitewiseAssetPropertyWriter({ client }), fake);
  } finally {
    client.destroy();
    await fake.close();
  }
};

test("each machine's ideal cycle time is written to its own asset attribute", async (t) => {
  await withSiteWise(async (writer, fake) => {
    const outcome = await writeAttributes(
      writer,
      {
        values: [
          { alias: ALIASES[0], value: 1.2 },
          { alias: ALIASES[1], value: 12.5 },
        ],
      },
      NOW,
    );
    t.deepEqual(outcome, { written: 2 });
    t.deepEqual(fake.values.get(ALIASES[0]!), [{ ms: NOW, value: 1.2 }]);
    t.deepEqual(fake.values.get(ALIASES[1]!), [{ ms: NOW, value: 12.5 }]);
  });
});

test('a refused value fails the invocation (and so the deploy), naming the alias', async (t) => {
  await withSiteWise(async (writer) => {
    const error = await t.throwsAsync(
      writeAttributes(
        writer,
        {
          values: [
            { alias: ALIASES[0], value: 1 },
            { alias: '/x/f9/l1/m/ideal_cycle_time_s', value: 2 },
          ],
        },
        NOW,
      ),
    );
    t.regex(
      error?.message ?? '',
      /^1 of 2 attribute value\(s\) refused: SiteWise refused \/x\/f9\/l1\/m\/ideal_cycle_time_s at /,
    );
  });
});

test('an event that is not a list of alias values is refused before anything is written', async (t) => {
  await withSiteWise(async (writer, fake) => {
    await t.throwsAsync(writeAttributes(writer, { values: [{ alias: ALIASES[0], value: '1.2' }] }, NOW), {
      message: /^attributes event is not/,
    });
    t.is(fake.requests.length, 0);
  });
});
