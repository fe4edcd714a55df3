// Where and how the process function writes to Timestream for InfluxDB, read once at cold start from
// the environment infra/timeSeries.ts sets: INFLUXDB_URL (scheme, host and port), INFLUXDB_ORG,
// INFLUXDB_BUCKET, and INFLUXDB_TOKEN_SECRET_ARN, the Secrets Manager secret holding the API token
// (never the token itself in the environment). A missing or unusable value fails the cold start with
// what to set; an invocation never starts without a token.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { requireEnv as required, type Environment } from '../lambdaEnvironment.ts';

export type InfluxConnection = {
  readonly endpoint: string;
  readonly org: string;
  readonly bucket: string;
  readonly token: string;
};

/** `https://host:8086`: a bare host (the DB instance's `endpoint`) is not a URL the write API can be called on. */
export const influxUrl = (value: string): string => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || !['https:', 'http:'].includes(url.protocol) || url.port === '') {
    throw new Error(
      `INFLUXDB_URL ${JSON.stringify(value)} is not a URL with scheme and port; expected https://<instance endpoint>:8086`,
    );
  }
  return `${url.protocol}//${url.host}`;
};

/**
 * The token in a secret: `{"token": "…"}` (the shape of Timestream for InfluxDB's token secrets) or
 * the bare token. An empty secret means no token was made yet: say how to make one.
 */
export const readInfluxToken = async (client: SecretsManagerClient, secretId: string): Promise<string> => {
  let text: string | undefined;
  try {
    text = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  } catch (error) {
    // A secret created without a value answers ResourceNotFoundException ("can't find a version").
    if ((error as Error).name !== 'ResourceNotFoundException')
      throw new Error(
        `cannot read the InfluxDB token from ${secretId}: ${(error as Error).name}: ${(error as Error).message}`,
      );
    text = undefined;
  }
  let token: unknown = text;
  if (text !== undefined && text.trimStart().startsWith('{')) {
    try {
      token = (JSON.parse(text) as { token?: unknown }).token;
    } catch {
      token = undefined;
    }
  }
  if (typeof token !== 'string' || token.trim() === '') {
    throw new Error(
      `secret ${secretId} holds no InfluxDB token; create a token with write access to the telemetry bucket and store it: ` +
        `aws secretsmanager put-secret-value --secret-id ${secretId} --secret-string '{"token":"<token>"}' (infra/README.md, Deploying)`,
    );
  }
  return token.trim();
};

export const influxConnectionFromEnvironment = async (
  env: Environment,
  secrets: SecretsManagerClient,
): Promise<InfluxConnection> => ({
  endpoint: influxUrl(required(env, 'INFLUXDB_URL')),
  org: env.INFLUXDB_ORG ?? 'smart-factory',
  bucket: required(env, 'INFLUXDB_BUCKET'),
  token: await readInfluxToken(secrets, required(env, 'INFLUXDB_TOKEN_SECRET_ARN')),
});
