// The InfluxDB connection as the process function reads it at cold start, against a hand-built
// exchange of Secrets Manager's wire protocol (awsJson 1.1, X-Amz-Target secretsmanager.GetSecretValue).
import test from 'ava';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  awsJsonError,
  awsJsonOk,
  startFakeServer,
  type FakeResponse,
  type RecordedRequest,
} from '../testing/fakes/httpExchange.ts';
import { influxConnectionFromEnvironment, influxUrl } from './influxConnection.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:smart-factory-dev-influxdb-token-AbCdEf';
const ENV = {
  INFLUXDB_URL: 'https://abc123.eu-central-1.timestream-influxdb.amazonaws.com:8086',
  INFLUXDB_ORG: 'smart-factory',
  INFLUXDB_BUCKET: 'telemetry',
  INFLUXDB_TOKEN_SECRET_ARN: SECRET_ARN,
};

const withSecretsManager = async (
  answer: (request: RecordedRequest) => FakeResponse,
  run: (client: SecretsManagerClient, requests: RecordedRequest[]) => Promise<void>,
) => {
  const fake = await startFakeServer(answer);
  const client = new SecretsManagerClient({
    endpoint: fake.endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    await run(client, fake.requests);
  } finally {
    client.destroy();
    await fake.close();
  }
};

const secretValue = (secretString: string): FakeResponse =>
  awsJsonOk(
    {
      ARN: SECRET_ARN,
      Name: 'smart-factory-dev-influxdb-token',
      SecretString: secretString,
      VersionId: 'v1',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_700_000_000,
    },
    'application/x-amz-json-1.1',
  );

test('the token is read from the secret the environment names, once, and the URL keeps scheme and port', async (t) => {
  await withSecretsManager(
    () => secretValue('{"token":"tok-123","org":"smart-factory"}'),
    async (client, requests) => {
      const connection = await influxConnectionFromEnvironment(ENV, client);
      t.deepEqual(connection, {
        endpoint: 'https://abc123.eu-central-1.timestream-influxdb.amazonaws.com:8086',
        org: 'smart-factory',
        bucket: 'telemetry',
        token: 'tok-123',
      });
      t.is(requests.length, 1);
      t.is(requests[0]!.headers['x-amz-target'], 'secretsmanager.GetSecretValue');
      t.is(requests[0]!.headers['content-type'], 'application/x-amz-json-1.1');
      t.deepEqual(JSON.parse(requests[0]!.body), { SecretId: SECRET_ARN });
    },
  );
});

test('a secret holding the bare token is read too', async (t) => {
  await withSecretsManager(
    () => secretValue('tok-plain\n'),
    async (client) => {
      t.is((await influxConnectionFromEnvironment(ENV, client)).token, 'tok-plain');
    },
  );
});

test('a secret with no value yet fails the cold start with the command that stores a token', async (t) => {
  const noVersion = () =>
    awsJsonError(400, 'com.amazonaws.secretsmanager', 'ResourceNotFoundException', {
      Message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    });
  await withSecretsManager(noVersion, async (client) => {
    const error = await t.throwsAsync(influxConnectionFromEnvironment(ENV, client));
    t.regex(
      error?.message ?? '',
      new RegExp(
        `^secret ${SECRET_ARN} holds no InfluxDB token; .*aws secretsmanager put-secret-value --secret-id ${SECRET_ARN} --secret-string '\\{"token":"<token>"\\}'`,
      ),
    );
  });
  await withSecretsManager(
    () => secretValue('{"token":""}'),
    async (client) => {
      await t.throwsAsync(influxConnectionFromEnvironment(ENV, client), { message: /holds no InfluxDB token/ });
    },
  );
});

test('access denied is reported as what it is, naming the secret', async (t) => {
  await withSecretsManager(
    () =>
      awsJsonError(400, 'com.amazonaws.secretsmanager', 'AccessDeniedException', {
        Message: 'not authorized to perform secretsmanager:GetSecretValue',
      }),
    async (client) => {
      await t.throwsAsync(influxConnectionFromEnvironment(ENV, client), {
        message: new RegExp(`^cannot read the InfluxDB token from ${SECRET_ARN}: AccessDeniedException`),
      });
    },
  );
});

test('INFLUXDB_URL must carry scheme and port: the bare host of the DB instance is refused, naming the variable', (t) => {
  t.is(influxUrl('https://h.example:8086/'), 'https://h.example:8086');
  for (const bad of [
    'abc123.timestream-influxdb.amazonaws.com',
    'https://abc123.timestream-influxdb.amazonaws.com',
    'ftp://h:21',
  ]) {
    t.throws(
      () => influxUrl(bad),
      { message: /^INFLUXDB_URL .* is not a URL with scheme and port; expected https:\/\/<instance endpoint>:8086$/ },
      bad,
    );
  }
});

test('without a token secret or URL the cold start names the variable', async (t) => {
  await withSecretsManager(
    () => secretValue('{"token":"t"}'),
    async (client) => {
      await t.throwsAsync(influxConnectionFromEnvironment({ ...ENV, INFLUXDB_TOKEN_SECRET_ARN: undefined }, client), {
        message: /^environment variable INFLUXDB_TOKEN_SECRET_ARN is not set/,
      });
      await t.throwsAsync(influxConnectionFromEnvironment({ ...ENV, INFLUXDB_URL: '' }, client), {
        message: /^environment variable INFLUXDB_URL is not set/,
      });
    },
  );
});
