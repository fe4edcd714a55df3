import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { awsJsonOk, startFakeServer } from './testing/fakes/httpExchange.ts';
import { buildLambdas, coldImportAsync, DEPLOYED_ENVIRONMENT, FUNCTIONS } from './build.ts';

// The bundles leave @aws-sdk/* to the runtime; under node_modules/.cache they resolve it from this
// repository's node_modules, as the Lambda runtime resolves its own copy.
const cache = resolve('node_modules/.cache');

test('build:lambdas writes one ESM bundle per function that exports handler, with the site and the failure model beside process and timer', async (t) => {
  mkdirSync(cache, { recursive: true });
  const outDir = mkdtempSync(join(cache, 'lambdas-'));
  const sitePath = resolve('localstack/sample/site.json');
  const site = readFileSync(sitePath, 'utf8');
  try {
    const modelPath = resolve('localstack/sample/maintenance-model.json');
    const reports = await buildLambdas({ outDir, site: sitePath, model: modelPath });
    t.deepEqual(
      reports.map((r) => r.name),
      [...FUNCTIONS],
    );
    for (const r of reports) {
      t.true(r.exportsHandler, `${r.name} exports handler`);
      t.true(r.bytes > 1000);
      const bare = r.externalImports.filter((s) => !s.startsWith('node:') && !s.startsWith('@aws-sdk/'));
      t.deepEqual(bare, [], `${r.name} imports nothing unbundled`);
      t.true(
        r.externalImports.some((s) => s.startsWith('@aws-sdk/client-')),
        `${r.name} leaves the SDK to the runtime`,
      );
      t.log(`${r.name}: ${(r.bytes / 1024).toFixed(1)} KiB, cold import ${r.coldImportMs.toFixed(0)} ms`);
    }
    // The clients chosen by the environment are loaded at init: each choice infra can make must load.
    // The influxdb sink reads its token at init: from a hand-built Secrets Manager on loopback.
    const secrets = await startFakeServer(() =>
      awsJsonOk(
        {
          ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:token',
          Name: 'token',
          SecretString: '{"token":"t"}',
          VersionId: 'v1',
        },
        'application/x-amz-json-1.1',
      ),
    );
    const influx = {
      TIME_SERIES_SINK: 'influxdb',
      INFLUXDB_URL: 'https://influx.example:8086',
      INFLUXDB_BUCKET: 'telemetry',
      INFLUXDB_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:token',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    };
    try {
      for (const [name, env] of [
        ['process', influx],
        ['process', { RISK_ENDPOINT_NAME: 'risk' }],
        ['timer', { RISK_ENDPOINT_NAME: 'risk' }],
      ] as const) {
        t.true(
          (await coldImportAsync(join(outDir, name, 'index.mjs'), { ...DEPLOYED_ENVIRONMENT[name], ...env }))
            .exportsHandler,
          `${name} with ${JSON.stringify(env)}`,
        );
      }
      t.is(
        secrets.requests.filter((r) => r.headers['x-amz-target'] === 'secretsmanager.GetSecretValue').length,
        1,
        'the token is read once, at init',
      );
    } finally {
      await secrets.close();
    }
    t.is(readFileSync(join(outDir, 'process', 'site.json'), 'utf8'), site, 'the site is copied byte for byte');
    t.true(existsSync(join(outDir, 'timer', 'site.json')));
    t.is(readFileSync(join(outDir, 'process', 'maintenance-model.json'), 'utf8'), readFileSync(modelPath, 'utf8'));
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

test('the environment cold imports are measured with is the one infra/functionAccess.ts and infra/timeSeries.ts set', (t) => {
  const infra = readFileSync('infra/functionAccess.ts', 'utf8') + readFileSync('infra/timeSeries.ts', 'utf8');
  for (const name of FUNCTIONS)
    for (const variable of Object.keys(DEPLOYED_ENVIRONMENT[name]))
      t.true(infra.includes(`${variable}:`), `${name}: ${variable}`);
});
