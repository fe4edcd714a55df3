// A machine's tag readings to the wire messages of docs/wire-contract.md — a telemetry message per sample, a
// state message when the mapped state changes, a counts message when a counter changes, a job message
// when the mapped order or product changes — each
// checked with the domain codecs before it may enter the buffer. Bad device data becomes a
// rejection with its reason, never a message and never an exception.
import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { READING_TYPES, dataTopic, type ReadingType } from '../domain/wire/topic.ts';
import { decodePayload, type ReadingMessage, type WireMessage } from '../domain/wire/wireMessage.ts';
import type { MachineState } from '../domain/wire/messages.ts';
import { convert } from '../domain/units/convert.ts';
import type { GatewayMachineConfig } from './gatewayConfig.ts';
import { tagName, type SourceEvent, type TagReading } from './source.ts';

/** What the gateway remembers of a machine between readings, to publish changes only. */
export type MachineMemory = {
  readonly state: MachineState | undefined;
  readonly total: number | undefined;
  readonly reject: number | undefined;
  readonly lastCounts: { readonly total: number; readonly reject: number } | undefined;
  /** The job tags as last read, and the job last published (absent until a machine maps a job). */
  readonly job?: { readonly order?: string; readonly product?: string; readonly targetQuantity?: number };
  readonly lastJob?: string;
};
export const emptyMemory: MachineMemory = {
  state: undefined,
  total: undefined,
  reject: undefined,
  lastCounts: undefined,
};

export type Outbound = {
  readonly id: string;
  readonly topic: string;
  readonly type: ReadingType;
  readonly ts: number;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly message: ReadingMessage;
};
export type Rejection = {
  readonly machineId: string;
  readonly ts: number;
  readonly tag: string;
  readonly reason: string;
};
export type MachineContext = {
  readonly gatewayId: string;
  readonly factoryId: string;
  readonly machine: GatewayMachineConfig;
};

/**
 * The message id, stable across retries and restarts: the same reading (gateway, machine, kind, source
 * time, and for telemetry which metrics) always gets the same id, so a redelivery is a duplicate.
 */
export const messageId = (
  ctx: MachineContext,
  type: ReadingType,
  ts: number,
  metricNames: readonly string[] = [],
): string => {
  const base = `${ctx.gatewayId}.${ctx.machine.machineId}.${type}.${ts}`;
  if (metricNames.length === 0) return base;
  const names = createHash('sha256')
    .update([...metricNames].sort().join('\n'))
    .digest('hex')
    .slice(0, 8);
  return `${base}.${names}`;
};

const show = (value: unknown): string =>
  typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));

/** A reading's message, never an alert: a reading topic decodes to a reading or to a reason. */
const asReading = (message: WireMessage): E.Either<string, ReadingMessage> =>
  message.type === 'alert'
    ? E.left("an alert is not a reading: edge alerts come from the gateway's own detectors")
    : E.right(message);

const buildChecked = (
  ctx: MachineContext,
  type: ReadingType,
  ts: number,
  payload: Record<string, unknown>,
): E.Either<string, Outbound> => {
  const topic = dataTopic(
    { factoryId: ctx.factoryId, lineId: ctx.machine.lineId, machineId: ctx.machine.machineId },
    type,
  );
  return E.map((message: ReadingMessage): Outbound => ({ id: String(payload.id), topic, type, ts, payload, message }))(
    E.chain(asReading)(decodePayload(topic, payload)),
  );
};

const numberOf = (reading: TagReading): E.Either<string, number> => {
  if ('bad' in reading) return E.left(reading.bad);
  const v = typeof reading.value === 'bigint' ? Number(reading.value) : reading.value;
  if (typeof v !== 'number') return E.left(`expected a number, got ${typeof v} ${show(v)}`);
  if (!Number.isFinite(v)) return E.left(`expected a finite number, got ${v}`);
  return E.right(v);
};

type Step = { memory: MachineMemory; messages: Outbound[]; rejections: Rejection[] };

