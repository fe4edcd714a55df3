// The Timestream write client the process function uses: pointed at the account's cell endpoint
// (TIMESTREAM_INGEST_ENDPOINT, `https://ingest-<cell>.timestream.<region>.amazonaws.com`, set by
// infra/timeSeries.ts). Without an endpoint the SDK first asks DescribeEndpoints on the public
// `ingest.timestream.<region>` name, which a function in private subnets without NAT cannot reach
// (the calls time out); with one it skips discovery and writes there, through the cell's VPC endpoint.
import { TimestreamWriteClient, type TimestreamWriteClientConfig } from '@aws-sdk/client-timestream-write';

export const TIMESTREAM_INGEST_ENDPOINT_VARIABLE = 'TIMESTREAM_INGEST_ENDPOINT';

export const timestreamIngestClient = (
  endpoint: string,
  config: Omit<TimestreamWriteClientConfig, 'endpoint' | 'endpointDiscoveryEnabled'> = {},
): TimestreamWriteClient => {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(
      `${TIMESTREAM_INGEST_ENDPOINT_VARIABLE} ${JSON.stringify(endpoint)} is not a URL; expected https://ingest-<cell>.timestream.<region>.amazonaws.com`,
    );
  }
  return new TimestreamWriteClient({ ...config, endpoint: url.toString().replace(/\/$/, '') });
};
