// What a fresh clone needs before `pulumi up`: `npm run build` makes every file the program deploys,
// and `npm ci --omit=dev` keeps every package the program runs on.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { runProgram, stackFileConfig } from './testing/languageHost.ts';

const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
    : [];

test('npm run build on a clean clone makes every file the program deploys', async (t) => {
  // The clone: the files git would check out (tracked, and new ones not ignored), nothing built.
  const clone = mkdtempSync(join(tmpdir(), 'factory-clone-'));
  try {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { encoding: 'utf8' })
      .split('\0')
      .filter((f) => f !== '' && f !== 'node_modules' && existsSync(f));
    for (const file of files) cpSync(file, join(clone, file), { recursive: true });
    symlinkSync(realpathSync('node_modules'), join(clone, 'node_modules'));
    t.false(existsSync(join(clone, 'dist')), 'a clean clone has no build output');

    // `pulumi up` without a build would deploy paths that do not exist.
    const config = { ...stackFileConfig(clone, 'dev'), 'factory:influxdbPassword': 'not-a-real-password' };
    const before = runProgram({ stack: 'dev', config, root: clone });
    t.is(before.status, 0, before.stderr);
    const deployed = [...new Set(before.report?.assetPaths ?? [])].sort();
    t.true(deployed.length >= 4, `the program deploys the lambda bundles and the gateway: ${deployed.join(', ')}`);
    t.true(deployed.every((p) => !existsSync(p)));

    execFileSync('npm', ['run', 'build'], { cwd: clone, stdio: 'pipe', timeout: 300_000 });

    const built = filesUnder(join(clone, 'dist')).map((f) => relative(clone, f));
    const after = runProgram({ stack: 'dev', config, root: clone });
    t.is(after.status, 0, after.stderr);
    t.deepEqual([...new Set(after.report?.assetPaths ?? [])].sort(), deployed, 'the same paths, now built');
    for (const path of deployed) {
      t.true(path.startsWith(join(clone, 'dist')), `${path} is build output`);
      t.true(existsSync(path), `${relative(clone, path)} was built`);
      // A FileArchive is a directory whose index.mjs is the handler (index.handler); a FileAsset the file itself.
      const entry = statSync(path).isDirectory() ? join(path, 'index.mjs') : path;
      t.true(built.includes(relative(clone, entry)), `${relative(clone, entry)} is among what npm run build wrote`);
    }
    // The gateway artifact runs: started outside a Greengrass core it says so and what to run instead.
    const gateway = deployed.find((p) => p.endsWith(join('gateway', 'gateway.mjs')))!;
    const run = (() => {
      try {
        execFileSync(process.execPath, [gateway], { stdio: 'pipe', env: { PATH: process.env.PATH } });
        return '';
      } catch (error) {
        return String((error as { stderr: Buffer }).stderr);
      }
    })();
    t.regex(run, /^gateway component: not running as a Greengrass component .*factory gateway --config <file>/);
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
});

/** Every package the program reaches from infra/index.ts, following its relative imports. */
const programPackages = (): Set<string> => {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(
      /^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/gm,
    )) {
      if (specifier === undefined) continue;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else if (!specifier.startsWith('node:'))
        packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  };
  visit(resolve('infra/index.ts'));
  return packages;
};

test('every package the program imports is a dependency, so npm ci --omit=dev keeps what pulumi up runs on', (t) => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const packages = programPackages();
  for (const needed of ['@pulumi/pulumi', '@pulumi/aws', '@pulumi/aws-native', '@pulumi/awsx'])
    t.true(packages.has(needed), needed);
  for (const name of packages) {
    t.truthy(manifest.dependencies[name], `${name} is imported by the program`);
    t.is(manifest.devDependencies[name], undefined, name);
  }
  // The loader Pulumi.yaml runs the program with (nodeargs --import=tsx) is part of it too.
  t.truthy(manifest.dependencies.tsx, 'tsx');
});
