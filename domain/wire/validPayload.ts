// The common case of decoding, without the codecs: a payload valid in every field is built straight
// into the value the io-ts codecs of messages.ts would give, and anything short of that answers
// undefined, so the codecs decode it and say why it is bad. Decoding was the largest cost per
// message after storage (io-ts builds a context and merges intersections even for good input); the
// codecs stay the definition, and a property test holds this path to the same values.
import {
  MACHINE_STATES,
  type CountsPayload,
  type JobPayload,
  type MetricReading,
  type StatePayload,
  type TelemetryPayload,
} from './messages.ts';
import { isCount, isMessageId, isMetricName, timestampMs } from './primitives.ts';
import type { ReadingType } from './topic.ts';

type Fields = Record<string, unknown>;

const isPlainObject = (u: unknown): u is Fields => typeof u === 'object' && u !== null && !Array.isArray(u);
const STATES: ReadonlySet<unknown> = new Set(MACHINE_STATES);

const metricsOf = (u: unknown): Record<string, MetricReading> | undefined => {
  if (!isPlainObject(u)) return undefined;
  const out: Record<string, MetricReading> = {};
  let any = false;
  for (const name in u) {
    if (!Object.prototype.hasOwnProperty.call(u, name)) continue;
    if (!isMetricName(name)) return undefined;
    const raw = u[name];
    if (typeof raw === 'number') {
      if (!Number.isFinite(raw)) return undefined;
      out[name] = { value: raw, unit: undefined };
    } else if (
      isPlainObject(raw) &&
      typeof raw['value'] === 'number' &&
      Number.isFinite(raw['value']) &&
      typeof raw['unit'] === 'string' &&
      raw['unit'].length > 0
    ) {
      out[name] = { value: raw['value'], unit: raw['unit'] };
    } else {
      return undefined;
    }
    any = true;
  }
  return any ? out : undefined;
};

/** The decoded payload of a valid message of this type, or undefined: then only the codecs can tell. */
export const validPayload = (
  type: ReadingType,
  payload: Fields,
): TelemetryPayload | StatePayload | CountsPayload | JobPayload | undefined => {
  if (payload['v'] !== 1 || !isMessageId(payload['id'])) return undefined;
  const ts = timestampMs(payload['ts']);
  if (ts === undefined) return undefined;
  switch (type) {
    case 'telemetry': {
      if (payload['seq'] !== undefined && !isCount(payload['seq'])) return undefined;
      const metrics = metricsOf(payload['metrics']);
      return metrics === undefined ? undefined : ({ ...payload, ts, metrics } as TelemetryPayload);
    }
    case 'state':
      if (!STATES.has(payload['state']) || (payload['reason'] !== undefined && typeof payload['reason'] !== 'string'))
        return undefined;
      return { ...payload, ts } as StatePayload;
    case 'counts':
      if (!isCount(payload['total']) || !isCount(payload['reject'])) return undefined;
      return { ...payload, ts } as CountsPayload;
    case 'job':
      // Jobs are rare: the codec alone decides them.
      return undefined;
  }
};
