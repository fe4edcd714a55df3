// The gateway component's artifacts: one bundle that imports nothing at run time but node's
// built-ins and the packages installed on the core, and a package.json pinning those at the
// lockfile's versions.
import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGateway, DEVICE_PACKAGES, lockedVersion, OPTIONAL_PACKAGES } from './build.ts';

const lock = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package-lock.json'), 'utf8'));

test('the bundle leaves out only the packages installed on the core (and optional ones it never loads); package.json pins them to the lockfile', async (t) => {
  const built = await buildGateway(mkdtempSync(join(tmpdir(), 'gw-build-')), '1.2.3');
  const optional: readonly string[] = OPTIONAL_PACKAGES;
  t.deepEqual(
    built.external.filter((name) => !optional.includes(name)),
    [...DEVICE_PACKAGES].sort(),
    'what a running gateway resolves on the core',
  );
  const pkg = JSON.parse(readFileSync(built.packageJson, 'utf8'));
  t.like(pkg, { version: '1.2.3', type: 'module' });
  t.deepEqual(pkg.dependencies, {
    'better-sqlite3': lockedVersion(lock, 'better-sqlite3'),
    'aws-iot-device-sdk-v2': lockedVersion(lock, 'aws-iot-device-sdk-v2'),
  });
  t.regex(pkg.dependencies['better-sqlite3'], /^\d+\.\d+\.\d+$/, 'an exact version, not a range');
});

test('a package missing from the lockfile is named, with what to do', (t) => {
  t.throws(() => lockedVersion({ packages: {} }, 'better-sqlite3'), {
    message: 'package-lock.json has no node_modules/better-sqlite3: run npm install',
  });
});
