// TimeSeries alone, under mocks, once per sink, with the key and the archive bucket as plain inputs:
// what the functions are told to write to, and where Timestream parks rejected records.
import test from 'ava';
import { constructAlone, IDENTITY, KEY_ARN, SUBNET_IDS, type Constructed } from './testing/componentHarness.ts';
import type { TimeSeries } from './timeSeries.ts';

let built: Constructed;
let timestream: TimeSeries;
let influxdb: TimeSeries;
test.before(async () => {
  built = await constructAlone(async () => {
    const { TimeSeries } = await import('./timeSeries.ts');
    const common = {
      identity: IDENTITY,
      keyArn: KEY_ARN,
      rejectedRecordsBucketName: 'archive-bucket',
      region: 'eu-central-1',
      memoryRetentionHours: 24,
      magneticRetentionDays: 365,
    };
    timestream = new TimeSeries('ts', { ...common, sink: 'timestream', timestreamCell: 'cell2', influxdb: undefined });
    influxdb = new TimeSeries('influx', {
      ...common,
      sink: 'influxdb',
      timestreamCell: undefined,
      influxdb: {
        instanceType: 'db.influx.medium',
        password: 'secret',
        subnetIds: SUBNET_IDS,
        securityGroupId: 'sg-db',
      },
    });
  });
});

test('timestream: both tables park rejected records in the bucket given, encrypted with the key given', (t) => {
  const tables = built.ofType('aws:timestreamwrite/table:Table');
  t.deepEqual(
    tables.map((tb) => tb.inputs.tableName),
    ['telemetry', 'oee'],
  );
  for (const table of tables) {
    const s3 = table.inputs.magneticStoreWriteProperties.magneticStoreRejectedDataLocation.s3Configuration;
    t.is(s3.bucketName, 'archive-bucket');
    t.is(s3.kmsKeyId, KEY_ARN);
  }
  t.is(built.one('aws:timestreamwrite/database:Database').inputs.kmsKeyId, KEY_ARN);
});

test("timestream: the functions write to the account's cell endpoint, in the database made here", (t) => {
  t.is(timestream.environment.TIME_SERIES_SINK, 'timestream');
  t.is(timestream.environment.TIMESTREAM_INGEST_ENDPOINT, 'https://ingest-cell2.timestream.eu-central-1.amazonaws.com');
  t.is(timestream.influxdb, undefined);
});

test('influxdb: a private instance in the subnets and security group given, its token in a secret under the key', (t) => {
  const instance = built.one('aws:timestreaminfluxdb/dbInstance:DbInstance');
  t.false(instance.inputs.publiclyAccessible);
  t.deepEqual(instance.inputs.vpcSubnetIds, SUBNET_IDS);
  t.deepEqual(instance.inputs.vpcSecurityGroupIds, ['sg-db']);
  t.is(built.one('aws:secretsmanager/secret:Secret').inputs.kmsKeyId, KEY_ARN);
  t.is(influxdb.environment.TIME_SERIES_SINK, 'influxdb');
  t.deepEqual(influxdb.tables, []);
});
