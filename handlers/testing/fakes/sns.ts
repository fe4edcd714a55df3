// An SNS endpoint speaking the awsQuery protocol the SDK's SNS client uses (form-encoded POST,
// Action=Publish&Version=2010-03-31, XML answers). Test support only.
import { randomUUID } from 'node:crypto';
import { startFakeServer, type FakeServer } from './httpExchange.ts';

export type PublishedMessage = {
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  readonly attributes: Record<string, string>;
};
/** `failNext(n, code)`: the next n Publish calls fail with `code` (default InvalidParameter; Throttled is what SNS answers under load). */
export type FakeSns = FakeServer & {
  readonly published: PublishedMessage[];
  readonly failNext: (n: number, code?: 'InvalidParameter' | 'Throttled') => void;
};

const xmlError = (status: number, code: string, message: string) => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body: `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
});

export const startFakeSns = async (): Promise<FakeSns> => {
  const published: PublishedMessage[] = [];
  let failures = 0;
  let failWith: 'InvalidParameter' | 'Throttled' = 'InvalidParameter';
  const server = await startFakeServer((req) => {
    const form = new URLSearchParams(req.body);
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded' || form.get('Version') !== '2010-03-31') {
      return xmlError(400, 'InvalidParameter', 'expected a form-encoded awsQuery request of Version 2010-03-31');
    }
    if (form.get('Action') !== 'Publish')
      return xmlError(400, 'InvalidAction', `fake SNS does not implement ${String(form.get('Action'))}`);
    if (failures > 0) {
      failures--;
      return failWith === 'Throttled'
        ? xmlError(400, 'Throttled', 'Rate exceeded')
        : xmlError(400, 'InvalidParameter', 'Invalid parameter: injected failure');
    }
    const message = form.get('Message') ?? '';
    if (!form.get('TopicArn') || message === '')
      return xmlError(400, 'InvalidParameter', 'TopicArn and Message are required');
    if (Buffer.byteLength(message) > 256 * 1024) return xmlError(400, 'InvalidParameter', 'Message too long');
    const attributes: Record<string, string> = {};
    for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
      attributes[form.get(`MessageAttributes.entry.${i}.Name`)!] =
        form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '';
    }
    published.push({ topicArn: form.get('TopicArn')!, subject: form.get('Subject') ?? undefined, message, attributes });
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`,
    };
  });
  return {
    ...server,
    published,
    failNext: (n, code = 'InvalidParameter') => {
      failures = n;
      failWith = code;
    },
  };
};
