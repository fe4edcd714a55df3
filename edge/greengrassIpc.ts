// The Greengrass nucleus's interprocess communication, as the gateway component uses it: publish to
// AWS IoT Core through the nucleus's own connection (IPC service `aws.greengrass.ipc.mqttproxy`,
// operation PublishToIoTCore), with aws-iot-device-sdk-v2's greengrasscoreipc client. The SDK (and
// aws-crt's native binding, shipped in its npm package) is loaded only here, only on a core.
//
// The nucleus gives each component the socket and its token in the environment
// (AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT, SVCUID); the recipe must grant the
// component PublishToIoTCore on its topics (accessControl), or every publish is refused.

/** Where and as whom to reach the nucleus: a component's environment under Greengrass. */
export type GreengrassIpcEndpoint = { readonly socketPath: string; readonly authToken: string };

/** The nucleus's IPC endpoint when this process runs as a Greengrass component, else undefined. */
export const greengrassIpcEndpoint = (
  env: Readonly<Record<string, string | undefined>>,
): GreengrassIpcEndpoint | undefined => {
  const socketPath = env.AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT;
  const authToken = env.SVCUID;
  return socketPath !== undefined && socketPath !== '' && authToken !== undefined && authToken !== ''
    ? { socketPath, authToken }
    : undefined;
};

/** The one thing the gateway asks of the nucleus: take this message for IoT Core (QoS 1). */
export type IotCoreChannel = {
  /** Resolves once the nucleus has taken the message (into its spooler); rejects with the nucleus's reason. */
  readonly publish: (topic: string, payload: string) => Promise<void>;
  /** Called at most once, when the nucleus connection is lost. */
  readonly onDisconnect: (listener: (reason: string) => void) => void;
  readonly close: () => Promise<void>;
};

// The SDK's RpcError carries the nucleus's own answer (ServiceError, UnauthorizedError) in serviceError.
const reasonOf = (error: unknown): string => {
  const service = (error as { serviceError?: { message?: unknown } } | undefined)?.serviceError?.message;
  if (typeof service === 'string') return service;
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const { message, description } = error as { message?: unknown; description?: unknown };
    if (typeof message === 'string') return message;
    if (typeof description === 'string') return description;
  }
  return String(error);
};

const openClient = async (endpoint: GreengrassIpcEndpoint) => {
  const { greengrasscoreipc, io } = await import('aws-iot-device-sdk-v2');
  const client = greengrasscoreipc.createClient({
    hostName: endpoint.socketPath,
    port: 0,
    socketOptions: new io.SocketOptions(io.SocketType.STREAM, io.SocketDomain.LOCAL),
    connectTransform: async (options) => {
      options.message.payload = JSON.stringify({ authToken: endpoint.authToken });
      return options.message;
    },
  });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(`cannot connect to the Greengrass nucleus at ${endpoint.socketPath}: ${reasonOf(error)}`);
  }
  return { client, model: greengrasscoreipc.model };
};

/**
 * The component's own configuration at `keyPath` (IPC GetConfiguration, which needs no access
 * control): how the gateway reads its configuration document without it passing through a shell.
 */
export const readComponentConfiguration = async (
  endpoint: GreengrassIpcEndpoint,
  keyPath: readonly string[],
): Promise<unknown> => {
  const { client } = await openClient(endpoint);
  try {
    return (await client.getConfiguration({ keyPath: [...keyPath] })).value;
  } catch (error) {
    throw new Error(
      `cannot read the component configuration /${keyPath.join('/')} from the nucleus: ${reasonOf(error)}`,
    );
  } finally {
    await client.close().catch(() => undefined);
  }
};

/** Connects to the nucleus over its domain socket; rejects when the nucleus refuses the token or is not there. */
export const connectIotCoreChannel = async (endpoint: GreengrassIpcEndpoint): Promise<IotCoreChannel> => {
  const { client, model } = await openClient(endpoint);
  return {
    publish: async (topic, payload) => {
      try {
        await client.publishToIoTCore({
          topicName: topic,
          qos: model.QOS.AT_LEAST_ONCE,
          payload: Buffer.from(payload, 'utf8'),
        });
      } catch (error) {
        throw new Error(`the nucleus refused PublishToIoTCore on ${topic}: ${reasonOf(error)}`);
      }
    },
    onDisconnect: (listener) => {
      client.on('disconnection', (event) =>
        listener(`the IPC connection to the nucleus was lost: ${reasonOf(event?.reason)}`),
      );
    },
    close: () => client.close(),
  };
};
