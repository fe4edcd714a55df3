// `npm run build:gateway [-- --out <dir>]`: the gateway as the one file the Greengrass component's
// artifact is (infra/edge.ts uploads <out>/index.mjs and runs `node index.mjs gateway --config …`):
// the `factory gateway` command bundled with esbuild, ESM for Node 20+. better-sqlite3 is a native
// module that cannot be bundled; it stays an import the core device must provide.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What the bundle leaves to the device: native modules esbuild cannot put in a JavaScript file. */
export const GATEWAY_EXTERNALS = ['better-sqlite3', 'proper-lockfile'] as const;

// A native module is required where the code first needs it (the buffer, once the gateway starts),
// not imported at load: `--help` and configuration errors work on a device without it.
const nativeByRequire: Plugin = {
  name: 'native-by-require',
  setup(b) {
    const filter = new RegExp(`^(${GATEWAY_EXTERNALS.join('|')})$`);
    b.onResolve({ filter }, (args) => (args.kind === 'require-call' ? { path: args.path, external: true } : { path: args.path, namespace: 'native-by-require' }));
    b.onLoad({ filter: /.*/, namespace: 'native-by-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

// Only the gateway command of the CLI, so the artifact carries no replay, dashboard or local stack.
const ENTRY = `import { Command } from 'commander';
import { registerGateway } from './localstack/commands/gateway.ts';
const program = new Command('factory');
registerGateway(program);
await program.parseAsync(process.argv);
`;

export const buildGateway = async (outDir: string): Promise<{ readonly path: string; readonly bytes: number }> => {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'index.mjs');
  await build({
    stdin: { contents: ENTRY, resolveDir: root, sourcefile: 'gateway-main.ts', loader: 'ts' },
    outfile: path,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [nativeByRequire],
    // ESM bundles of CommonJS code call require(), __dirname and __filename: give them those.
    banner: { js: "import{createRequire as __cr}from'node:module';import{fileURLToPath as __fu}from'node:url';import{dirname as __dn}from'node:path';const require=__cr(import.meta.url);const __filename=__fu(import.meta.url);const __dirname=__dn(__filename);" },
    legalComments: 'none',
    logLevel: 'error',
  });
  return { path, bytes: statSync(path).size };
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: join(root, 'dist', 'edge', 'gateway') } } });
  const { path, bytes } = await buildGateway(values.out);
  process.stdout.write(`gateway  ${(bytes / 1024).toFixed(1).padStart(8)} KiB  ${path}\n`);
}
