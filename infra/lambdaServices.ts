// Which AWS APIs each Lambda function calls. One table feeds both the VPC endpoints (a function in
// a private subnet reaches a service only through one) and the reading of what each role must allow,
// so adding a call to a handler means adding it here, and both follow.
export type TimeSeriesSink = 'timestream' | 'influxdb';
export type FunctionName = 'process' | 'timer' | 'notify';
export const FUNCTION_NAMES: readonly FunctionName[] = ['process', 'timer', 'notify'];

export type ServiceCall = 'dynamodb' | 'timestream-ingest' | 'iotsitewise-data' | 'sns' | 'sqs' | 'scheduler' | 'sagemaker-runtime';

/**
 * `riskEndpoint` (factory:sagemaker): process and timer score failure risk with the SageMaker endpoint,
 * since both settle samples into the maintenance detectors (handlers/process/riskEnvironment.ts).
 */
export const functionCalls = (name: FunctionName, sink: TimeSeriesSink, riskEndpoint = false): readonly ServiceCall[] => {
  const scoring = riskEndpoint ? (['sagemaker-runtime'] as const) : [];
  switch (name) {
    case 'process':
      // InfluxDB runs inside the VPC: the function reaches it directly, no AWS API involved.
      return ['dynamodb', ...(sink === 'timestream' ? (['timestream-ingest'] as const) : []), 'iotsitewise-data', 'sns', 'sqs', 'scheduler', ...scoring];
    case 'timer':
      return ['dynamodb', 'sns', 'scheduler', ...scoring];
    case 'notify':
      return ['sns'];
  }
};

export type EndpointSpec = { readonly kind: 'Gateway' | 'Interface'; readonly service: (region: string) => string };

// Timestream's write API lives on cell endpoints (`ingest-cell1`, …); the SDK discovers the cell by
// DescribeEndpoints, which the cell's PrivateLink endpoint also answers (AWS: "VPC endpoints for
// Timestream for LiveAnalytics"). Accounts placed in another cell change this name.
export const ENDPOINTS: Readonly<Record<ServiceCall, EndpointSpec>> = {
  dynamodb: { kind: 'Gateway', service: (region) => `com.amazonaws.${region}.dynamodb` },
  'timestream-ingest': { kind: 'Interface', service: (region) => `com.amazonaws.${region}.timestream.ingest-cell1` },
  'iotsitewise-data': { kind: 'Interface', service: (region) => `com.amazonaws.${region}.iotsitewise.data` },
  sns: { kind: 'Interface', service: (region) => `com.amazonaws.${region}.sns` },
  sqs: { kind: 'Interface', service: (region) => `com.amazonaws.${region}.sqs` },
  scheduler: { kind: 'Interface', service: (region) => `com.amazonaws.${region}.scheduler` },
  'sagemaker-runtime': { kind: 'Interface', service: (region) => `com.amazonaws.${region}.sagemaker.runtime` },
};

/** The services some function of this stack calls: each gets an endpoint, no more. */
export const calledServices = (sink: TimeSeriesSink, riskEndpoint = false): readonly ServiceCall[] =>
  [...new Set(FUNCTION_NAMES.flatMap((name) => functionCalls(name, sink, riskEndpoint)))];