const telemetryOf = (ctx: MachineContext, readings: readonly TagReading[], step: Step): void => {
  const metricsConfig = ctx.machine.metrics ?? {};
  const metrics: Record<string, { value: number; unit: string }> = {};
  let ts = 0;
  for (const reading of readings) {
    if (reading.tag.kind !== 'metric') continue;
    const config = metricsConfig[reading.tag.name];
    const reject = (reason: string) =>
      step.rejections.push({ machineId: ctx.machine.machineId, ts: reading.ts, tag: tagName(reading.tag), reason });
    if (config === undefined) {
      reject('not a configured metric');
      continue;
    }
    const value = numberOf(reading);
    if (E.isLeft(value)) {
      reject(value.left);
      continue;
    }
    if (
      (config.min !== undefined && value.right < config.min) ||
      (config.max !== undefined && value.right > config.max)
    ) {
      reject(
        `${value.right} ${config.unit} is outside the configured range ${config.min ?? '-∞'}..${config.max ?? '∞'}`,
      );
      continue;
    }
    // Converting at the edge is allowed when the site's canonical unit is configured (docs/gateway-configuration.md).
    const converted =
      config.canonicalUnit === undefined ? value : convert(value.right, config.unit, config.canonicalUnit);
    if (E.isLeft(converted)) {
      reject(converted.left);
      continue;
    }
    metrics[reading.tag.name] = { value: converted.right, unit: config.canonicalUnit ?? config.unit };
    ts = Math.max(ts, reading.ts);
  }
  const names = Object.keys(metrics);
  if (names.length === 0) return;
  const id = messageId(ctx, 'telemetry', ts, names);
  const checked = buildChecked(ctx, 'telemetry', ts, { v: 1, id, ts, metrics });
  if (E.isLeft(checked))
    step.rejections.push({ machineId: ctx.machine.machineId, ts, tag: 'metrics', reason: checked.left });
  else step.messages.push(checked.right);
};

const stateOf = (ctx: MachineContext, reading: TagReading, step: Step): void => {
  const map = ctx.machine.state?.map ?? {};
  const reject = (reason: string) =>
    step.rejections.push({ machineId: ctx.machine.machineId, ts: reading.ts, tag: 'state', reason });
  const raw = 'bad' in reading ? undefined : reading.value;
  if ('bad' in reading) return void reject(reading.bad);
  const key = typeof raw === 'boolean' ? String(Number(raw)) : String(raw);
  const state = Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
  if (state === undefined)
    return void reject(
      `raw state ${show(raw)} is not in the configured map (${Object.keys(map).join(', ')}): add it to state.map`,
    );
  if (state === step.memory.state) return;
  const id = messageId(ctx, 'state', reading.ts);
  const checked = buildChecked(ctx, 'state', reading.ts, { v: 1, id, ts: reading.ts, state });
  if (E.isLeft(checked)) return void reject(checked.left);
  step.messages.push(checked.right);
  step.memory = { ...step.memory, state };
};

const countsOf = (ctx: MachineContext, readings: readonly TagReading[], step: Step): void => {
  let ts = 0;
  let memory = step.memory;
  for (const reading of readings) {
    if (reading.tag.kind !== 'total' && reading.tag.kind !== 'reject') continue;
    const value = numberOf(reading);
    const reason = E.isLeft(value)
      ? value.left
      : !Number.isSafeInteger(value.right) || value.right < 0
        ? `expected a whole number >= 0, got ${value.right}`
        : undefined;
    if (reason !== undefined || E.isLeft(value)) {
      step.rejections.push({
        machineId: ctx.machine.machineId,
        ts: reading.ts,
        tag: tagName(reading.tag),
        reason: reason ?? 'no value',
      });
      continue;
    }
    memory = reading.tag.kind === 'total' ? { ...memory, total: value.right } : { ...memory, reject: value.right };
    ts = Math.max(ts, reading.ts);
  }
  step.memory = memory;
  const { total, reject, lastCounts } = memory;
  if (ts === 0 || total === undefined || reject === undefined) return;
  if (lastCounts !== undefined && lastCounts.total === total && lastCounts.reject === reject) return;
  const id = messageId(ctx, 'counts', ts);
  const checked = buildChecked(ctx, 'counts', ts, { v: 1, id, ts, total, reject });
  if (E.isLeft(checked))
    step.rejections.push({ machineId: ctx.machine.machineId, ts, tag: 'counts', reason: checked.left });
  else {
    step.messages.push(checked.right);
    step.memory = { ...memory, lastCounts: { total, reject } };
  }
};

/** A tag's value as text: an order number read as a number is written without a fraction. */
const textOf = (reading: TagReading): E.Either<string, string> => {
  if ('bad' in reading) return E.left(reading.bad);
  const v = typeof reading.value === 'bigint' ? Number(reading.value) : reading.value;
  if (typeof v === 'string' && v.trim().length > 0) return E.right(v.trim());
  if (typeof v === 'number' && Number.isSafeInteger(v)) return E.right(String(v));
  return E.left(`expected a non-empty text or a whole number, got ${show(v)}`);
};

