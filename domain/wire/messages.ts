// The wire contract, version 1: the payloads of telemetry, state and counts messages, and of the
// edge alert message added compatibly (docs/wire-contract.md#alert).
import * as t from 'io-ts';
import { describeValue as show, failWith } from '../decodeError.ts';
import { Count, FiniteNumber, isMetricName, MessageId, METRIC_NAME_RULE, Timestamp, VersionOne } from './primitives.ts';

export type MetricReading = { readonly value: number; readonly unit: string | undefined };

/** A metric is a bare number (already in the canonical unit) or `{"value": number, "unit": string}`. */
export const MetricValue = new t.Type<MetricReading, number | { value: number; unit: string }, unknown>(
  'MetricValue',
  (u): u is MetricReading => typeof u === 'object' && u !== null && typeof (u as MetricReading).value === 'number',
  (u, c) => {
    if (typeof u === 'number')
      return Number.isFinite(u)
        ? t.success({ value: u, unit: undefined })
        : failWith(u, c, `expected number, got ${show(u)}`);
    if (typeof u === 'object' && u !== null && !Array.isArray(u)) {
      const { value, unit } = u as Record<string, unknown>;
      if (typeof value !== 'number' || !Number.isFinite(value))
        return failWith(
          value,
          [...c, { key: 'value', type: FiniteNumber, actual: value }],
          `expected number, got ${show(value)}`,
        );
      if (typeof unit !== 'string' || unit.length === 0)
        return failWith(
          unit,
          [...c, { key: 'unit', type: t.string, actual: unit }],
          `expected a unit name such as "degC", got ${show(unit)}`,
        );
      return t.success({ value, unit });
    }
    return failWith(u, c, `expected number or {"value": number, "unit": string}, got ${show(u)}`);
  },
  (reading) => (reading.unit === undefined ? reading.value : { value: reading.value, unit: reading.unit }),
);

/** Metric name to reading; the names follow `isMetricName`. */
export const Metrics = new t.Type<Readonly<Record<string, MetricReading>>, Record<string, unknown>, unknown>(
  'Metrics',
  (u): u is Record<string, MetricReading> => typeof u === 'object' && u !== null,
  (u, c) => {
    if (typeof u !== 'object' || u === null || Array.isArray(u))
      return failWith(u, c, `expected an object of metric name to number, got ${show(u)}`);
    const entries = Object.entries(u as Record<string, unknown>);
    if (entries.length === 0) return failWith(u, c, 'expected at least one metric, got none');
    const out: Record<string, MetricReading> = {};
    for (const [name, raw] of entries) {
      const context = [...c, { key: name, type: MetricValue, actual: raw }];
      if (!isMetricName(name)) return failWith(name, context, `expected ${METRIC_NAME_RULE}, got ${show(name)}`);
      const decoded = MetricValue.validate(raw, context);
      if (decoded._tag === 'Left') return decoded;
      out[name] = decoded.right;
    }
    return t.success(out);
  },
  (metrics) =>
    Object.fromEntries(Object.entries(metrics).map(([name, reading]) => [name, MetricValue.encode(reading)])),
);

export const MACHINE_STATES = ['RUNNING', 'IDLE', 'DOWN', 'SETUP', 'PLANNED_STOP', 'OFF'] as const;
export const MachineState = t.keyof(
  Object.fromEntries(MACHINE_STATES.map((s) => [s, null])) as Record<(typeof MACHINE_STATES)[number], null>,
  'RUNNING | IDLE | DOWN | SETUP | PLANNED_STOP | OFF',
);
export type MachineState = t.TypeOf<typeof MachineState>;

export const TelemetryPayload = t.intersection(
  [t.type({ v: VersionOne, id: MessageId, ts: Timestamp, metrics: Metrics }), t.partial({ seq: Count })],
  'TelemetryPayload',
);
export type TelemetryPayload = t.TypeOf<typeof TelemetryPayload>;

export const StatePayload = t.intersection(
  [t.type({ v: VersionOne, id: MessageId, ts: Timestamp, state: MachineState }), t.partial({ reason: t.string })],
  'StatePayload',
);
export type StatePayload = t.TypeOf<typeof StatePayload>;

export const CountsPayload = t.type(
  { v: VersionOne, id: MessageId, ts: Timestamp, total: Count, reject: Count },
  'CountsPayload',
);
export type CountsPayload = t.TypeOf<typeof CountsPayload>;

export const AlertTransition = t.keyof({ raised: null, cleared: null }, 'raised | cleared');
export type AlertTransition = t.TypeOf<typeof AlertTransition>;

const boundedText = (name: string, max: number) =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === 'string' && u.length > 0 && u.length <= max,
    (u, c) =>
      typeof u === 'string' && u.length > 0 && u.length <= max
        ? t.success(u)
        : failWith(u, c, `expected a non-empty string of at most ${max} characters, got ${show(u)}`),
    t.identity,
  );

/** A detector's id as the site configuration makes it: `threshold:spindle_temp`, `heartbeat`, `flatline:rpm#2`. */
export const DetectorName = boundedText('DetectorName', 128);

/** The reading that raised an alert, where one did (a heartbeat alert is raised by silence). */
export const AlertTrigger = t.type({ messageId: MessageId, ts: Timestamp, value: FiniteNumber }, 'AlertTrigger');

/**
 * An edge detector's alert, raised or cleared at the gateway (a compatible addition to version 1):
 * `ts` is when the detector decided, `cause` the sentence a person reads.
 */
export const AlertPayload = t.intersection(
  [
    t.type({
      v: VersionOne,
      id: MessageId,
      ts: Timestamp,
      detector: DetectorName,
      transition: AlertTransition,
      cause: boundedText('cause', 1024),
    }),
    t.partial({ trigger: t.union([AlertTrigger, t.null]) }),
  ],
  'AlertPayload',
);
export type AlertPayload = t.TypeOf<typeof AlertPayload>;

/**
 * A job (a compatible addition to version 1, docs/wire-contract.md#job): the machine starts `order`, making
 * `product`; until the next job its performance is measured against that product's ideal cycle time.
 */
export const JobPayload = t.intersection(
  [
    t.type({
      v: VersionOne,
      id: MessageId,
      ts: Timestamp,
      order: boundedText('order', 128),
      product: boundedText('product', 128),
    }),
    t.partial({ targetQuantity: Count }),
  ],
  'JobPayload',
);
export type JobPayload = t.TypeOf<typeof JobPayload>;
