// The time-series sink behind handlers' TelemetrySink port: Timestream for LiveAnalytics (tables
// `telemetry` and `oee`, memory store for recent writes, magnetic store for history, late writes
// allowed into the magnetic store) or, where Timestream LiveAnalytics is closed to new customers,
// Timestream for InfluxDB inside the private subnets.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { resourceName, stackTags, type StackIdentity } from './tagging.ts';
import type { TimeSeriesSink } from './lambdaServices.ts';

export const TIMESTREAM_TABLES = ['telemetry', 'oee'] as const;

export type TimeSeriesArgs = {
  readonly identity: StackIdentity;
  readonly sink: TimeSeriesSink;
  readonly key: aws.kms.Key;
  /** Timestream reports records the magnetic store rejected here (the archive bucket). */
  readonly rejectedRecordsBucket: aws.s3.Bucket;
  readonly memoryRetentionHours: number;
  readonly magneticRetentionDays: number;
  readonly influxdb: { readonly instanceType: string; readonly password: pulumi.Input<string>; readonly subnetIds: pulumi.Input<string>[]; readonly securityGroupId: pulumi.Input<string> } | undefined;
};

/** What the process function is told about the sink (its environment). */
export type SinkEnvironment = Readonly<Record<string, pulumi.Input<string>>>;

export class TimeSeries extends pulumi.ComponentResource {
  readonly database: aws.timestreamwrite.Database | undefined;
  readonly tables: aws.timestreamwrite.Table[];
  readonly influxdb: aws.timestreaminfluxdb.DbInstance | undefined;
  readonly environment: SinkEnvironment;

  constructor(name: string, args: TimeSeriesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:timeseries:TimeSeries', name, {}, opts);
    const tags = stackTags(args.identity);
    const parent = { parent: this };

    if (args.sink === 'timestream') {
      const database = new aws.timestreamwrite.Database(`${name}-db`, {
        databaseName: resourceName(args.identity, 'factory'),
        kmsKeyId: args.key.arn,
        tags,
      }, parent);
      this.database = database;
      this.tables = TIMESTREAM_TABLES.map((table) => new aws.timestreamwrite.Table(`${name}-${table}`, {
        databaseName: database.databaseName,
        tableName: table,
        retentionProperties: {
          memoryStoreRetentionPeriodInHours: args.memoryRetentionHours,
          magneticStoreRetentionPeriodInDays: args.magneticRetentionDays,
        },
        // Gateways replay their store-and-forward buffer after an outage: records older than the
        // memory store's window must still land, so magnetic-store writes are on.
        magneticStoreWriteProperties: {
          enableMagneticStoreWrites: true,
          magneticStoreRejectedDataLocation: { s3Configuration: {
            bucketName: args.rejectedRecordsBucket.bucket, objectKeyPrefix: `timestream-rejected/${table}/`,
            encryptionOption: 'SSE_KMS', kmsKeyId: args.key.arn,
          } },
        },
        tags,
      }, parent));
      this.influxdb = undefined;
      this.environment = {
        TIME_SERIES_SINK: 'timestream',
        TIMESTREAM_DATABASE: database.databaseName,
        TIMESTREAM_TELEMETRY_TABLE: 'telemetry',
        TIMESTREAM_OEE_TABLE: 'oee',
      };
    } else {
      if (args.influxdb === undefined) throw new Error('TimeSeries: the influxdb sink needs its instance settings (instance type, password, subnets)');
      this.database = undefined;
      this.tables = [];
      // Timestream for InfluxDB encrypts storage with an AWS-owned key; it takes no customer key
      // (listed as an exception in policies.ts).
      this.influxdb = new aws.timestreaminfluxdb.DbInstance(`${name}-influxdb`, {
        name: resourceName(args.identity, 'influxdb'),
        dbInstanceType: args.influxdb.instanceType,
        allocatedStorage: 20,
        dbStorageType: 'InfluxIOIncludedT1',
        deploymentType: 'SINGLE_AZ',
        publiclyAccessible: false,
        vpcSubnetIds: args.influxdb.subnetIds,
        vpcSecurityGroupIds: [args.influxdb.securityGroupId],
        username: 'factory',
        password: pulumi.secret(args.influxdb.password),
        organization: 'smart-factory',
        bucket: 'telemetry',
        tags,
      }, parent);
      this.environment = { TIME_SERIES_SINK: 'influxdb', INFLUXDB_ENDPOINT: this.influxdb.endpoint, INFLUXDB_BUCKET: 'telemetry' };
    }
    this.registerOutputs({ environment: this.environment });
  }
}
