// For tests: a real MQTT broker (aedes) on a loopback port that records every publish it receives,
// and can be stopped and started again on the same port (an outage).
import { createServer, type Server, type AddressInfo, type Socket } from 'node:net';
import { Aedes } from 'aedes';

export type Received = {
  readonly topic: string;
  readonly payload: Record<string, unknown>;
  readonly clientId: string | undefined;
};

export type TestBroker = {
  readonly url: () => string;
  readonly received: Received[];
  readonly stop: () => Promise<void>;
  readonly start: () => Promise<void>;
};

export const startTestBroker = async (): Promise<TestBroker> => {
  const received: Received[] = [];
  let port = 0;
  let server: Server | undefined;
  let broker: Aedes | undefined;
  const sockets = new Set<Socket>();
  const start = async () => {
    broker = await Aedes.createBroker();
    broker.on('publish', (packet, client) => {
      if (client === null || packet.topic.startsWith('$SYS')) return;
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(packet.payload.toString());
      } catch {
        payload = { raw: packet.payload.toString('base64') };
      }
      received.push({ topic: packet.topic, payload, clientId: client.id });
    });
    const s = createServer(broker.handle);
    s.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server = s;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as AddressInfo).port;
  };
  const stop = async () => {
    const s = server;
    const b = broker;
    if (s === undefined || b === undefined) return;
    server = undefined;
    broker = undefined;
    await new Promise<void>((resolve) => {
      b.close(() => resolve());
    });
    // Established connections must go too, or clients never notice the outage.
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  };
  await start();
  return { url: () => `mqtt://127.0.0.1:${port}`, received, stop, start };
};

/** Poll until `check` holds or `timeoutMs` passes (then the last failure is thrown). */
export const eventually = async (check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
