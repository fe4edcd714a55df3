// For tests: the Greengrass nucleus as a component sees it, at the IPC boundary. A Unix domain socket
// speaking the nucleus's IPC protocol (AWS event stream framing, then the eventstream-RPC connect
// and operation messages) with the one service a gateway uses, `aws.greengrass.ipc.mqttproxy`'s
// PublishToIoTCore. The gateway's real IPC client (aws-iot-device-sdk-v2) talks to it unchanged.
// It also answers GetConfiguration with the component's configuration, as the nucleus does for a
// component's own. Every accepted publish is recorded, as IoT Core would receive it; the double can refuse publishes
// (the nucleus answers a ServiceError when its spooler cannot take one) and go away and come back.
//
// The framing is the AWS event stream encoding: a prelude (total length, headers length, CRC-32 of
// the two), typed headers, the payload and a CRC-32 of the whole message, all big-endian.
import { createServer, type Server, type Socket } from 'node:net';
import { crc32 } from 'node:zlib';

type HeaderValue =
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'int32'; readonly value: number }
  | { readonly type: 'string'; readonly value: string };
type Message = { readonly headers: ReadonlyMap<string, HeaderValue>; readonly payload: Buffer };

// Header value types of the event stream encoding.
const BOOL_TRUE = 0;
const BOOL_FALSE = 1;
const BYTE = 2;
const INT16 = 3;
const INT32 = 4;
const INT64 = 5;
const BYTES = 6;
const STRING = 7;
const TIMESTAMP = 8;
const UUID = 9;

// eventstream-RPC message types and flags (the `:message-type` and `:message-flags` headers).
const APPLICATION_MESSAGE = 0;
const APPLICATION_ERROR = 1;
const PING = 2;
const PING_RESPONSE = 3;
const CONNECT = 4;
const CONNECT_ACK = 5;
const CONNECTION_ACCEPTED = 1;
const TERMINATE_STREAM = 2;

const readHeaders = (bytes: Buffer): Map<string, HeaderValue> => {
  const headers = new Map<string, HeaderValue>();
  for (let at = 0; at < bytes.length;) {
    const nameLength = bytes.readUInt8(at);
    const name = bytes.toString('utf8', at + 1, at + 1 + nameLength);
    at += 1 + nameLength;
    const type = bytes.readUInt8(at);
    at += 1;
    switch (type) {
      case BOOL_TRUE:
        headers.set(name, { type: 'bool', value: true });
        break;
      case BOOL_FALSE:
        headers.set(name, { type: 'bool', value: false });
        break;
      case BYTE:
        at += 1;
        break;
      case INT16:
        at += 2;
        break;
      case INT32:
        headers.set(name, { type: 'int32', value: bytes.readInt32BE(at) });
        at += 4;
        break;
      case INT64:
      case TIMESTAMP:
        at += 8;
        break;
      case UUID:
        at += 16;
        break;
      case BYTES:
      case STRING: {
        const length = bytes.readUInt16BE(at);
        if (type === STRING)
          headers.set(name, { type: 'string', value: bytes.toString('utf8', at + 2, at + 2 + length) });
        at += 2 + length;
        break;
      }
      default:
        throw new Error(`event stream header ${name}: unknown value type ${type}`);
    }
  }
  return headers;
};

const encodeHeaders = (headers: readonly (readonly [string, HeaderValue])[]): Buffer =>
  Buffer.concat(
    headers.map(([name, header]) => {
      const nameBytes = Buffer.from(name, 'utf8');
      const head = Buffer.concat([Buffer.from([nameBytes.length]), nameBytes]);
      switch (header.type) {
        case 'bool':
          return Buffer.concat([head, Buffer.from([header.value ? BOOL_TRUE : BOOL_FALSE])]);
        case 'int32': {
          const value = Buffer.alloc(5);
          value.writeUInt8(INT32, 0);
          value.writeInt32BE(header.value, 1);
          return Buffer.concat([head, value]);
        }
        case 'string': {
          const text = Buffer.from(header.value, 'utf8');
          const value = Buffer.alloc(3);
          value.writeUInt8(STRING, 0);
          value.writeUInt16BE(text.length, 1);
          return Buffer.concat([head, value, text]);
        }
      }
    }),
  );

export const encodeEventStreamMessage = (
  headers: readonly (readonly [string, HeaderValue])[],
  payload: Buffer,
): Buffer => {
  const headerBytes = encodeHeaders(headers);
  const total = 12 + headerBytes.length + payload.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headerBytes.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const body = Buffer.concat([prelude, headerBytes, payload]);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([body, trailer]);
};

/** Splits a byte stream into whole messages, checking both CRCs. */
const messageReader = (onMessage: (message: Message) => void) => {
  let pending = Buffer.alloc(0);
  return (chunk: Buffer): void => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 12) {
      const total = pending.readUInt32BE(0);
      if (pending.length < total) return;
      const message = pending.subarray(0, total);
      pending = pending.subarray(total);
      if (crc32(message.subarray(0, 8)) !== message.readUInt32BE(8))
        throw new Error('event stream prelude CRC mismatch');
      if (crc32(message.subarray(0, total - 4)) !== message.readUInt32BE(total - 4))
        throw new Error('event stream message CRC mismatch');
      const headersLength = message.readUInt32BE(4);
      onMessage({
        headers: readHeaders(message.subarray(12, 12 + headersLength)),
        payload: Buffer.from(message.subarray(12 + headersLength, total - 4)),
      });
    }
  };
};

