// The gateway component's entry point: what `npm run build:gateway` bundles and the recipe
// (edge/greengrass/recipe.yaml) runs on a Greengrass core. The gateway configuration (docs/gateway-configuration.md) is
// the component's configuration key `gateway`, read from the nucleus over IPC (no file, no shell
// quoting); its gateway id is the core's thing name; readings and edge alerts go out through the
// nucleus. Events go to stderr as JSON lines, which the nucleus keeps in the component's log.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { decodeGatewayConfig, type GatewayConfig } from './gatewayConfig.ts';
import { startGateway } from './gateway.ts';
import { greengrassIpcEndpoint, readComponentConfiguration } from './greengrassIpc.ts';

/** The component configuration key that holds the gateway configuration document. */
export const GATEWAY_CONFIGURATION_KEY = 'gateway';

/**
 * The component's `gateway` configuration as a gateway configuration: `gatewayId` defaults to the
 * core's thing name and, when given, must be it (the core's IoT policy names that thing); relative
 * paths (buffer.dir, maintenanceModel) are under the component's work directory.
 */
export const componentGatewayConfig = (
  document: unknown,
  thingName: string | undefined,
  workDir: string,
): E.Either<readonly string[], GatewayConfig> => {
  const isObject = typeof document === 'object' && document !== null && !Array.isArray(document);
  if (!isObject)
    return E.left([
      `component configuration /${GATEWAY_CONFIGURATION_KEY}: expected the gateway configuration object (docs: edge/README.md), got ${JSON.stringify(document) ?? 'nothing'}`,
    ]);
  const fields = document as Record<string, unknown>;
  const decoded = decodeGatewayConfig(
    fields.gatewayId === undefined && thingName !== undefined ? { ...fields, gatewayId: thingName } : fields,
  );
  if (E.isLeft(decoded))
    return E.left(decoded.left.map((problem) => `component configuration /${GATEWAY_CONFIGURATION_KEY}: ${problem}`));
  const config = decoded.right;
  if (thingName !== undefined && config.gatewayId !== thingName) {
    return E.left([
      `component configuration /${GATEWAY_CONFIGURATION_KEY}/gatewayId: expected this core's thing name ${JSON.stringify(thingName)} (its IoT policy names it), got ${JSON.stringify(config.gatewayId)}; remove gatewayId to use the thing name`,
    ]);
  }
  const at = (path: string): string => (isAbsolute(path) ? path : resolve(workDir, path));
  return E.right({
    ...config,
    buffer: { ...config.buffer, dir: at(config.buffer.dir) },
    ...(config.maintenanceModel === undefined ? {} : { maintenanceModel: at(config.maintenanceModel) }),
  });
};

const fail = (message: string, code: number): never => {
  process.stderr.write(`gateway component: ${message}\n`);
  process.exit(code);
};

export const runGatewayComponent = async (env: Readonly<Record<string, string | undefined>>): Promise<void> => {
  const endpoint = greengrassIpcEndpoint(env);
  if (endpoint === undefined) {
    return fail(
      'not running as a Greengrass component (no AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT and SVCUID in the environment); outside Greengrass run `factory gateway --config <file>`',
      2,
    );
  }
  let document: unknown;
  try {
    document = await readComponentConfiguration(endpoint, [GATEWAY_CONFIGURATION_KEY]);
  } catch (error) {
    return fail(`${(error as Error).message}; set it in the deployment's configuration update (edge/README.md)`, 2);
  }
  const config = componentGatewayConfig(document, env.AWS_IOT_THING_NAME, process.cwd());
  if (E.isLeft(config)) return fail(`bad gateway configuration:\n  ${config.left.join('\n  ')}`, 2);
  let gateway: ReturnType<typeof startGateway>;
  try {
    gateway = startGateway(config.right, {
      environment: env,
      log: (entry) => process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), ...entry })}\n`),
    });
  } catch (error) {
    return fail(`cannot start: ${(error as Error).message}`, 1);
  }
  process.stderr.write(
    `gateway component: ${config.right.gatewayId} running ${config.right.machines.length} machine(s) → the Greengrass nucleus\n`,
  );
  // The nucleus stops a component with SIGTERM: the buffer is closed cleanly (a SIGKILL loses nothing either).
  await new Promise<void>((done) => {
    const stop = () => void gateway.stop().finally(done);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  await runGatewayComponent(process.env);
