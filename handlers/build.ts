// `npm run build:lambdas [-- --out <dir>] [--site <file>]`: one minified ESM bundle per function at
// <out>/<name>/index.mjs (the layout infra/processing.ts uploads), the site configuration beside the
// process and timer bundles, and each bundle's size and cold import time (a fresh node process, with
// the environment the deployed function has).
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { build, type Plugin } from 'esbuild';

export const FUNCTIONS = ['process', 'timer', 'dispatch', 'notify', 'attributes', 'influx-token', 'classify'] as const;
/** The functions that read the site configuration (and the failure model) bundled beside them. */
const SITE_READERS: ReadonlySet<string> = new Set(['process', 'timer', 'dispatch', 'classify']);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export type BundleReport = {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  readonly coldImportMs: number;
  readonly exportsHandler: boolean;
  /** What the bundle still imports at run time (esbuild's metafile): node built-ins and the runtime's SDK. */
  readonly externalImports: readonly string[];
};

/**
 * The environment infra/processing.ts gives each function (factory:timeSeriesSink timestream, no
 * SageMaker endpoint), placeholder values: a cold import reads it to choose which SDK clients to load
 * at init, so it is measured with what Lambda would see. (The influxdb sink, the default, also reads
 * its token from Secrets Manager at init: build.test.ts cold-imports it against a fake one.)
 */
export const DEPLOYED_ENVIRONMENT: Readonly<Record<(typeof FUNCTIONS)[number], Readonly<Record<string, string>>>> = {
  process: {
    EVENT_TABLE: 'events',
    DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/dead-letters',
    TIME_SERIES_SINK: 'timestream',
    TIMESTREAM_INGEST_ENDPOINT: 'https://ingest-cell1.timestream.us-east-1.amazonaws.com',
    TIMESTREAM_DATABASE: 'factory',
    TIMESTREAM_TELEMETRY_TABLE: 'telemetry',
    TIMESTREAM_OEE_TABLE: 'oee',
  },
  timer: { EVENT_TABLE: 'events' },
  dispatch: {
    ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:alerts',
    SCHEDULE_GROUP: 'timers',
    TIMER_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:timer',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/scheduler',
    SITEWISE_ALIAS_PREFIX: '/smart-factory-dev-factory',
    TIME_SERIES_SINK: 'timestream',
    TIMESTREAM_INGEST_ENDPOINT: 'https://ingest-cell1.timestream.us-east-1.amazonaws.com',
    TIMESTREAM_DATABASE: 'factory',
    TIMESTREAM_TELEMETRY_TABLE: 'telemetry',
    TIMESTREAM_OEE_TABLE: 'oee',
  },
  notify: { NOTIFICATION_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:notifications' },
  attributes: {},
  // Secrets Manager's rotation function (infra/influxToken.ts): reads its environment per invocation.
  'influx-token': {},
  // API Gateway's HTTP API (infra/classifyApi.ts): reads and commits machine streams.
  classify: { EVENT_TABLE: 'events' },
};

const coldImportArgs = (path: string): string[] => [
  '--input-type=module',
  '-e',
  `const t=performance.now();const m=await import(${JSON.stringify(pathToFileURL(path).href)});console.log(JSON.stringify({ms:performance.now()-t,exportsHandler:typeof m.handler==='function'}))`,
];
const lastLine = (out: string) => JSON.parse(out.trim().split('\n').pop()!) as { ms: number; exportsHandler: boolean };

/** Imports a bundle in a new node process (nothing cached), as a Lambda cold start would. */
export const coldImport = (path: string, env: Record<string, string> = {}): { ms: number; exportsHandler: boolean } =>
  lastLine(
    execFileSync(process.execPath, coldImportArgs(path), {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );

/** coldImport without blocking this process: for a bundle whose init calls a fake served from here. */
export const coldImportAsync = async (
  path: string,
  env: Record<string, string> = {},
): Promise<{ ms: number; exportsHandler: boolean }> =>
  lastLine(
    (
      await promisify(execFile)(process.execPath, coldImportArgs(path), {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      })
    ).stdout,
  );

// The runtime's SDK is CommonJS. An ESM import of it makes node parse each client's entry file to
// detect its format and lex its named exports before loading it (half the CPU of a cold import, which
// was 7 ESM imports of the clients); require() does neither, resolves the runtime's copy through
// NODE_PATH like any CommonJS code, and runs where the code first needs it, so a client imported with
// import() is loaded then, not at init. The named imports become property reads on the module.
const sdkByRequire: Plugin = {
  name: 'sdk-by-require',
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\// }, (args) =>
      args.kind === 'require-call'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'sdk-by-require' },
    );
    b.onLoad({ filter: /.*/, namespace: 'sdk-by-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

export const buildLambdas = async (options: {
  readonly outDir: string;
  readonly site: string;
  readonly model?: string;
  readonly measure?: boolean;
}): Promise<BundleReport[]> => {
  const reports: BundleReport[] = [];
  for (const name of FUNCTIONS) {
    const path = join(options.outDir, name, 'index.mjs');
    const result = await build({
      metafile: true,
      entryPoints: [join(root, 'handlers', name, 'index.ts')],
      outfile: path,
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      // The Node.js 22 runtime ships the AWS SDK v3 clients; Powertools and @smithy helpers the
      // runtime lacks (node-http-handler is pulled by the clients, so it stays with them) are bundled.
      external: ['@aws-sdk/*'],
      plugins: [sdkByRequire],
      // ESM bundles of CommonJS code call require(): give them one.
      banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
      legalComments: 'none',
      logLevel: 'error',
    });
    if (SITE_READERS.has(name)) {
      copyFileSync(options.site, join(options.outDir, name, 'site.json'));
      if (options.model !== undefined)
        copyFileSync(options.model, join(options.outDir, name, 'maintenance-model.json'));
    }
    const measured =
      options.measure === false
        ? { ms: Number.NaN, exportsHandler: false }
        : coldImport(path, DEPLOYED_ENVIRONMENT[name]);
    const externalImports = [
      ...new Set(
        Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)),
      ),
    ].sort();
    reports.push({
      name,
      path,
      bytes: statSync(path).size,
      coldImportMs: measured.ms,
      exportsHandler: measured.exportsHandler,
      externalImports,
    });
  }
  return reports;
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: join(root, 'dist', 'lambdas') },
      site: { type: 'string', default: join(root, 'localstack', 'sample', 'site.json') },
      model: { type: 'string', default: join(root, 'localstack', 'sample', 'maintenance-model.json') },
    },
  });
  mkdirSync(values.out, { recursive: true });
  const reports = await buildLambdas({ outDir: values.out, site: values.site, model: values.model });
  for (const r of reports)
    process.stdout.write(
      `${r.name.padEnd(8)} ${(r.bytes / 1024).toFixed(1).padStart(8)} KiB  cold import ${r.coldImportMs.toFixed(0).padStart(5)} ms  ${r.path}\n`,
    );
}
