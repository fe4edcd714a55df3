// Decoding the wire contract: the io-ts codecs the pipeline runs (domain/wire/wireMessage.ts
// `decodePayload`) against ajv validators compiled from the same contract as JSON Schema
// (wireSchema.ts), on the same parsed payloads. Both take the topic apart the same way first.
// io-ts also builds the typed message (timestamps to epoch ms, metrics to readings); ajv only says
// yes or no — that difference is part of what is measured.
import { Ajv } from 'ajv';
import { CountsPayload, StatePayload, TelemetryPayload } from '../domain/wire/messages.ts';
import { decodePayload } from '../domain/wire/wireMessage.ts';
import { parseDataTopic } from '../domain/wire/topic.ts';
import { recordingLines } from '../localstack/replay/recordingLines.ts';
import { COUNTS_SCHEMA, STATE_SCHEMA, TELEMETRY_SCHEMA } from './wireSchema.ts';

export type DecodeBench = {
  readonly payloads: number;
  /** decodePayload as the pipeline runs it: the valid-payload fast path, the codecs for the rest. */
  readonly decodePayloadPerS: number;
  /** The io-ts codecs alone, every payload through them. */
  readonly ioTsPerS: number;
  readonly ajvPerS: number;
  /** Payloads on which ajv and decodePayload agree (valid or not): the schema is the same contract. */
  readonly agreeing: number;
};

type Sample = { readonly topic: string; readonly payload: unknown };

const samplesOf = async (path: string, limit: number): Promise<Sample[]> => {
  const out: Sample[] = [];
  for await (const { text } of recordingLines(path)) {
    try {
      const line = JSON.parse(text) as { topic?: unknown; payload?: unknown };
      if (typeof line.topic === 'string' && line.payload !== undefined)
        out.push({ topic: line.topic, payload: line.payload });
    } catch {
      /* a malformed line is not a payload */
    }
    if (out.length >= limit) break;
  }
  return out;
};

/** Rates of each contender, rounds interleaved and the best round kept: a shared machine only ever slows a round down. */
const rates = (count: number, contenders: readonly (() => void)[], rounds: number): number[] => {
  for (const run of contenders) run(); // warm-up: compiled and optimised before the clock starts
  const best = contenders.map(() => Infinity);
  for (let round = 0; round < rounds; round++) {
    contenders.forEach((run, i) => {
      const start = performance.now();
      run();
      best[i] = Math.min(best[i]!, performance.now() - start);
    });
  }
  return best.map((ms) => count / (ms / 1000));
};

export const benchWireDecode = async (path: string, limit = 50_000, rounds = 5): Promise<DecodeBench> => {
  const samples = await samplesOf(path, limit);
  const ajv = new Ajv({ $data: true, allErrors: false });
  const validators = {
    telemetry: ajv.compile(TELEMETRY_SCHEMA),
    state: ajv.compile(STATE_SCHEMA),
    counts: ajv.compile(COUNTS_SCHEMA),
  };
  const withAjv = (s: Sample): boolean => {
    const topic = parseDataTopic(s.topic);
    return (
      topic._tag === 'Right' &&
      topic.right.type !== 'alert' &&
      topic.right.type !== 'job' &&
      typeof s.payload === 'object' &&
      s.payload !== null &&
      !Array.isArray(s.payload) &&
      validators[topic.right.type](s.payload)
    );
  };
  let agreeing = 0;
  for (const s of samples) if (withAjv(s) === (decodePayload(s.topic, s.payload)._tag === 'Right')) agreeing += 1;
  const codecs = { telemetry: TelemetryPayload, state: StatePayload, counts: CountsPayload };
  const withCodecs = (s: Sample): boolean => {
    const topic = parseDataTopic(s.topic);
    return (
      topic._tag === 'Right' &&
      topic.right.type !== 'alert' &&
      topic.right.type !== 'job' &&
      typeof s.payload === 'object' &&
      s.payload !== null &&
      !Array.isArray(s.payload) &&
      codecs[topic.right.type].decode(s.payload)._tag === 'Right'
    );
  };
  let sink = 0;
  const [decodePayloadPerS, ioTsPerS, ajvPerS] = rates(
    samples.length,
    [
      () => {
        for (const s of samples) if (decodePayload(s.topic, s.payload)._tag === 'Right') sink += 1;
      },
      () => {
        for (const s of samples) if (withCodecs(s)) sink += 1;
      },
      () => {
        for (const s of samples) if (withAjv(s)) sink += 1;
      },
    ],
    rounds,
  );
  if (sink < 0) throw new Error('unreachable: keeps the loops from being optimised away');
  return {
    payloads: samples.length,
    decodePayloadPerS: decodePayloadPerS!,
    ioTsPerS: ioTsPerS!,
    ajvPerS: ajvPerS!,
    agreeing,
  };
};