const int32 = (value: number): HeaderValue => ({ type: 'int32', value });
const text = (value: string): HeaderValue => ({ type: 'string', value });

export type IotCorePublish = {
  readonly topic: string;
  readonly qos: string;
  readonly payload: Record<string, unknown>;
};

export type TestNucleus = {
  /** The socket path and token a component gets from the nucleus (AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT, SVCUID). */
  readonly socketPath: string;
  readonly authToken: string;
  /** What PublishToIoTCore accepted, in the order accepted: what IoT Core receives from this core. */
  readonly published: IotCorePublish[];
  /** IPC connections the nucleus accepted (with the right token). */
  readonly connections: () => number;
  /** While set, PublishToIoTCore answers a ServiceError with this message, as when the spooler is full. */
  refusePublishes: string | undefined;
  /** The component's configuration, which GetConfiguration reads. */
  configuration: Record<string, unknown>;
  readonly stop: () => Promise<void>;
  readonly start: () => Promise<void>;
};

const COMPONENT = 'com.smartfactory.Gateway';

export const startTestNucleus = async (socketPath: string, authToken = 'test-svcuid'): Promise<TestNucleus> => {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let accepted = 0;
  const nucleus: TestNucleus = {
    socketPath,
    authToken,
    published: [],
    connections: () => accepted,
    refusePublishes: undefined,
    configuration: {},
    stop: async () => {
      const s = server;
      server = undefined;
      if (s === undefined) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    start: async () => {
      const s = createServer(serve);
      s.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(socketPath, () => resolve());
      });
      server = s;
    },
  };

  function serve(socket: Socket): void {
    let connected = false;
    const send = (headers: readonly (readonly [string, HeaderValue])[], payload: object): void => {
      socket.write(encodeEventStreamMessage(headers, Buffer.from(JSON.stringify(payload), 'utf8')));
    };
    const read = messageReader((message) => {
      const type = message.headers.get(':message-type')?.value;
      const streamId = Number(message.headers.get(':stream-id')?.value ?? 0);
      if (type === CONNECT) {
        const token = (JSON.parse(message.payload.toString('utf8') || '{}') as { authToken?: unknown }).authToken;
        connected = token === authToken;
        if (connected) accepted++;
        send(
          [
            [':message-type', int32(CONNECT_ACK)],
            [':message-flags', int32(connected ? CONNECTION_ACCEPTED : 0)],
            [':stream-id', int32(0)],
          ],
          {},
        );
        if (!connected) socket.end();
        return;
      }
      if (type === PING) {
        send(
          [
            [':message-type', int32(PING_RESPONSE)],
            [':message-flags', int32(0)],
            [':stream-id', int32(0)],
          ],
          {},
        );
        return;
      }
      if (!connected || type !== APPLICATION_MESSAGE) return;
      const operation = message.headers.get('operation')?.value;
      const reply = (modelType: string, body: object, messageType = APPLICATION_MESSAGE): void =>
        send(
          [
            [':message-type', int32(messageType)],
            [':message-flags', int32(TERMINATE_STREAM)],
            [':stream-id', int32(streamId)],
            [':content-type', text('application/json')],
            ['service-model-type', text(modelType)],
          ],
          body,
        );
      if (operation === 'aws.greengrass#GetConfiguration') {
        const { keyPath = [] } = JSON.parse(message.payload.toString('utf8') || '{}') as { keyPath?: string[] };
        let value: unknown = nucleus.configuration;
        for (const key of keyPath)
          value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
        if (value === undefined) {
          reply(
            'aws.greengrass#ResourceNotFoundError',
            {
              message: `Key not found: ${keyPath.join('/')}`,
              resourceType: 'Configuration',
              resourceName: keyPath.join('/'),
            },
            APPLICATION_ERROR,
          );
          return;
        }
        reply('aws.greengrass#GetConfigurationResponse', { componentName: COMPONENT, value });
        return;
      }
      if (operation !== 'aws.greengrass#PublishToIoTCore') {
        reply(
          'aws.greengrass#UnauthorizedError',
          { message: `this test nucleus serves PublishToIoTCore and GetConfiguration only, not ${String(operation)}` },
          APPLICATION_ERROR,
        );
        return;
      }
      if (nucleus.refusePublishes !== undefined) {
        reply('aws.greengrass#ServiceError', { message: nucleus.refusePublishes }, APPLICATION_ERROR);
        return;
      }
      const request = JSON.parse(message.payload.toString('utf8')) as {
        topicName: string;
        qos: string;
        payload?: string;
      };
      const body = Buffer.from(request.payload ?? '', 'base64').toString('utf8');
      nucleus.published.push({
        topic: request.topicName,
        qos: request.qos,
        payload: JSON.parse(body) as Record<string, unknown>,
      });
      reply('aws.greengrass#PublishToIoTCoreResponse', {});
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        read(chunk);
      } catch {
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
  }

  await nucleus.start();
  return nucleus;
};
