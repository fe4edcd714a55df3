// Token rotation against hand-built exchanges of both APIs it speaks: Secrets Manager's (awsJson1_1:
// DescribeSecret, GetSecretValue, PutSecretValue, UpdateSecretVersionStage, with versions and staging
// labels kept as the service keeps them) and InfluxDB 2's (sign-in session, orgs, buckets, authorizations).
import test from 'ava';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  awsJsonError,
  awsJsonOk,
  startFakeServer,
  type FakeResponse,
  type RecordedRequest,
} from '../testing/fakes/httpExchange.ts';
import { readInfluxToken } from '../adapters/influxConnection.ts';
import { influxAdminApi } from './influxAdminApi.ts';
import { rotateInfluxToken } from './rotateInfluxToken.ts';

const SECRET = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:smart-factory-dev-influxdb-token-AbCdEf';
const JSON11 = 'application/x-amz-json-1.1';
const notFound = (what: string) =>
  awsJsonError(400, 'com.amazonaws.secretsmanager', 'ResourceNotFoundException', {
    Message: `Secrets Manager can't find ${what}`,
  });

/** Versions and their staging labels, one label on one version at a time, as Secrets Manager keeps them. */
const startSecretsManager = async () => {
  const versions = new Map<string, { value: string | undefined; stages: string[] }>();
  const label = (stage: string, id: string) => {
    for (const v of versions.values()) v.stages = v.stages.filter((s) => s !== stage);
    versions.get(id)!.stages.push(stage);
  };
  const server = await startFakeServer((req: RecordedRequest): FakeResponse => {
    const body = JSON.parse(req.body) as Record<string, any>;
    if (req.headers['content-type'] !== JSON11 || body.SecretId !== SECRET) return notFound('the secret');
    switch (req.headers['x-amz-target']) {
      case 'secretsmanager.DescribeSecret':
        return awsJsonOk(
          {
            ARN: SECRET,
            Name: 'token',
            RotationEnabled: true,
            VersionIdsToStages: Object.fromEntries([...versions].map(([id, v]) => [id, v.stages])),
          },
          JSON11,
        );
      case 'secretsmanager.GetSecretValue': {
        const stage = body.VersionStage ?? (body.VersionId === undefined ? 'AWSCURRENT' : undefined);
        const found = [...versions].find(
          ([id, v]) =>
            (body.VersionId === undefined || id === body.VersionId) &&
            (stage === undefined || v.stages.includes(stage)),
        );
        if (found === undefined || found[1].value === undefined)
          return notFound(`the specified secret value for ${JSON.stringify(body.VersionId ?? stage)}`);
        return awsJsonOk(
          {
            ARN: SECRET,
            Name: 'token',
            VersionId: found[0],
            SecretString: found[1].value,
            VersionStages: found[1].stages,
          },
          JSON11,
        );
      }
      case 'secretsmanager.PutSecretValue': {
        const id = body.ClientRequestToken as string;
        versions.set(id, { value: body.SecretString, stages: versions.get(id)?.stages ?? [] });
        for (const stage of body.VersionStages ?? ['AWSCURRENT']) label(stage, id);
        return awsJsonOk(
          { ARN: SECRET, Name: 'token', VersionId: id, VersionStages: versions.get(id)!.stages },
          JSON11,
        );
      }
      case 'secretsmanager.UpdateSecretVersionStage': {
        if (
          body.RemoveFromVersionId !== undefined &&
          !versions.get(body.RemoveFromVersionId)?.stages.includes(body.VersionStage)
        ) {
          return awsJsonError(400, 'com.amazonaws.secretsmanager', 'InvalidParameterException', {
            Message: `${body.RemoveFromVersionId} does not hold ${body.VersionStage}`,
          });
        }
        const old = [...versions].find(([, v]) => v.stages.includes('AWSCURRENT'))?.[0];
        label(body.VersionStage, body.MoveToVersionId);
        if (body.VersionStage === 'AWSCURRENT') {
          versions.get(body.MoveToVersionId)!.stages = versions
            .get(body.MoveToVersionId)!
            .stages.filter((s) => s !== 'AWSPENDING');
          if (old !== undefined && old !== body.MoveToVersionId) label('AWSPREVIOUS', old);
        }
        return awsJsonOk({ ARN: SECRET, Name: 'token' }, JSON11);
      }
      default:
        return awsJsonError(400, 'com.amazonaws.secretsmanager', 'InvalidRequestException', {
          Message: `unexpected ${String(req.headers['x-amz-target'])}`,
        });
    }
  });
  const client = new SecretsManagerClient({
    endpoint: server.endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  // RotateSecret: Secrets Manager labels the new version AWSPENDING before it calls the function.
  const startRotation = (id: string) => {
    versions.set(id, { value: undefined, stages: ['AWSPENDING'] });
  };
  return {
    server,
    client,
    versions,
    startRotation,
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
};

/** InfluxDB 2's API as the admin user uses it: sign-in answers a session cookie every other call must carry. */
const startInflux = async () => {
  const tokens = new Map<string, { token: string; bucketID: string }>();
  let next = 0;
  const json = (status: number, body: unknown): FakeResponse => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const server = await startFakeServer((req) => {
    const url = new URL(req.path, 'http://influx');
    if (req.method === 'POST' && url.pathname === '/api/v2/signin') {
      return req.headers.authorization === `Basic ${Buffer.from('factory:admin-password').toString('base64')}`
        ? { status: 204, headers: { 'set-cookie': 'influxdb-oss-session=s3ss10n; Path=/api/; HttpOnly' }, body: '' }
        : json(401, { code: 'unauthorized', message: 'Unauthorized' });
    }
    if (req.headers.cookie !== 'influxdb-oss-session=s3ss10n')
      return json(401, { code: 'unauthorized', message: 'unauthorized access' });
    if (req.method === 'GET' && url.pathname === '/api/v2/orgs')
      return json(200, {
        orgs: url.searchParams.get('org') === 'smart-factory' ? [{ id: 'org1', name: 'smart-factory' }] : [],
      });
    if (req.method === 'GET' && url.pathname === '/api/v2/buckets')
      return json(200, {
        buckets:
          url.searchParams.get('name') === 'telemetry' && url.searchParams.get('orgID') === 'org1'
            ? [{ id: 'bucket1', name: 'telemetry', orgID: 'org1' }]
            : [],
      });
    if (req.method === 'POST' && url.pathname === '/api/v2/authorizations') {
      const body = JSON.parse(req.body) as {
        orgID: string;
        permissions: { action: string; resource: { type: string; id: string; orgID: string } }[];
      };
      if (
        body.orgID !== 'org1' ||
        body.permissions.length !== 1 ||
        body.permissions[0]!.action !== 'write' ||
        body.permissions[0]!.resource.type !== 'buckets'
      )
        return json(400, { code: 'invalid', message: 'bad permissions' });
      const id = `auth${++next}`;
      tokens.set(id, { token: `token-${next}`, bucketID: body.permissions[0]!.resource.id });
      return json(201, { id, token: `token-${next}`, orgID: 'org1', status: 'active' });
    }
    const deleted = /^\/api\/v2\/authorizations\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'DELETE' && deleted !== null)
      return tokens.delete(deleted[1]!)
        ? { status: 204, body: '' }
        : json(404, { code: 'not found', message: 'authorization not found' });
    return json(404, { code: 'not found', message: `no route ${req.method} ${url.pathname}` });
  });
  return { server, tokens, close: () => server.close() };
};

const rotate = async (
  sm: Awaited<ReturnType<typeof startSecretsManager>>,
  influx: Awaited<ReturnType<typeof startInflux>>,
  version: string,
  password = 'admin-password',
) => {
  sm.startRotation(version);
  const admin = () =>
    influxAdminApi({
      url: influx.server.endpoint,
      org: 'smart-factory',
      bucket: 'telemetry',
      username: 'factory',
      password,
    });
  for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'])
    await rotateInfluxToken({ secrets: sm.client, admin }, { SecretId: SECRET, ClientRequestToken: version, Step });
};

test('the first rotation (when the stack makes the secret) leaves a write token for the telemetry bucket that the process function reads', async (t) => {
  const sm = await startSecretsManager();
  const influx = await startInflux();
  try {
    await rotate(sm, influx, 'v1');
    t.deepEqual([...influx.tokens], [['auth1', { token: 'token-1', bucketID: 'bucket1' }]]);
    t.deepEqual(sm.versions.get('v1')?.stages, ['AWSCURRENT']);
    t.is(await readInfluxToken(sm.client, SECRET), 'token-1');
  } finally {
    await sm.close();
    await influx.close();
  }
});

test('each rotation makes a new token, keeps the one it replaces (a warm function holds it) and deletes the one before', async (t) => {
  const sm = await startSecretsManager();
  const influx = await startInflux();
  try {
    await rotate(sm, influx, 'v1');
    await rotate(sm, influx, 'v2');
    t.deepEqual([...influx.tokens.keys()], ['auth1', 'auth2']);
    t.is(await readInfluxToken(sm.client, SECRET), 'token-2');
    t.deepEqual(sm.versions.get('v1')?.stages, ['AWSPREVIOUS']);
    await rotate(sm, influx, 'v3');
    t.deepEqual([...influx.tokens.keys()], ['auth2', 'auth3']);
    t.is(await readInfluxToken(sm.client, SECRET), 'token-3');
  } finally {
    await sm.close();
    await influx.close();
  }
});

test('a step Secrets Manager repeats makes no second token, and a version already current is left alone', async (t) => {
  const sm = await startSecretsManager();
  const influx = await startInflux();
  try {
    await rotate(sm, influx, 'v1');
    const admin = () =>
      influxAdminApi({
        url: influx.server.endpoint,
        org: 'smart-factory',
        bucket: 'telemetry',
        username: 'factory',
        password: 'admin-password',
      });
    sm.startRotation('v2');
    for (let i = 0; i < 2; i++)
      await rotateInfluxToken(
        { secrets: sm.client, admin },
        { SecretId: SECRET, ClientRequestToken: 'v2', Step: 'createSecret' },
      );
    t.is(influx.tokens.size, 2);
    await rotateInfluxToken(
      { secrets: sm.client, admin },
      { SecretId: SECRET, ClientRequestToken: 'v1', Step: 'createSecret' },
    );
    t.is(influx.tokens.size, 2);
  } finally {
    await sm.close();
    await influx.close();
  }
});

test("a wrong admin password fails the rotation, naming InfluxDB's answer, and the current token stays", async (t) => {
  const sm = await startSecretsManager();
  const influx = await startInflux();
  try {
    await rotate(sm, influx, 'v1');
    await t.throwsAsync(rotate(sm, influx, 'v2', 'wrong'), {
      message: 'InfluxDB sign-in as factory: HTTP 401: Unauthorized',
    });
    t.is(await readInfluxToken(sm.client, SECRET), 'token-1');
    await t.throwsAsync(
      rotateInfluxToken(
        { secrets: sm.client, admin: () => Promise.reject(new Error('unused')) },
        { SecretId: SECRET, ClientRequestToken: 'v2', Step: 'rollback' },
      ),
      { message: /^unknown rotation step "rollback"/ },
    );
  } finally {
    await sm.close();
    await influx.close();
  }
});
