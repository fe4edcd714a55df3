// The stack configuration (`factory:*` keys of Pulumi.<stack>.yaml), decoded once at load into one
// typed object. Resources never read config themselves: they get the slice they need as args.
import { isAbsolute, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describeValue as show, failWith, formatDecodeErrors } from '../domain/decodeError.ts';
import { isWholeNumberIn, oneOf, refined } from '../domain/refined.ts';

const NAMESPACE = 'factory';

// Pulumi hands every config value over as a string ("2", "true"); the YAML file may hold a number.
const numberOf = (u: unknown): number | undefined => {
  if (typeof u === 'number') return u;
  if (typeof u === 'string' && /^-?\d+(\.\d+)?$/.test(u.trim())) return Number(u);
  return undefined;
};

/** A number codec that reads the number Pulumi passed as text too, and shows it as typed: `got 0`, not `got "0"`. */
const fromText = <A>(codec: t.Type<A, A, unknown>): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(codec.name, codec.is, (u, c) => codec.validate(numberOf(u) ?? u, c), codec.encode);

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER): t.Type<number, number, unknown> =>
  fromText(
    refined(
      `WholeNumber>=${min}`,
      isWholeNumberIn(min, max),
      `a whole number >= ${min}${max < Number.MAX_SAFE_INTEGER ? ` and <= ${max}` : ''}`,
    ),
  );

const flag = new t.Type<boolean, boolean, unknown>(
  'Flag',
  (u): u is boolean => typeof u === 'boolean',
  (u, c) =>
    u === true || u === 'true'
      ? t.success(true)
      : u === false || u === 'false'
        ? t.success(false)
        : failWith(u, c, `expected true or false, got ${show(u)}`),
  t.identity,
);

const text = refined('Text', (u): u is string => typeof u === 'string' && u.trim() !== '', 'a non-empty string');

const cidr = refined(
  'Cidr',
  (u): u is string => typeof u === 'string' && /^\d{1,3}\.\d{1,3}\.0\.0\/16$/.test(u),
  'an IPv4 /16 block such as 10.20.0.0/16 (subnets are carved as /20s)',
);

const cell = refined(
  'TimestreamCell',
  (u): u is string => typeof u === 'string' && /^cell\d+$/.test(u),
  'a Timestream cell such as cell1 (the ingest-<cell> of aws timestream-write describe-endpoints)',
);

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const withDefault = <A, O>(codec: t.Type<A, O, unknown>, fallback: A): t.Type<A, O, unknown> =>
  new t.Type<A, O, unknown>(
    codec.name,
    codec.is,
    (u, c) => (u === undefined || u === '' ? t.success(fallback) : codec.validate(u, c)),
    codec.encode,
  );

/** A key that may be left unset; when set, its value is checked and reported under the key's own name. */
const optional = <A, O>(codec: t.Type<A, O, unknown>): t.Type<A | undefined, O | undefined, unknown> =>
  new t.Type<A | undefined, O | undefined, unknown>(
    codec.name,
    (u): u is A | undefined => u === undefined || codec.is(u),
    (u, c) => (u === undefined || u === '' ? t.success(undefined) : codec.validate(u, c)),
    (a) => (a === undefined ? undefined : codec.encode(a)),
  );

const StackConfigCodec = t.type({
  /** Path of the site configuration (docs/site-configuration.md) whose factories, lines and machines become things and assets. */
  siteConfig: withDefault(text, 'localstack/sample/site.json'),
  /** Where `npm run build:lambdas` writes `<name>/index.mjs`. */
  lambdaAssetDir: withDefault(text, 'dist/lambdas'),
  /** The Greengrass gateway component's artifact directory (bundled edge/ gateway). */
  gatewayAssetDir: withDefault(text, 'dist/edge/gateway'),
  /** A directory of `<gatewayId>.csr.pem` files; a gateway with a CSR there gets a certificate. */
  certificateCsrDir: withDefault(text, 'certs/csr'),
  vpcCidr: withDefault(cidr, '10.20.0.0/16'),
  availabilityZones: withDefault(wholeNumber(2, 3), 2),
  kinesisShards: wholeNumber(1),
  kinesisRetentionHours: withDefault(wholeNumber(24, 8760), 24),
  // Each invocation commits once per machine it holds records of: larger batches, fewer commits (docs/processing.md).
  processBatchSize: withDefault(wholeNumber(1, 10000), 1000),
  lambdaMemoryMb: withDefault(wholeNumber(128, 10240), 512),
  logRetentionDays: withDefault(fromText(oneOf(LOG_RETENTION_DAYS)), 14),
  archiveRetentionDays: withDefault(wholeNumber(1), 365),
  // Timestream for LiveAnalytics takes no new customers (since 2025-06-20): new stacks write to
  // Timestream for InfluxDB; an account that has LiveAnalytics keeps it with timestream + its cell.
  timeSeriesSink: withDefault(oneOf(['timestream', 'influxdb'] as const), 'influxdb'),
  /** The account's Timestream LiveAnalytics cell (`cell1`, `cell2`…): `aws timestream-write describe-endpoints` shows `ingest-<cell>`. */
  timestreamCell: optional(cell),
  timestreamMemoryRetentionHours: withDefault(wholeNumber(1, 8766), 24),
  timestreamMagneticRetentionDays: withDefault(wholeNumber(1, 73000), 365),
  influxdbInstanceType: withDefault(text, 'db.influx.medium'),
  /** Set as a secret (`pulumi config set --secret factory:influxdbPassword …`); needed only for the influxdb sink. */
  influxdbPassword: withDefault(t.union([text, t.undefined]), undefined),
  iteratorAgeAlarmMs: withDefault(wholeNumber(1000), 60000),
  alarmEmail: withDefault(t.union([text, t.undefined]), undefined),
  quicksight: withDefault(flag, false),
  quicksightPrincipalArn: withDefault(t.union([text, t.undefined]), undefined),
  sagemaker: withDefault(flag, false),
  /** factory:sagemaker: a trained model.tar.gz is at the served key; only then are the Model and risk endpoint created. */
  riskModelPublished: withDefault(flag, false),
  /** The serverless risk endpoint's memory (factory:sagemaker): 1–6 GB in whole GB. */
  riskEndpointMemoryMb: withDefault(fromText(oneOf([1024, 2048, 3072, 4096, 5120, 6144] as const)), 2048),
  /** Concurrent invocations the risk endpoint serves (SageMaker allows 1–200); more are throttled. */
  riskEndpointMaxConcurrency: withDefault(wholeNumber(1, 200), 5),
});

