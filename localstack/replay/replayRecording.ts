// Drives a recording through the replay engine: directly, or through the local broker like a
// gateway would (see brokerReplay.ts). Lines are decoded here, so a line that is not a recording
// line at all is refused the same way on both paths.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { decodeRecordingLine, type RecordingLine } from '../../domain/wire/recording.ts';
import { MAX_PAYLOAD_BYTES } from '../../domain/wire/wireMessage.ts';
import type { ReceivedBody } from '../../domain/pipeline/receiveMessage.ts';
import type { RawMessage, ReplayEngine } from './replayEngine.ts';
import { recordingLines } from './recordingLines.ts';

export type Speed = 'max' | number;

/** The recording's identity is its content, so a renamed copy resumes rather than counting twice. */
export const recordingSourceId = async (path: string): Promise<string> => {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
};

export type DecodedLine =
  | {
      readonly kind: 'message';
      readonly line: number;
      readonly t: number;
      readonly topic: string;
      readonly body: ReceivedBody;
      readonly raw: RawMessage;
    }
  | {
      readonly kind: 'refused';
      readonly line: number;
      readonly t: number;
      readonly topic: string;
      readonly reason: string;
      readonly raw: RawMessage;
    };

const base64Bytes = (text: string): Uint8Array => Buffer.from(text, 'base64');

export const decodeLine = (line: number, text: string): DecodedLine => {
  const decoded = decodeRecordingLine(text);
  if (E.isLeft(decoded)) {
    return {
      kind: 'refused',
      line,
      t: 0,
      topic: '',
      reason: decoded.left,
      raw: { payloadB64: Buffer.from(text, 'utf8').toString('base64') },
    };
  }
  const { t, topic, body }: RecordingLine = decoded.right;
  // A payload near IoT Core's 128 KiB limit is measured as the bytes a broker would carry, so the
  // direct path refuses exactly what the broker path refuses.
  if (body.kind === 'json' && text.length > MAX_PAYLOAD_BYTES) {
    return {
      kind: 'message',
      line,
      t,
      topic,
      body: { kind: 'bytes', bytes: Buffer.from(JSON.stringify(body.payload) ?? 'null', 'utf8') },
      raw: { payload: body.payload },
    };
  }
  return body.kind === 'json'
    ? { kind: 'message', line, t, topic, body, raw: { payload: body.payload } }
    : {
        kind: 'message',
        line,
        t,
        topic,
        body: { kind: 'bytes', bytes: base64Bytes(body.base64) },
        raw: { payloadB64: body.base64 },
      };
};

export type ReplayProgress = { readonly line: number; readonly t: number };

/** Waits so that recorded time passes `speed` times faster than real time. */
export const pacer = (speed: Speed) => {
  let origin: { readonly t: number; readonly wall: number } | null = null;
  return async (t: number): Promise<void> => {
    if (speed === 'max' || t <= 0) return;
    if (origin === null) origin = { t, wall: performance.now() };
    const due = origin.wall + (t - origin.t) / speed;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  };
};

// Each commit writes every machine's checkpoint (its pending readings and dedup memory): fewer, larger commits write less.
export const COMMIT_EVERY_LINES = 10_000;

export const replayDirect = async (
  engine: ReplayEngine,
  path: string,
  options: { readonly speed: Speed; readonly onProgress?: (p: ReplayProgress) => void },
): Promise<void> => {
  // At full speed there is nothing to wait for: no await per line (each costs a promise and a turn).
  const pace = options.speed === 'max' ? undefined : pacer(options.speed);
  let sinceCommit = 0;
  for await (const { line, text } of recordingLines(path)) {
    if (line <= engine.linesDone) continue;
    const decoded = decodeLine(line, text);
    if (pace !== undefined) await pace(decoded.t);
    if (decoded.kind === 'refused') engine.reject(line, decoded.t, decoded.topic, decoded.reason, decoded.raw);
    else engine.receive(line, decoded.t, decoded.topic, decoded.body, decoded.raw);
    if (++sinceCommit >= COMMIT_EVERY_LINES || options.speed !== 'max') {
      await engine.commit();
      sinceCommit = 0;
      options.onProgress?.({ line, t: decoded.t });
    }
  }
  await engine.commit();
};
