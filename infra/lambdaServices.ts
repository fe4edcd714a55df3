// Which AWS APIs each Lambda function calls. One table feeds both the VPC endpoints (a function in
// a private subnet reaches a service only through one) and the reading of what each role must allow,
// so adding a call to a handler means adding it here, and both follow.
export type TimeSeriesSink = 'timestream' | 'influxdb';
export type FunctionName = 'process' | 'timer' | 'dispatch' | 'notify' | 'attributes';
export const FUNCTION_NAMES: readonly FunctionName[] = ['process', 'timer', 'dispatch', 'notify', 'attributes'];

export type ServiceCall =
  | 'dynamodb'
  | 'timestream-ingest'
  | 'secretsmanager'
  | 'iotsitewise-data'
  | 'sns'
  | 'sqs'
  | 'scheduler'
  | 'sagemaker-runtime';

const timeSeries = (sink: TimeSeriesSink): readonly ServiceCall[] =>
  sink === 'timestream' ? ['timestream-ingest'] : ['secretsmanager'];

/**
 * `riskEndpoint` (factory:sagemaker): process and timer score failure risk with the SageMaker endpoint,
 * since both settle samples into the maintenance detectors (handlers/machines/riskEnvironment.ts).
 */
export const functionCalls = (
  name: FunctionName,
  sink: TimeSeriesSink,
  riskEndpoint = false,
): readonly ServiceCall[] => {
  const scoring = riskEndpoint ? (['sagemaker-runtime'] as const) : [];
  switch (name) {
    case 'process':
      // Commits decisions and checkpoints, writes readings and dead letters; sends no side effect itself.
      // InfluxDB runs inside the VPC: the function writes to it directly, with the token it reads from
      // Secrets Manager at cold start.
      return ['dynamodb', ...timeSeries(sink), 'sqs', ...scoring];
    case 'timer':
      // A timer commits a clock tick; its alerts are sent by dispatch like every other side effect.
      return ['dynamodb', ...scoring];
    case 'dispatch':
      // The side effects of committed decisions (the event table's stream): alerts, OEE values, timers.
      return ['sns', 'iotsitewise-data', 'scheduler', ...timeSeries(sink)];
    case 'notify':
      return ['sns'];
    case 'attributes':
      // Invoked by pulumi up: writes each asset's attribute values (twins.ts).
      return ['iotsitewise-data'];
  }
};

/** Where the endpoint's name comes from: the region, and for Timestream the account's cell (factory:timestreamCell). */
export type EndpointTarget = { readonly region: string; readonly timestreamCell?: string | undefined };
export type EndpointSpec = {
  readonly kind: 'Gateway' | 'Interface';
  readonly service: (target: EndpointTarget) => string;
};

/**
 * Timestream's write API lives on cell endpoints (`ingest-cell1`, …) and an account reaches only its
 * own cell. The process function is given this name (TIMESTREAM_INGEST_ENDPOINT) rather than
 * discovering it: discovery asks the public `ingest.timestream.<region>` name, which private subnets
 * without NAT cannot reach. The cell's PrivateLink endpoint with private DNS answers this name.
 */
export const timestreamIngestEndpoint = (region: string, cell: string): string =>
  `https://ingest-${cell}.timestream.${region}.amazonaws.com`;

const cellOf = (target: EndpointTarget): string => {
  if (target.timestreamCell === undefined)
    throw new Error("the Timestream endpoint needs factory:timestreamCell (the account's cell, e.g. cell1)");
  return target.timestreamCell;
};

export const ENDPOINTS: Readonly<Record<ServiceCall, EndpointSpec>> = {
  dynamodb: { kind: 'Gateway', service: ({ region }) => `com.amazonaws.${region}.dynamodb` },
  'timestream-ingest': {
    kind: 'Interface',
    service: (target) => `com.amazonaws.${target.region}.timestream.ingest-${cellOf(target)}`,
  },
  secretsmanager: { kind: 'Interface', service: ({ region }) => `com.amazonaws.${region}.secretsmanager` },
  'iotsitewise-data': { kind: 'Interface', service: ({ region }) => `com.amazonaws.${region}.iotsitewise.data` },
  sns: { kind: 'Interface', service: ({ region }) => `com.amazonaws.${region}.sns` },
  sqs: { kind: 'Interface', service: ({ region }) => `com.amazonaws.${region}.sqs` },
  scheduler: { kind: 'Interface', service: ({ region }) => `com.amazonaws.${region}.scheduler` },
  'sagemaker-runtime': { kind: 'Interface', service: ({ region }) => `com.amazonaws.${region}.sagemaker.runtime` },
};

/** The services some function of this stack calls: each gets an endpoint, no more. */
export const calledServices = (sink: TimeSeriesSink, riskEndpoint = false): readonly ServiceCall[] => [
  ...new Set(FUNCTION_NAMES.flatMap((name) => functionCalls(name, sink, riskEndpoint))),
];
