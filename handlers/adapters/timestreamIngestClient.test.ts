import test from 'ava';
import { WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import { startFakeTimestream } from '../testing/fakes/timestreamWrite.ts';
import { timestreamIngestClient } from './timestreamIngestClient.ts';

const local = {
  region: 'eu-central-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
};
const write = new WriteRecordsCommand({
  DatabaseName: 'factory',
  TableName: 'telemetry',
  Records: [
    {
      Dimensions: [{ Name: 'machineId', Value: 'press-01' }],
      MeasureName: 'telemetry',
      MeasureValueType: 'MULTI',
      Time: '1700000000000',
      TimeUnit: 'MILLISECONDS',
      MeasureValues: [{ Name: 'temp', Value: '71.5', Type: 'DOUBLE' }],
    },
  ],
});

test('the ingest client writes to the cell endpoint it is given and never asks DescribeEndpoints', async (t) => {
  const fake = await startFakeTimestream();
  const client = timestreamIngestClient(fake.endpoint, local);
  try {
    await client.send(write);
    t.deepEqual(
      fake.requests.map((r) => r.headers['x-amz-target']),
      ['Timestream_20181101.WriteRecords'],
    );
    t.is(fake.stored().length, 1);
  } finally {
    client.destroy();
    await fake.close();
  }
});

test('a client built the way the process function built it before (no endpoint) discovers its endpoint first, on the public name', async (t) => {
  // What private subnets without NAT cannot reach: the first request is DescribeEndpoints to
  // ingest.timestream.<region>.amazonaws.com. Resolved here through a request hook, never sent.
  const { TimestreamWriteClient } = await import('@aws-sdk/client-timestream-write');
  const client = new TimestreamWriteClient(local);
  const asked: string[] = [];
  client.middlewareStack.add(
    (_next) => async (args) => {
      const request = args.request as { hostname: string; headers: Record<string, string> };
      asked.push(`${request.headers['x-amz-target']} ${request.hostname}`);
      throw new Error('not sent');
    },
    { step: 'finalizeRequest', name: 'recordOnly' },
  );
  await t.throwsAsync(client.send(write));
  t.is(asked[0], 'Timestream_20181101.DescribeEndpoints ingest.timestream.eu-central-1.amazonaws.com');
  client.destroy();
});

test('an endpoint that is not a URL is refused at cold start, naming the variable', (t) => {
  t.throws(() => timestreamIngestClient('ingest-cell1'), {
    message: /^TIMESTREAM_INGEST_ENDPOINT "ingest-cell1" is not a URL; expected https:\/\/ingest-<cell>/,
  });
});
