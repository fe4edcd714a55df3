// The attributes function (infra/processing.ts, invoked by infra/twins.ts's aws.lambda.Invocation at
// deploy): writes the site's per-asset attribute values into SiteWise. See writeAttributes.ts.
import { Logger } from '@aws-lambda-powertools/logger';
import { IoTSiteWiseClient } from '@aws-sdk/client-iotsitewise';
import { sitewiseAssetPropertyWriter } from '../adapters/sitewiseAssetPropertyWriter.ts';
import { writeAttributes } from './writeAttributes.ts';

const logger = new Logger({ serviceName: 'attributes' });
let client: IoTSiteWiseClient | undefined;

export const handler = async (event: unknown) => {
  client ??= new IoTSiteWiseClient({});
  const outcome = await writeAttributes(sitewiseAssetPropertyWriter({ client }), event, Date.now());
  logger.info('attributes written', { ...outcome });
  return outcome;
};
