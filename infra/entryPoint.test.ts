// The program as `pulumi up` starts it: Pulumi.yaml's main and nodeargs, through @pulumi/pulumi's own
// language host (cmd/run), under mocks (languageHost.ts). The stack tests call createFactoryPlatform
// directly and so cannot see what the language host refuses before the program runs.
import test from 'ava';
import { resolve } from 'node:path';
import { runProgram, stackFileConfig } from './testing/languageHost.ts';

const testConfig = (stack: string): Record<string, string> => ({
  ...stackFileConfig('.', stack),
  'factory:siteConfig': 'infra/fixtures/site.json',
  'factory:certificateCsrDir': 'infra/fixtures/csr',
  'factory:influxdbPassword': 'not-a-real-password',
});

test('pulumi up runs infra/index.ts: cmd/run accepts its exports and the program registers the stack', (t) => {
  const run = runProgram({ stack: 'dev', config: testConfig('dev') });
  t.is(run.status, 0, run.stderr);
  t.notRegex(run.stderr, /default export or named exports/);
  const types = new Set(run.report?.resources.map((r) => r.type));
  for (const type of [
    'pulumi:pulumi:Stack',
    'aws:kms/key:Key',
    'aws:lambda/function:Function',
    'aws-native:iotsitewise:Asset',
  ])
    t.true(types.has(type), type);
});

test("relative config paths are the project's, whatever working directory the engine gives the program", (t) => {
  // Older engines start the program in dirname(main): infra/. The site and the CSRs must still be found.
  const run = runProgram({ stack: 'dev', config: testConfig('dev'), pwd: resolve('infra') });
  t.is(run.status, 0, run.stderr);
  const certificates = run.report?.resources.filter((r) => r.type === 'aws:iot/certificate:Certificate') ?? [];
  t.is(certificates.length, 1, 'the fixture CSR of gw-f1, found from infra/');
  t.true(
    run.report?.assetPaths.every((p) => p.startsWith(resolve('.'))),
    'assets are resolved against the project',
  );
});

test('an engine that names no project directory: the program finds the project beside itself', (t) => {
  const run = runProgram({ stack: 'dev', config: testConfig('dev'), pwd: resolve('infra'), engineNamesRoot: false });
  t.is(run.status, 0, run.stderr);
  t.is(run.report?.resources.filter((r) => r.type === 'aws:iot/certificate:Certificate').length, 1);
});

test('a bad stack configuration stops the program through the language host, naming the key', (t) => {
  const run = runProgram({ stack: 'dev', config: { ...testConfig('dev'), 'factory:kinesisShards': '0' } });
  t.not(run.status, 0);
  t.regex(run.stderr, /factory:kinesisShards: expected a whole number >= 1, got 0/);
});