/** The job tags of a read: a `job` message when order or product changed from the last one published. */
const jobOf = (ctx: MachineContext, readings: readonly TagReading[], step: Step): void => {
  const config = ctx.machine.job;
  if (config === undefined) return;
  let job = step.memory.job ?? {};
  let ts = 0;
  const reject = (reading: TagReading, reason: string) =>
    step.rejections.push({ machineId: ctx.machine.machineId, ts: reading.ts, tag: tagName(reading.tag), reason });
  for (const reading of readings) {
    const { kind } = reading.tag;
    if (kind !== 'order' && kind !== 'product' && kind !== 'targetQuantity') continue;
    if (kind === 'targetQuantity') {
      const value = numberOf(reading);
      if (E.isLeft(value) || !Number.isSafeInteger(value.right) || value.right < 0)
        reject(reading, E.isLeft(value) ? value.left : `expected a whole number >= 0, got ${value.right}`);
      else job = { ...job, targetQuantity: value.right };
      continue;
    }
    const text = textOf(reading);
    if (E.isLeft(text)) {
      reject(reading, text.left);
      continue;
    }
    if (kind === 'order') job = { ...job, order: text.right };
    else {
      const map = config.product.map;
      const product =
        map === undefined
          ? text.right
          : Object.prototype.hasOwnProperty.call(map, text.right)
            ? map[text.right]
            : undefined;
      if (product === undefined) {
        reject(
          reading,
          `raw product ${show(text.right)} is not in the configured map (${Object.keys(map ?? {}).join(', ')}): add it to job.product.map`,
        );
        continue;
      }
      job = { ...job, product };
    }
    ts = Math.max(ts, reading.ts);
  }
  step.memory = { ...step.memory, job };
  if (ts === 0 || job.order === undefined || job.product === undefined) return;
  const key = `${job.order}\n${job.product}`;
  if (key === step.memory.lastJob) return;
  const id = messageId(ctx, 'job', ts);
  const payload = {
    v: 1,
    id,
    ts,
    order: job.order,
    product: job.product,
    ...(job.targetQuantity === undefined ? {} : { targetQuantity: job.targetQuantity }),
  };
  const checked = buildChecked(ctx, 'job', ts, payload);
  if (E.isLeft(checked))
    step.rejections.push({ machineId: ctx.machine.machineId, ts, tag: 'job', reason: checked.left });
  else {
    step.messages.push(checked.right);
    step.memory = { ...step.memory, lastJob: key };
  }
};

/** One source event of a machine to the messages to buffer, the rejections to count, and the new memory. */
export const machineReadings = (ctx: MachineContext, memory: MachineMemory, event: SourceEvent): Step => {
  const step: Step = { memory, messages: [], rejections: [] };
  switch (event.kind) {
    case 'fault':
      step.rejections.push({ machineId: ctx.machine.machineId, ts: event.ts, tag: 'source', reason: event.reason });
      return step;
    case 'wire': {
      // A device that speaks the contract keeps its own ids: they are its dedup keys, not ours to change.
      const type = event.type as ReadingType;
      if (!(READING_TYPES as readonly string[]).includes(event.type)) {
        step.rejections.push({
          machineId: ctx.machine.machineId,
          ts: event.ts,
          tag: 'topic',
          reason: `topic type ${JSON.stringify(event.type)} is not one of telemetry, state, counts, job`,
        });
        return step;
      }
      const payload =
        typeof event.payload === 'object' && event.payload !== null ? (event.payload as Record<string, unknown>) : {};
      const topic = dataTopic(
        { factoryId: ctx.factoryId, lineId: ctx.machine.lineId, machineId: ctx.machine.machineId },
        type,
      );
      const checked = E.chain(asReading)(decodePayload(topic, event.payload));
      if (E.isLeft(checked))
        step.rejections.push({ machineId: ctx.machine.machineId, ts: event.ts, tag: type, reason: checked.left });
      else
        step.messages.push({
          id: checked.right.payload.id,
          topic,
          type,
          ts: checked.right.payload.ts,
          payload,
          message: checked.right,
        });
      return step;
    }
    case 'tags':
      telemetryOf(ctx, event.readings, step);
      for (const reading of event.readings) if (reading.tag.kind === 'state') stateOf(ctx, reading, step);
      // The job before the counts of the same read: the parts counted from now on are the new order's.
      jobOf(ctx, event.readings, step);
      countsOf(ctx, event.readings, step);
      return step;
  }
};
