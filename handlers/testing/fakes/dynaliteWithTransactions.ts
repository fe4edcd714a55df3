// dynalite 4 implements no TransactWriteItems. This shim sits in front of it, forwards every other
// call untouched, and runs TransactWriteItems the way DynamoDB does: all conditions checked, then all
// puts, or nothing and a TransactionCanceledException with one CancellationReason per item. Requests
// go through one queue, so a transaction is atomic to every client of the shim. Test support only.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

type Forwarded = { readonly status: number; readonly body: string };
type AttributeMap = Record<string, Record<string, unknown>>;
type TransactItem = {
  readonly Put?: {
    TableName: string;
    Item: AttributeMap;
    ConditionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
  };
  readonly ConditionCheck?: {
    TableName: string;
    Key: AttributeMap;
    ConditionExpression: string;
    ExpressionAttributeNames?: Record<string, string>;
  };
};

export type DynaliteWithTransactions = {
  readonly endpoint: string;
  readonly transactions: () => number;
  readonly close: () => Promise<void>;
};

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

const CONDITION = /^(attribute_exists|attribute_not_exists)\((#?\w+)\)$/;

export const startDynaliteWithTransactions = async (): Promise<DynaliteWithTransactions> => {
  const backend = dynalite({ createTableMs: 0 }) as Server;
  const backendPort = await listen(backend);
  const keyNames = new Map<string, string[]>();
  let transactions = 0;

  const forward = (headers: IncomingHttpHeaders, target: string, body: string): Promise<Forwarded> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: backendPort,
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `DynamoDB_20120810.${target}`,
            authorization: headers.authorization ?? '',
            'x-amz-date': headers['x-amz-date'] ?? '',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 500, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const keyOf = async (headers: IncomingHttpHeaders, table: string, item: AttributeMap): Promise<AttributeMap> => {
    let names = keyNames.get(table);
    if (names === undefined) {
      const described = JSON.parse(
        (await forward(headers, 'DescribeTable', JSON.stringify({ TableName: table }))).body,
      );
      names = (described.Table.KeySchema as { AttributeName: string }[]).map((k) => k.AttributeName);
      keyNames.set(table, names);
    }
    return Object.fromEntries(names.map((n) => [n, item[n]!]));
  };

  const conditionHolds = async (
    headers: IncomingHttpHeaders,
    table: string,
    key: AttributeMap,
    expression: string | undefined,
    names: Record<string, string> = {},
  ): Promise<boolean> => {
    if (expression === undefined) return true;
    const match = CONDITION.exec(expression.trim());
    if (match === null)
      throw new Error(
        `dynalite shim: condition ${JSON.stringify(expression)} is not supported; only attribute_exists(x) / attribute_not_exists(x)`,
      );
    const got = JSON.parse(
      (await forward(headers, 'GetItem', JSON.stringify({ TableName: table, Key: key, ConsistentRead: true }))).body,
    );
    const attribute = names[match[2]!] ?? match[2]!;
    const exists = got.Item !== undefined && got.Item[attribute] !== undefined;
    return match[1] === 'attribute_exists' ? exists : !exists;
  };

  const transactWrite = async (headers: IncomingHttpHeaders, body: string): Promise<Forwarded> => {
    transactions++;
    const items = (JSON.parse(body) as { TransactItems: TransactItem[] }).TransactItems;
    if (items.length > 100) {
      return {
        status: 400,
        body: JSON.stringify({
          __type: 'com.amazon.coral.validate#ValidationException',
          message: `Member must have length less than or equal to 100 (got ${items.length})`,
        }),
      };
    }
    const reasons: { Code: string; Message?: string }[] = [];
    for (const item of items) {
      const ok =
        item.Put !== undefined
          ? await conditionHolds(
              headers,
              item.Put.TableName,
              await keyOf(headers, item.Put.TableName, item.Put.Item),
              item.Put.ConditionExpression,
              item.Put.ExpressionAttributeNames,
            )
          : await conditionHolds(
              headers,
              item.ConditionCheck!.TableName,
              item.ConditionCheck!.Key,
              item.ConditionCheck!.ConditionExpression,
              item.ConditionCheck!.ExpressionAttributeNames,
            );
      reasons.push(
        ok ? { Code: 'None' } : { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      );
    }
    if (reasons.some((r) => r.Code !== 'None')) {
      return {
        status: 400,
        body: JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
          CancellationReasons: reasons,
        }),
      };
    }
    for (const item of items) {
      if (item.Put !== undefined)
        await forward(headers, 'PutItem', JSON.stringify({ TableName: item.Put.TableName, Item: item.Put.Item }));
    }
    return { status: 200, body: '{}' };
  };

  let queue: Promise<unknown> = Promise.resolve();
  const front = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const target = String(req.headers['x-amz-target'] ?? '').replace('DynamoDB_20120810.', '');
      const run = (): Promise<Forwarded> =>
        target === 'TransactWriteItems' ? transactWrite(req.headers, body) : forward(req.headers, target, body);
      const done = queue.then(run, run);
      queue = done.catch(() => undefined);
      done.then(
        (out) => res.writeHead(out.status, { 'content-type': 'application/x-amz-json-1.0' }).end(out.body),
        (error: unknown) =>
          res.writeHead(500).end(JSON.stringify({ __type: 'InternalServerError', message: String(error) })),
      );
    });
  });
  const port = await listen(front);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    transactions: () => transactions,
    close: () =>
      new Promise((resolve) => {
        front.close(() => backend.close(() => resolve()));
        front.closeAllConnections();
        backend.closeAllConnections();
      }),
  };
};
