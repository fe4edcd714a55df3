import { readFileSync } from 'node:fs';
import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import { parse } from 'yaml';
import { decodeStackConfig, resolveConfigPaths, type StackConfig } from './config.ts';
import { decodeSiteTopology, loadSiteTopology } from './siteTopology.ts';

const stackFile = (stack: string): Record<string, unknown> => ({
  ...(parse(readFileSync(`Pulumi.${stack}.yaml`, 'utf8')) as { config: Record<string, unknown> }).config,
  // Set with `pulumi config set --secret`, so never in the stack file.
  'factory:influxdbPassword': 'secret',
});
// Every stack names its region for both providers, and sets the InfluxDB password the default sink
// needs as a secret; the tests below add them unless they test them.
const REGIONS = {
  'aws:region': 'eu-central-1',
  'aws-native:region': 'eu-central-1',
  'factory:influxdbPassword': 'secret',
};
const decoded = (raw: Record<string, unknown>): StackConfig => {
  const result = decodeStackConfig({ ...REGIONS, ...raw });
  if (E.isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right;
};
const errorsOf = (raw: Record<string, unknown>): string[] => {
  const result = decodeStackConfig({ ...REGIONS, ...raw });
  return E.isLeft(result) ? result.left : [];
};

test('the dev and prod stack files decode, and prod is the larger, longer-kept stack', (t) => {
  const dev = decoded(stackFile('dev'));
  const prod = decoded(stackFile('prod'));
  t.is(dev.kinesisShards, 1);
  t.true(prod.kinesisShards > dev.kinesisShards);
  t.true(prod.availabilityZones > dev.availabilityZones);
  t.true(prod.kinesisRetentionHours > dev.kinesisRetentionHours);
  t.true(prod.logRetentionDays > dev.logRetentionDays);
  t.true(prod.timestreamMagneticRetentionDays > dev.timestreamMagneticRetentionDays);
  t.true(prod.archiveRetentionDays > dev.archiveRetentionDays);
  t.deepEqual([dev.quicksight, dev.sagemaker, prod.quicksight, prod.sagemaker], [false, false, false, true]);
  t.is(dev.siteConfig, 'localstack/sample/site.json');
});

test('a bad value fails with the key name, what was expected and what came', (t) => {
  t.deepEqual(errorsOf({ 'factory:kinesisShards': 0 }), ['factory:kinesisShards: expected a whole number >= 1, got 0']);
  // Pulumi hands config over as strings.
  t.deepEqual(errorsOf({ 'factory:kinesisShards': '0' }), [
    'factory:kinesisShards: expected a whole number >= 1, got 0',
  ]);
  t.deepEqual(errorsOf({}), ['factory:kinesisShards: expected a whole number >= 1, got nothing']);
  t.deepEqual(errorsOf({ 'factory:kinesisShards': 1, 'factory:logRetentionDays': 10 }), [
    'factory:logRetentionDays: expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got 10',
  ]);
  t.deepEqual(errorsOf({ 'factory:kinesisShards': 1, 'factory:timeSeriesSink': 'postgres' }), [
    'factory:timeSeriesSink: expected one of "timestream", "influxdb", got "postgres"',
  ]);
  t.deepEqual(errorsOf({ 'factory:kinesisShards': 1, 'factory:quicksight': 'yes' }), [
    'factory:quicksight: expected true or false, got "yes"',
  ]);
});

test('every bad key is reported at once, and a misspelt key is refused rather than ignored', (t) => {
  const errors = errorsOf({
    'factory:kinesisShard': 2,
    'factory:kinesisShards': 'two',
    'factory:vpcCidr': '10.0.0.0/8',
    'aws:region': 'eu-central-1',
    'aws-native:region': undefined,
  });
  t.is(errors.length, 4);
  t.true(
    errors.includes(
      'aws-native:region: expected eu-central-1, the same region as aws:region, got nothing; run pulumi config set aws-native:region eu-central-1',
    ),
  );
  t.regex(errors[0] ?? '', /^factory:kinesisShard: not a known key; expected one of .*factory:kinesisShards/);
  t.true(errors.includes('factory:kinesisShards: expected a whole number >= 1, got "two"'));
  t.true(
    errors.some((e) =>
      /^factory:vpcCidr: expected an IPv4 \/16 block such as 10\.20\.0\.0\/16 .*got "10\.0\.0\.0\/8"$/.test(e),
    ),
  );
});

test('flags and defaults: "true" strings are flags, unset keys take their defaults', (t) => {
  const config = decoded({ 'factory:kinesisShards': '3', 'factory:sagemaker': 'true' });
  t.is(config.kinesisShards, 3);
  t.true(config.sagemaker);
  t.false(config.quicksight);
  t.is(config.lambdaAssetDir, 'dist/lambdas');
  t.is(config.logRetentionDays, 14);
});

test("the risk endpoint's serverless memory is a whole GB from 1 to 6, its concurrency 1 to 200, defaults 2048 MB and 5", (t) => {
  const config = decoded({ 'factory:kinesisShards': 1, 'factory:sagemaker': true });
  t.deepEqual([config.riskEndpointMemoryMb, config.riskEndpointMaxConcurrency], [2048, 5]);
  t.deepEqual(
    [
      decoded({
        'factory:kinesisShards': 1,
        'factory:riskEndpointMemoryMb': '6144',
        'factory:riskEndpointMaxConcurrency': '200',
      }),
    ].map((c) => [c.riskEndpointMemoryMb, c.riskEndpointMaxConcurrency]),
    [[6144, 200]],
  );
  t.deepEqual(errorsOf({ 'factory:kinesisShards': 1, 'factory:riskEndpointMemoryMb': 1500 }), [
    'factory:riskEndpointMemoryMb: expected one of 1024, 2048, 3072, 4096, 5120, 6144, got 1500',
  ]);
  t.deepEqual(errorsOf({ 'factory:kinesisShards': 1, 'factory:riskEndpointMaxConcurrency': '201' }), [
    'factory:riskEndpointMaxConcurrency: expected a whole number >= 1 and <= 200, got 201',
  ]);
});

test('both stack files name the same region for the aws and the aws-native provider', (t) => {
  for (const stack of ['dev', 'prod']) {
    const file = stackFile(stack);
    t.is(file['aws-native:region'], file['aws:region'], stack);
    t.is(decoded(file).region, file['aws:region'] as string);
  }
  t.deepEqual(errorsOf({ 'factory:kinesisShards': 1, 'aws-native:region': 'us-east-1' }), [
    'aws-native:region: expected eu-central-1, the same region as aws:region, got "us-east-1"; run pulumi config set aws-native:region eu-central-1',
  ]);
  t.deepEqual(errorsOf({ 'factory:kinesisShards': 1, 'aws:region': undefined }), [
    'aws:region: expected an AWS region such as eu-central-1, got nothing; run pulumi config set aws:region <region>',
  ]);
});

test("a new stack writes to Timestream for InfluxDB; Timestream LiveAnalytics needs the account's cell", (t) => {
  t.is(decoded({ 'factory:kinesisShards': 1, 'factory:influxdbPassword': 'p' }).timeSeriesSink, 'influxdb');
  for (const stack of ['dev', 'prod']) t.is(decoded(stackFile(stack)).timeSeriesSink, 'influxdb', stack);
  t.regex(
    errorsOf({ 'factory:kinesisShards': 1, 'factory:timeSeriesSink': 'timestream' })[0] ?? '',
    /^factory:timestreamCell: expected your account's Timestream cell \(such as cell1\) .*aws timestream-write describe-endpoints --region eu-central-1/,
  );
  t.is(
    decoded({ 'factory:kinesisShards': 1, 'factory:timeSeriesSink': 'timestream', 'factory:timestreamCell': 'cell2' })
      .timestreamCell,
    'cell2',
  );
  t.regex(
    errorsOf({
      'factory:kinesisShards': 1,
      'factory:timeSeriesSink': 'timestream',
      'factory:timestreamCell': 'ingest-cell2',
    })[0] ?? '',
    /^factory:timestreamCell: expected a Timestream cell such as cell1/,
  );
});

test('relative paths of the stack file are resolved against the project directory; absolute ones are kept', (t) => {
  const config = resolveConfigPaths(
    decoded({ 'factory:kinesisShards': 1, 'factory:influxdbPassword': 'p', 'factory:certificateCsrDir': '/etc/csr' }),
    '/srv/factory',
  );
  t.deepEqual(
    [config.siteConfig, config.lambdaAssetDir, config.gatewayAssetDir, config.certificateCsrDir],
    [
      '/srv/factory/localstack/sample/site.json',
      '/srv/factory/dist/lambdas',
      '/srv/factory/dist/edge/gateway',
      '/etc/csr',
    ],
  );
});

test('the influxdb sink needs a password, and QuickSight needs Timestream', (t) => {
  t.regex(
    errorsOf({
      'factory:kinesisShards': 1,
      'factory:timeSeriesSink': 'influxdb',
      'factory:influxdbPassword': undefined,
    })[0] ?? '',
    /^factory:influxdbPassword: expected a password .* pulumi config set --secret factory:influxdbPassword/,
  );
  t.regex(
    errorsOf({
      'factory:kinesisShards': 1,
      'factory:timeSeriesSink': 'influxdb',
      'factory:influxdbPassword': 'p',
      'factory:quicksight': true,
    })[0] ?? '',
    /^factory:quicksight: true needs factory:timeSeriesSink timestream/,
  );
  t.is(
    decoded({ 'factory:kinesisShards': 1, 'factory:timeSeriesSink': 'influxdb', 'factory:influxdbPassword': 'p' })
      .timeSeriesSink,
    'influxdb',
  );
});

testProp(
  'a whole shard count given as Pulumi text decodes to that number',
  [fc.integer({ min: 1, max: 100_000 })],
  (t, shards) => {
    t.is(decoded({ 'factory:kinesisShards': String(shards) }).kinesisShards, shards);
  },
  { numRuns: 100 },
);

testProp(
  'a shard count below 1 or not whole is refused, naming the key',
  [fc.oneof(fc.integer({ max: 0 }), fc.double({ min: 0.01, max: 1e6, noInteger: true, noNaN: true }))],
  (t, shards) => {
    const errors = errorsOf({ 'factory:kinesisShards': shards });
    t.is(errors.length, 1);
    t.true(errors[0]?.startsWith('factory:kinesisShards: expected a whole number >= 1, got'));
  },
  { numRuns: 100 },
);

test('the site fixture and localstack/sample/site.json read into factories, lines, machines and one default gateway per factory', (t) => {
  const site = loadSiteTopology('infra/fixtures/site.json');
  t.deepEqual(
    site.factories.map((f) => [f.id, f.lineIds, f.gatewayIds]),
    [
      ['f1', ['l1', 'l2'], ['gw-f1']],
      ['f2', ['l1'], ['gw-f2']],
    ],
  );
  t.deepEqual(
    site.machines.map((m) => `${m.factoryId}/${m.lineId}/${m.machineId}`),
    ['f1/l1/press-01', 'f1/l1/lathe-02', 'f1/l2/press-03', 'f2/l1/mill-01'],
  );
  t.deepEqual(site.metrics, { spindle_temp: 'degC', hydraulic_pressure: 'kPa' });
  // The sample the stack files point at reads too (its content is the local stack's to choose).
  t.true(loadSiteTopology('localstack/sample/site.json').machines.length > 0);
});

test('a bad site configuration names the file and the path of the bad field', (t) => {
  const result = decodeSiteTopology(
    {
      version: 1,
      factories: [
        {
          id: 'f1',
          timezone: 'Europe/Berlin',
          lines: [{ id: 'l1', machines: [{ id: 'press 01', type: 'press', idealCycleTimeS: 1 }] }],
        },
      ],
    },
    'site.json',
  );
  t.true(E.isLeft(result));
  // The wording is domain/site's; infra adds the file name in front.
  t.regex(
    E.isLeft(result) ? result.left.join('\n') : '',
    /^site\.json: factories\[0\]\.lines\[0\]\.machines\[0\]\.id: .*"press 01"/m,
  );
  t.throws(() => loadSiteTopology('infra/fixtures/missing.json'), {
    message: /factory:siteConfig infra\/fixtures\/missing\.json: cannot read/,
  });
});
