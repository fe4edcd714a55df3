// The time-series sinks infra/timeSeries.ts configures: Timestream tables, or InfluxDB measurements.
// The process function writes readings to the telemetry sink, the dispatch function OEE to the oee one.
import { influxTelemetrySink } from './adapters/influxTelemetrySink.ts';
import { requireEnv, type Environment } from './lambdaEnvironment.ts';
import type { TelemetrySink } from './ports/telemetrySink.ts';

export type Sinks = { readonly telemetry: TelemetrySink; readonly oee: TelemetrySink };

/**
 * The time-series sinks infra/timeSeries.ts configures: Timestream tables, or InfluxDB measurements.
 * Awaited at init, so the Timestream SDK is loaded only for that sink; the variables naming the tables
 * are still read at the first invocation.
 */
export const loadSinks = async (sink: string | undefined): Promise<(env: Environment) => Sinks> => {
  if (sink === 'influxdb') {
    return (env) => {
      const common = { endpoint: requireEnv(env, 'INFLUXDB_ENDPOINT'), org: env.INFLUXDB_ORG ?? 'smart-factory', bucket: requireEnv(env, 'INFLUXDB_BUCKET'), token: requireEnv(env, 'INFLUXDB_TOKEN') };
      return { telemetry: influxTelemetrySink({ ...common, measurement: 'telemetry' }), oee: influxTelemetrySink({ ...common, measurement: 'oee' }) };
    };
  }
  const [{ TimestreamWriteClient }, { timestreamTelemetrySink }] = await Promise.all([import('@aws-sdk/client-timestream-write'), import('./adapters/timestreamTelemetrySink.ts')]);
  return (env) => {
    const client = new TimestreamWriteClient({});
    const databaseName = requireEnv(env, 'TIMESTREAM_DATABASE');
    return {
      telemetry: timestreamTelemetrySink({ client, databaseName, tableName: requireEnv(env, 'TIMESTREAM_TELEMETRY_TABLE') }),
      oee: timestreamTelemetrySink({ client, databaseName, tableName: requireEnv(env, 'TIMESTREAM_OEE_TABLE') }),
    };
  };
};

