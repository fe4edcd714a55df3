// The classify function (infra/classifyApi.ts): API Gateway's HTTP API invokes it for `POST /classify`
// once the request's SigV4 signature and the caller's execute-api permission were checked.
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { dynamoEventStore } from '../adapters/dynamoEventStore.ts';
import { loadBundledSite, requireEnv } from '../lambdaEnvironment.ts';
import { handleClassify, type ClassifyDeps, type HttpApiEvent } from './handleClassify.ts';

const logger = new Logger({ serviceName: 'classify' });
let deps: ClassifyDeps | undefined;

export const handler = async (event: HttpApiEvent) => {
  const env = process.env;
  deps ??= {
    site: loadBundledSite(env, import.meta.url),
    store: dynamoEventStore<MachineEvent>({
      client: new DynamoDBClient({}),
      tableName: requireEnv(env, 'EVENT_TABLE'),
    }),
  };
  const result = await handleClassify(deps, event, Date.now());
  logger.info('classify', { statusCode: result.statusCode, body: result.body });
  return result;
};
