// The time-series sinks infra/timeSeries.ts configures: Timestream tables, or InfluxDB measurements.
// The process function writes readings to the telemetry sink, the dispatch function OEE to the oee one.
import { influxTelemetrySink } from './adapters/influxTelemetrySink.ts';
import { requireEnv, type Environment } from './lambdaEnvironment.ts';
import type { TelemetrySink } from './ports/telemetrySink.ts';

export type Sinks = { readonly telemetry: TelemetrySink; readonly oee: TelemetrySink };

/**
 * The time-series sinks infra/timeSeries.ts configures: Timestream tables, or InfluxDB measurements.
 * Awaited at init, so each sink's SDK is loaded only for that sink; the InfluxDB token is read then too,
 * the variables naming the Timestream endpoint and tables at the first invocation.
 */
export const loadSinks = async (env: Environment): Promise<(env: Environment) => Sinks> => {
  if (env.TIME_SERIES_SINK === 'influxdb') {
    // The token is read from Secrets Manager here, at cold start: no invocation starts without it.
    const [{ SecretsManagerClient }, { influxConnectionFromEnvironment }] = await Promise.all([
      import('@aws-sdk/client-secrets-manager'),
      import('./adapters/influxConnection.ts'),
    ]);
    const connection = await influxConnectionFromEnvironment(env, new SecretsManagerClient({}));
    return () => ({
      telemetry: influxTelemetrySink({ ...connection, measurement: 'telemetry' }),
      oee: influxTelemetrySink({ ...connection, measurement: 'oee' }),
    });
  }
  const [{ timestreamIngestClient }, { timestreamTelemetrySink }] = await Promise.all([
    import('./adapters/timestreamIngestClient.ts'),
    import('./adapters/timestreamTelemetrySink.ts'),
  ]);
  return (env) => {
    // The account's cell endpoint: no endpoint discovery, which private subnets cannot reach.
    const client = timestreamIngestClient(requireEnv(env, 'TIMESTREAM_INGEST_ENDPOINT'));
    const databaseName = requireEnv(env, 'TIMESTREAM_DATABASE');
    return {
      telemetry: timestreamTelemetrySink({
        client,
        databaseName,
        tableName: requireEnv(env, 'TIMESTREAM_TELEMETRY_TABLE'),
      }),
      oee: timestreamTelemetrySink({ client, databaseName, tableName: requireEnv(env, 'TIMESTREAM_OEE_TABLE') }),
    };
  };
};
