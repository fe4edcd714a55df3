// The influx-token function (infra/influxToken.ts): Secrets Manager's rotation function for the
// InfluxDB write token. See rotateInfluxToken.ts; the admin user's credentials are in the secret
// INFLUXDB_ADMIN_SECRET_ARN names (`{"username","password"}`, made by the stack).
import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { influxUrl } from '../adapters/influxConnection.ts';
import { requireEnv } from '../lambdaEnvironment.ts';
import { influxAdminApi } from './influxAdminApi.ts';
import { rotateInfluxToken, type RotationEvent } from './rotateInfluxToken.ts';

const logger = new Logger({ serviceName: 'influx-token' });
let secrets: SecretsManagerClient | undefined;

export const handler = async (event: RotationEvent) => {
  const env = process.env;
  secrets ??= new SecretsManagerClient({});
  const client = secrets;
  const admin = async () => {
    const text =
      (await client.send(new GetSecretValueCommand({ SecretId: requireEnv(env, 'INFLUXDB_ADMIN_SECRET_ARN') })))
        .SecretString ?? '{}';
    const { username, password } = JSON.parse(text) as { username?: string; password?: string };
    if (username === undefined || password === undefined)
      throw new Error('the InfluxDB admin secret holds no username and password');
    return influxAdminApi({
      url: influxUrl(requireEnv(env, 'INFLUXDB_URL')),
      org: requireEnv(env, 'INFLUXDB_ORG'),
      bucket: requireEnv(env, 'INFLUXDB_BUCKET'),
      username,
      password,
    });
  };
  await rotateInfluxToken({ secrets: client, admin }, event);
  logger.info('rotation step done', { step: event.Step, version: event.ClientRequestToken });
};
