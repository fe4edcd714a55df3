// One received MQTT message as one recording line (docs/wire-contract.md). A payload that is a UTF-8 JSON object
// within the wire contract's size goes in as `payload`, readable and diffable; anything else (not
// UTF-8, not JSON, a JSON array or number, over 128 KiB) goes in as `payloadB64`, the bytes exactly as
// they came, so a malformed message is replayed as the same malformed bytes.
import * as E from 'fp-ts/lib/Either.js';
import { parsePayloadBytes } from '../../domain/wire/wireMessage.ts';

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The recording line (without its newline) for a message received at `receivedAtMs`. */
export const recordingLineFor = (receivedAtMs: number, topic: string, bytes: Uint8Array): string => {
  const t = new Date(receivedAtMs).toISOString();
  const parsed = parsePayloadBytes(bytes);
  return E.isRight(parsed) && isJsonObject(parsed.right)
    ? JSON.stringify({ t, topic, payload: parsed.right })
    : JSON.stringify({
        t,
        topic,
        payloadB64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
      });
};