export type StackConfig = t.TypeOf<typeof StackConfigCodec> & {
  /** `aws:region`, which `aws-native:region` must equal: every resource of the stack is in this region. */
  readonly region: string;
};
export const STACK_CONFIG_KEYS = Object.keys(StackConfigCodec.props) as readonly (keyof StackConfig)[];

/**
 * Decodes the `factory:` keys of a config map (Pulumi's `runtime.allConfig()`, or a stack file's
 * `config:` block). Every failing key is one line, `factory:<key>: expected …, got …`; an unknown
 * key is refused too, since a misspelt key would otherwise silently fall back to its default.
 */
export const decodeStackConfig = (raw: Readonly<Record<string, unknown>>): E.Either<string[], StackConfig> => {
  const values: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith(`${NAMESPACE}:`)) continue;
    const name = key.slice(NAMESPACE.length + 1);
    if ((STACK_CONFIG_KEYS as readonly string[]).includes(name)) values[name] = value;
    else
      unknown.push(
        `${key}: not a known key; expected one of ${STACK_CONFIG_KEYS.map((k) => `${NAMESPACE}:${k}`).join(', ')}`,
      );
  }
  const decoded = StackConfigCodec.decode(values);
  const errors = [
    ...unknown,
    ...(E.isLeft(decoded) ? formatDecodeErrors(decoded.left).map((line) => `${NAMESPACE}:${line}`) : []),
    ...regionProblems(raw),
  ];
  if (errors.length > 0 || E.isLeft(decoded)) return E.left(errors);
  const config = { ...decoded.right, region: String(raw['aws:region']) };
  if (config.quicksight && config.timeSeriesSink !== 'timestream') {
    return E.left([
      `${NAMESPACE}:quicksight: true needs factory:timeSeriesSink timestream (the QuickSight data source reads Timestream); set one of them differently`,
    ]);
  }
  if (config.timeSeriesSink === 'influxdb' && config.influxdbPassword === undefined) {
    return E.left([
      `${NAMESPACE}:influxdbPassword: expected a password when factory:timeSeriesSink is influxdb, got nothing; run pulumi config set --secret factory:influxdbPassword <password>`,
    ]);
  }
  if (config.timeSeriesSink === 'timestream' && config.timestreamCell === undefined) {
    return E.left([
      `${NAMESPACE}:timestreamCell: expected your account's Timestream cell (such as cell1) when factory:timeSeriesSink is timestream, got nothing; ` +
        `run aws timestream-write describe-endpoints --region ${config.region} and set the ingest-<cell> part of its Address (an account reaches only its own cell)`,
    ]);
  }
  return E.right(config);
};

/**
 * `aws:region` is required, and `aws-native:region` must be the same: SiteWise, Greengrass and
 * QuickSight resources are made by the aws-native provider, which reads only its own key and would
 * otherwise deploy them to another region than the rest of the stack (or refuse to start).
 */
const regionProblems = (raw: Readonly<Record<string, unknown>>): string[] => {
  const region = raw['aws:region'];
  if (typeof region !== 'string' || !REGION.test(region)) {
    return [
      `aws:region: expected an AWS region such as eu-central-1, got ${show(region)}; run pulumi config set aws:region <region>`,
    ];
  }
  const native = raw['aws-native:region'];
  return native === region
    ? []
    : [
        `aws-native:region: expected ${region}, the same region as aws:region, got ${show(native)}; run pulumi config set aws-native:region ${region}`,
      ];
};

/** The config keys that name files or directories. */
export const PATH_KEYS = ['siteConfig', 'lambdaAssetDir', 'gatewayAssetDir', 'certificateCsrDir'] as const;

/**
 * Relative paths of the stack file are relative to the project (where Pulumi.yaml is), whatever the
 * working directory the engine gave the program (older engines set it to the directory of `main`).
 */
export const resolveConfigPaths = (config: StackConfig, projectRoot: string): StackConfig => ({
  ...config,
  ...Object.fromEntries(
    PATH_KEYS.map((key) => [key, isAbsolute(config[key]) ? config[key] : resolve(projectRoot, config[key])]),
  ),
});
