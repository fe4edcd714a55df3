// The common part of every hand-built AWS fake: a loopback HTTP server on port 0 that records each
// request as the SDK sent it and answers through the fake's handler.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedRequest = {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
};
export type FakeResponse = {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
};
export type FakeServer = {
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
  readonly close: () => Promise<void>;
};

export const startFakeServer = async (handle: (request: RecordedRequest) => FakeResponse): Promise<FakeServer> => {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      let out: FakeResponse;
      try {
        out = handle(request);
      } catch (error) {
        out = { status: 500, body: JSON.stringify({ message: `fake failed: ${String(error)}` }) };
      }
      res.writeHead(out.status, out.headers ?? {}).end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    // Dropping idle keep-alive sockets lets close() return now instead of after the keep-alive timeout.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

/** awsJson 1.0/1.1 error body: the SDK reads the shape name after '#' in __type. */
export const awsJsonError = (
  status: number,
  namespace: string,
  type: string,
  fields: Record<string, unknown>,
): FakeResponse => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type },
  body: JSON.stringify({ __type: `${namespace}#${type}`, ...fields }),
});

export const awsJsonOk = (body: unknown, contentType = 'application/x-amz-json-1.0'): FakeResponse => ({
  status: 200,
  headers: { 'content-type': contentType },
  body: JSON.stringify(body),
});
