// An MQTT connection as one thing: over mutual TLS (mqtts://) with the thing's own certificate from
// a certificates directory (docs/command-line.md, `factory certs`), client id = thing name, as IoT Core and the
// local broker require; or plain (mqtt://) for a loopback test listener. A failure to connect says
// which URL and what to check, since "connect ECONNREFUSED" alone does not tell a person what to do.
import { readFile } from 'node:fs/promises';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { caFiles } from '../certs/certificateAuthority.ts';
import { thingCertificateFiles } from '../certs/thingCertificate.ts';

export type ThingConnection = {
  readonly client: MqttClient;
  /** Resolves with what happened when the connection ends without `end` having been asked for. */
  readonly lost: Promise<string>;
  readonly end: () => Promise<void>;
};

export type ThingConnectionOptions = {
  readonly url: string;
  readonly certsDir: string;
  readonly thingName: string;
  readonly connectTimeoutMs?: number;
};

/** Why `text` cannot be a broker URL, or undefined when it is one (mqtt:// or mqtts:// with a host). */
export const brokerUrlProblem = (text: string): string | undefined => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${JSON.stringify(text)} is not a URL; expected mqtts://host:port (mutual TLS) or mqtt://host:port, e.g. mqtts://127.0.0.1:8883`;
  }
  if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:')
    return `${JSON.stringify(text)}: expected the scheme mqtts:// (mutual TLS) or mqtt:// (plain), not ${url.protocol}//`;
  if (url.hostname === '') return `${JSON.stringify(text)}: expected a host, e.g. mqtts://127.0.0.1:8883`;
  return undefined;
};

const tlsOptions = async (certsDir: string, thingName: string): Promise<IClientOptions> => {
  const files = { ca: caFiles(certsDir).certificate, ...thingCertificateFiles(certsDir, thingName) };
  try {
    const [ca, cert, key] = await Promise.all([readFile(files.ca), readFile(files.certificate), readFile(files.key)]);
    return { ca, cert, key, rejectUnauthorized: true };
  } catch (error) {
    throw new Error(
      `cannot read the CA or the certificate of thing ${thingName} in ${certsDir} (${error instanceof Error ? error.message : String(error)}); ` +
        `issue it with \`factory certs --out ${certsDir} --thing ${thingName}\` (or point --certs at the directory \`factory broker\` uses)`,
    );
  }
};

const NETWORK = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
]);

const connectFailure = (error: Error & { code?: unknown }, options: ThingConnectionOptions): string => {
  const { url, thingName, certsDir } = options;
  // Node reports a refused dual-stack connect as an AggregateError with an empty message.
  const what = error.message === '' ? String(error.code ?? 'no reason given') : error.message;
  if (typeof error.code === 'string' && NETWORK.has(error.code)) {
    return `cannot reach the broker at ${url} (${what}): check that \`factory broker\` is running and listening on that host and port`;
  }
  if (typeof error.code === 'number') {
    return (
      `the broker at ${url} refused client id ${thingName} (${error.message}): the client id must be a thing the broker registered ` +
      '(a machine of its --config as factoryId:lineId:machineId, or a service such as factory-recorder), connecting with its own certificate'
    );
  }
  if (error.message === 'connack timeout') {
    return `the broker at ${url} did not answer within ${(options.connectTimeoutMs ?? 10_000) / 1000} s: check the scheme (mqtts:// for the TLS port, mqtt:// for the plain one) and the port`;
  }
  return `the connection to ${url} as ${thingName} failed (${what}): for mqtts:// check that --certs ${certsDir} holds the CA the broker uses and a certificate for ${thingName}`;
};

/** Connects as `thingName`; rejects with a message that names the URL and what to check. */
export const connectThing = async (options: ThingConnectionOptions): Promise<ThingConnection> => {
  const tls = options.url.startsWith('mqtts:') ? await tlsOptions(options.certsDir, options.thingName) : {};
  // Reconnecting is not ours to hide: a recorder or a simulated device that lost its connection says so.
  const client = mqtt.connect(options.url, {
    ...tls,
    clientId: options.thingName,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    protocolVersion: 4,
  });
  let lastError: Error | undefined;
  let ending = false;
  client.on('error', (error) => {
    lastError = error;
  });
  await new Promise<void>((resolve, reject) => {
    const onConnect = (): void => {
      client.off('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      client.off('connect', onConnect);
      client.end(true);
      reject(
        new Error(connectFailure(lastError ?? new Error('closed before the broker accepted the connection'), options)),
      );
    };
    client.once('connect', onConnect);
    client.once('close', onClose);
  });
  const lost = new Promise<string>((resolve) => {
    client.once('close', () => {
      if (ending) return;
      resolve(
        `the broker at ${options.url} closed the connection of ${options.thingName}${lastError === undefined ? '' : ` (${lastError.message})`}; ` +
          'a publish or subscribe its IoT policy denies ends the connection, as does the broker stopping',
      );
      // After resolving, so that whoever waits on `lost` hears why before in-flight work fails.
      // Flushes what is in flight with an error, so no publish waits forever on a dead connection.
      client.end(true);
    });
  });
  return {
    client,
    lost,
    end: async () => {
      ending = true;
      if (client.connected) await client.endAsync();
      else client.end(true);
    },
  };
};
