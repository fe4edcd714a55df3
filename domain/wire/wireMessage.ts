// One received message, from raw bytes or a parsed object to a typed wire message, or a reason.
// Decoding never throws: whatever arrives, the answer is a message or a rejection that says why.
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { formatDecodeErrors } from '../decodeError.ts';
import { CountsPayload, StatePayload, TelemetryPayload } from './messages.ts';
import { parseDataTopic, type MachineRef } from './topic.ts';

/** IoT Core's payload limit is 128 KiB; the wire contract keeps to it everywhere. */
export const MAX_PAYLOAD_BYTES = 128 * 1024;

export type TelemetryMessage = MachineRef & { readonly type: 'telemetry'; readonly payload: TelemetryPayload };
export type StateMessage = MachineRef & { readonly type: 'state'; readonly payload: StatePayload };
export type CountsMessage = MachineRef & { readonly type: 'counts'; readonly payload: CountsPayload };
export type WireMessage = TelemetryMessage | StateMessage | CountsMessage;

const decodeWith = <A>(codec: t.Decoder<unknown, A>, payload: unknown): E.Either<string, A> =>
  pipe(codec.decode(payload), E.mapLeft((errors) => formatDecodeErrors(errors).join('; ')));

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes to a JSON object: UTF-8, at most 128 KiB, valid JSON, an object. */
export const parsePayloadBytes = (bytes: Uint8Array): E.Either<string, unknown> => {
  if (bytes.byteLength > MAX_PAYLOAD_BYTES) return E.left(`payload is ${bytes.byteLength} bytes, over the 131072-byte (128 KiB) limit`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return E.left('payload is not valid UTF-8');
  }
  try {
    return E.right(JSON.parse(text));
  } catch (error) {
    return E.left(`payload is not JSON: ${(error as Error).message}`);
  }
};

export const decodePayload = (topic: string, payload: unknown): E.Either<string, WireMessage> =>
  pipe(
    parseDataTopic(topic),
    E.chain((ref): E.Either<string, WireMessage> => {
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        return E.left(`payload: expected a JSON object, got ${payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload}`);
      }
      switch (ref.type) {
        case 'telemetry':
          return pipe(decodeWith(TelemetryPayload, payload), E.map((p) => ({ ...ref, type: 'telemetry' as const, payload: p })));
        case 'state':
          return pipe(decodeWith(StatePayload, payload), E.map((p) => ({ ...ref, type: 'state' as const, payload: p })));
        case 'counts':
          return pipe(
            decodeWith(CountsPayload, payload),
            E.filterOrElse((p) => p.reject <= p.total, (p) => `reject: expected at most total (${p.total}), got ${p.reject}`),
            E.map((p) => ({ ...ref, type: 'counts' as const, payload: p })),
          );
      }
    }),
  );

export const decodeMessageBytes = (topic: string, bytes: Uint8Array): E.Either<string, WireMessage> =>
  pipe(parsePayloadBytes(bytes), E.chain((payload) => decodePayload(topic, payload)));
