// The time-series sink behind handlers' TelemetrySink port: Timestream for LiveAnalytics (tables
// `telemetry` and `oee`, memory store for recent writes, magnetic store for history, late writes
// allowed into the magnetic store) or, where Timestream LiveAnalytics is closed to new customers,
// Timestream for InfluxDB inside the private subnets.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { resourceName, stackTags, type StackIdentity } from './tagging.ts';
import { timestreamIngestEndpoint, type TimeSeriesSink } from './lambdaServices.ts';

export const TIMESTREAM_TABLES = ['telemetry', 'oee'] as const;
export const INFLUX_ORG = 'smart-factory';
export const INFLUX_BUCKET = 'telemetry';
export const INFLUX_ADMIN_USER = 'factory';

export type TimeSeriesArgs = {
  readonly identity: StackIdentity;
  readonly sink: TimeSeriesSink;
  /** The stack key's ARN: what this component stores is encrypted with it. */
  readonly keyArn: pulumi.Input<string>;
  /** Timestream reports records the magnetic store rejected here (the archive bucket). */
  readonly rejectedRecordsBucketName: pulumi.Input<string>;
  /** The stack's region and (timestream sink) the account's cell: the process function writes to that cell's endpoint. */
  readonly region: string;
  readonly timestreamCell: string | undefined;
  readonly memoryRetentionHours: number;
  readonly magneticRetentionDays: number;
  readonly influxdb:
    | {
        readonly instanceType: string;
        readonly password: pulumi.Input<string>;
        readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
        readonly securityGroupId: pulumi.Input<string>;
      }
    | undefined;
};

/** What the process function is told about the sink (its environment). */
export type SinkEnvironment = Readonly<Record<string, pulumi.Input<string>>>;

export class TimeSeries extends pulumi.ComponentResource {
  readonly database: aws.timestreamwrite.Database | undefined;
  readonly tables: aws.timestreamwrite.Table[];
  readonly influxdb: aws.timestreaminfluxdb.DbInstance | undefined;
  /** influxdb sink: the write token's secret, which the process function reads at cold start. */
  readonly influxTokenSecret: aws.secretsmanager.Secret | undefined;
  readonly environment: SinkEnvironment;

  constructor(name: string, args: TimeSeriesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:timeseries:TimeSeries', name, {}, opts);
    const tags = stackTags(args.identity);
    const parent = { parent: this };

    if (args.sink === 'timestream') {
      const database = new aws.timestreamwrite.Database(
        `${name}-db`,
        {
          databaseName: resourceName(args.identity, 'factory'),
          kmsKeyId: args.keyArn,
          tags,
        },
        parent,
      );
      this.database = database;
      this.tables = TIMESTREAM_TABLES.map(
        (table) =>
          new aws.timestreamwrite.Table(
            `${name}-${table}`,
            {
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
                magneticStoreRejectedDataLocation: {
                  s3Configuration: {
                    bucketName: args.rejectedRecordsBucketName,
                    objectKeyPrefix: `timestream-rejected/${table}/`,
                    encryptionOption: 'SSE_KMS',
                    kmsKeyId: args.keyArn,
                  },
                },
              },
              tags,
            },
            parent,
          ),
      );
      this.influxdb = undefined;
      this.influxTokenSecret = undefined;
      if (args.timestreamCell === undefined)
        throw new Error('TimeSeries: the timestream sink needs factory:timestreamCell');
      this.environment = {
        TIME_SERIES_SINK: 'timestream',
        TIMESTREAM_INGEST_ENDPOINT: timestreamIngestEndpoint(args.region, args.timestreamCell),
        TIMESTREAM_DATABASE: database.databaseName,
        TIMESTREAM_TELEMETRY_TABLE: 'telemetry',
        TIMESTREAM_OEE_TABLE: 'oee',
      };
    } else {
      if (args.influxdb === undefined)
        throw new Error('TimeSeries: the influxdb sink needs its instance settings (instance type, password, subnets)');
      this.database = undefined;
      this.tables = [];
      // Timestream for InfluxDB encrypts storage with an AWS-owned key; it takes no customer key
      // (listed as an exception in policies.ts).
      this.influxdb = new aws.timestreaminfluxdb.DbInstance(
        `${name}-influxdb`,
        {
          name: resourceName(args.identity, 'influxdb'),
          dbInstanceType: args.influxdb.instanceType,
          allocatedStorage: 20,
          dbStorageType: 'InfluxIOIncludedT1',
          deploymentType: 'SINGLE_AZ',
          publiclyAccessible: false,
          vpcSubnetIds: args.influxdb.subnetIds,
          vpcSecurityGroupIds: [args.influxdb.securityGroupId],
          username: INFLUX_ADMIN_USER,
          password: pulumi.secret(args.influxdb.password),
          organization: INFLUX_ORG,
          bucket: INFLUX_BUCKET,
          tags,
        },
        parent,
      );
      // The write token: an InfluxDB API token for the telemetry bucket, kept in Secrets Manager and
      // read by the process function at cold start. The secret is made here (encrypted with the stack
      // key); its value, the token, by its rotation (influxToken.ts) once the instance exists.
      this.influxTokenSecret = new aws.secretsmanager.Secret(
        `${name}-influxdb-token`,
        {
          name: resourceName(args.identity, 'influxdb-token'),
          description: `InfluxDB API token with write access to bucket ${INFLUX_BUCKET} of ${resourceName(args.identity, 'influxdb')}: {"token": "..."}`,
          kmsKeyId: args.keyArn,
          tags,
        },
        parent,
      );
      this.environment = {
        TIME_SERIES_SINK: 'influxdb',
        // The API is HTTPS on the instance's port (8086 unless set otherwise).
        INFLUXDB_URL: pulumi.interpolate`https://${this.influxdb.endpoint}:${this.influxdb.port}`,
        INFLUXDB_ORG: INFLUX_ORG,
        INFLUXDB_BUCKET: INFLUX_BUCKET,
        INFLUXDB_TOKEN_SECRET_ARN: this.influxTokenSecret.arn,
      };
    }
    this.registerOutputs({ environment: this.environment });
  }
}
