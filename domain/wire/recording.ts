// A recording (docs/wire-contract.md): JSON Lines, one received message per line,
// `{"t": time, "topic": string, "payload": object}` or `"payloadB64": string` for raw bytes.
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { formatDecodeErrors } from '../decodeError.ts';
import { Timestamp, timestampMs } from './primitives.ts';

const RecordingLineCodec = t.intersection(
  [t.type({ t: Timestamp, topic: t.string }), t.partial({ payload: t.unknown, payloadB64: t.string })],
  'RecordingLine',
);

/** What was received: the bytes as they came (payloadB64) or the JSON value (payload). */
export type RecordingLine = {
  readonly t: number;
  readonly topic: string;
  readonly body:
    { readonly kind: 'json'; readonly payload: unknown } | { readonly kind: 'bytes'; readonly base64: string };
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const decodeRecordingLine = (text: string): E.Either<string, RecordingLine> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return E.left(`recording line is not JSON: ${(error as Error).message}`);
  }
  // The common line, `{"t","topic","payload"}` and valid, without the codec (it runs once per line
  // of a replay); anything else is left to the codec, which says what is wrong.
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const line = parsed as { t?: unknown; topic?: unknown; payload?: unknown; payloadB64?: unknown };
    const t = timestampMs(line.t);
    if (t !== undefined && typeof line.topic === 'string' && line.payloadB64 === undefined && 'payload' in line) {
      return E.right({ t, topic: line.topic, body: { kind: 'json', payload: line.payload } });
    }
  }
  return pipe(
    RecordingLineCodec.decode(parsed),
    E.mapLeft((errors) => formatDecodeErrors(errors).join('; ')),
    E.chain((line): E.Either<string, RecordingLine> => {
      if (line.payloadB64 !== undefined) {
        if (line.payload !== undefined) return E.left('recording line has both payload and payloadB64: expected one');
        if (line.payloadB64.length % 4 !== 0 || !BASE64.test(line.payloadB64))
          return E.left('payloadB64: expected base64 text');
        return E.right({ t: line.t, topic: line.topic, body: { kind: 'bytes', base64: line.payloadB64 } });
      }
      if (!('payload' in line)) return E.left('recording line has neither payload nor payloadB64: expected one');
      return E.right({ t: line.t, topic: line.topic, body: { kind: 'json', payload: line.payload } });
    }),
  );
};

export const encodeRecordingLine = (line: RecordingLine): string =>
  JSON.stringify(
    line.body.kind === 'json'
      ? { t: new Date(line.t).toISOString(), topic: line.topic, payload: line.body.payload }
      : { t: new Date(line.t).toISOString(), topic: line.topic, payloadB64: line.body.base64 },
  );
