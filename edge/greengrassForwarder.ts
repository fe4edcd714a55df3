// The uplink of a gateway run as a Greengrass component (uplink.ts): drains the store-and-forward
// buffer through the nucleus (IPC PublishToIoTCore, QoS 1), which publishes on the core's one
// connection to IoT Core. The gateway opens no MQTT connection of its own.
//
// One message at a time, in buffer order: the nucleus may serve concurrent IPC requests on several
// threads, so pipelined publishes could reach its spooler out of order; and a refused publish must
// not be overtaken by the next one. A message leaves the buffer once the nucleus has taken it; when
// the nucleus refuses one (its spooler is full, the component lacks the topic in its access control)
// or the IPC connection is lost, the same message is tried again after a backoff.
import { connectIotCoreChannel, type GreengrassIpcEndpoint, type IotCoreChannel } from './greengrassIpc.ts';
import type { StoreAndForwardBuffer } from './storeAndForwardBuffer.ts';
import { backoffDelay, type Uplink, type UplinkEvent } from './uplink.ts';

export type GreengrassForwarderOptions = {
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly onEvent?: (event: UplinkEvent) => void;
  /** The IPC client; the SDK's by default. */
  readonly connect?: (endpoint: GreengrassIpcEndpoint) => Promise<IotCoreChannel>;
};

export const startGreengrassForwarder = (
  endpoint: GreengrassIpcEndpoint,
  buffer: StoreAndForwardBuffer,
  options: GreengrassForwarderOptions = {},
): Uplink => {
  const minBackoff = options.minBackoffMs ?? 200;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const connect = options.connect ?? connectIotCoreChannel;
  let channel: IotCoreChannel | undefined;
  let published = 0;
  let inFlight = 0;
  let reconnects = 0;
  let attempt = 0;
  let lastError: string | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const drop = (reason: string): void => {
    const lost = channel;
    channel = undefined;
    if (lost === undefined) return;
    void lost.close().catch(() => undefined);
    options.onEvent?.({ kind: 'disconnected', detail: reason });
  };

  const retryLater = (reason: string): void => {
    lastError = reason;
    options.onEvent?.({ kind: 'error', detail: reason });
    buffer.rewind();
    if (stopped) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        wake();
      },
      backoffDelay(attempt++, minBackoff, maxBackoff, Math.random()),
    );
  };

  const drain = async (): Promise<void> => {
    while (!stopped) {
      if (channel === undefined) {
        try {
          const opened = await connect(endpoint);
          if (stopped) {
            await opened.close();
            return;
          }
          channel = opened;
          opened.onDisconnect((reason) => {
            if (channel === opened) drop(reason);
          });
          options.onEvent?.({ kind: 'connected' });
        } catch (error) {
          reconnects++;
          return retryLater((error as Error).message);
        }
      }
      const [message] = buffer.take(1);
      if (message === undefined) {
        attempt = 0;
        lastError = undefined;
        return;
      }
      inFlight = 1;
      try {
        await channel.publish(message.topic, message.payload);
      } catch (error) {
        // A lost connection shows as a refused publish too: start from a fresh connection either way.
        drop((error as Error).message);
        reconnects++;
        return retryLater((error as Error).message);
      } finally {
        inFlight = 0;
      }
      buffer.acknowledge(message.seq);
      published++;
      attempt = 0;
      lastError = undefined;
    }
  };

  function wake(): void {
    // A retry waits out its backoff; one drain at a time keeps the order.
    if (stopped || timer !== undefined || running !== undefined) return;
    running = drain().finally(() => {
      running = undefined;
    });
  }
  wake();

  return {
    wake,
    stats: () => ({
      via: 'greengrass',
      connected: channel !== undefined,
      published,
      inFlight,
      reconnects,
      ...(lastError === undefined ? {} : { lastError }),
    }),
    stop: async () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
      const open = channel;
      channel = undefined;
      await open?.close().catch(() => undefined);
    },
  };
};
