// `npm run build:gateway [-- --out <dir>]`: the gateway component's artifacts, the layout
// infra/edge.ts uploads and edge/greengrass/recipe.yaml installs (default dist/edge/gateway):
// - gateway.mjs, one ESM bundle of edge/greengrassMain.ts with everything but the packages that
//   carry a native binding for the device's platform;
// - package.json naming those packages at the exact versions of this repository's lockfile, for the
//   recipe's Install step (`npm install` on the core, which fetches the binding for its platform).
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Installed on the core, not bundled: better-sqlite3 (the buffer; a compiled binding) and
 * aws-iot-device-sdk-v2 (the nucleus IPC; aws-crt's binding, shipped per platform in its package).
 */
export const DEVICE_PACKAGES = ['better-sqlite3', 'aws-iot-device-sdk-v2'] as const;

/**
 * Optional packages of bundled libraries, left out: serial Modbus RTU's native add-on and node-opcua's
 * alternative lock provider (never loaded by the gateway), ws's native speed-ups (loaded in a
 * try/catch: without them ws uses its JavaScript code).
 */
export const OPTIONAL_PACKAGES = ['serialport', 'proper-lockfile', 'bufferutil', 'utf-8-validate'] as const;
const NEVER_LOADED = [...OPTIONAL_PACKAGES, '@serialport/*'];

/** The exact version of a package that this repository's lockfile installs. */
export const lockedVersion = (lock: { packages?: Record<string, { version?: string }> }, name: string): string => {
  const version = lock.packages?.[`node_modules/${name}`]?.version;
  if (version === undefined) throw new Error(`package-lock.json has no node_modules/${name}: run npm install`);
  return version;
};

/** The package.json the recipe's Install step runs `npm install` with. */
export const devicePackageJson = (
  lock: { packages?: Record<string, { version?: string }> },
  componentVersion: string,
): Record<string, unknown> => ({
  name: 'smart-factory-gateway-component',
  version: componentVersion,
  private: true,
  type: 'module',
  description: 'What the gateway bundle (gateway.mjs) needs installed on the core for its platform',
  engines: { node: '>=20.19' },
  dependencies: Object.fromEntries(DEVICE_PACKAGES.map((name) => [name, lockedVersion(lock, name)])),
});

export type GatewayBuild = {
  readonly bundle: string;
  readonly bytes: number;
  readonly packageJson: string;
  readonly external: readonly string[];
};

export const buildGateway = async (outDir: string, componentVersion = '0.1.0'): Promise<GatewayBuild> => {
  mkdirSync(outDir, { recursive: true });
  const bundle = join(outDir, 'gateway.mjs');
  const result = await build({
    entryPoints: [join(root, 'edge', 'greengrassMain.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    sourcemap: false,
    metafile: true,
    logLevel: 'warning',
    external: [...DEVICE_PACKAGES, ...NEVER_LOADED],
    // Bundled CommonJS libraries call require() for node's built-ins and use __dirname.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; import { fileURLToPath as __fileURLToPath } from 'node:url'; import { dirname as __pathDirname } from 'node:path'; const require = __createRequire(import.meta.url); const __filename = __fileURLToPath(import.meta.url); const __dirname = __pathDirname(__filename);",
    },
  });
  // What the bundle still imports at run time, node's built-ins aside: the device packages, nothing else.
  const external = [
    ...new Set(
      Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)),
    ),
  ]
    .filter((path) => !path.startsWith('node:') && !builtinModules.includes(path))
    .sort();
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages?: Record<string, { version?: string }>;
  };
  const packageJson = join(outDir, 'package.json');
  writeFileSync(packageJson, `${JSON.stringify(devicePackageJson(lock, componentVersion), null, 2)}\n`);
  return { bundle, bytes: statSync(bundle).size, packageJson, external };
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: 'dist/edge/gateway' }, version: { type: 'string', default: '0.1.0' } },
  });
  const built = await buildGateway(resolve(values.out!), values.version);
  process.stdout.write(
    `${built.bundle} ${(built.bytes / 1024).toFixed(0)} KiB; installed on the core: ${built.packageJson}\n`,
  );
}
