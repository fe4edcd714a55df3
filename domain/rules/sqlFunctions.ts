// The IoT SQL functions the local interpreter knows, with the argument tables of
// https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html: a function given an
// argument it cannot convert returns Undefined. Time and uuids come from the caller (domain is pure).
import { numberResult, toDecimal, Undefined, type SqlValue } from './sqlValue.ts';

export type MessageContext = {
  readonly topic: string;
  readonly payload: unknown;
  readonly clientId?: string;
  readonly timestampMs: number;
  readonly newUuid: () => string;
};

type SqlFunction = {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly apply: (args: readonly SqlValue[], context: MessageContext) => SqlValue;
};

const numeric = (f: (x: number) => number) => (args: readonly SqlValue[]): SqlValue => {
  const x = toDecimal(args[0] ?? Undefined);
  return x === Undefined ? Undefined : numberResult(f(x));
};

const numeric2 = (f: (x: number, y: number) => number) => (args: readonly SqlValue[]): SqlValue => {
  const x = toDecimal(args[0] ?? Undefined);
  const y = toDecimal(args[1] ?? Undefined);
  return x === Undefined || y === Undefined ? Undefined : numberResult(f(x, y));
};

// topic(n) is one-based; the whole topic without an argument; a level that does not exist is Undefined.
const topicLevel = (args: readonly SqlValue[], context: MessageContext): SqlValue => {
  if (args.length === 0) return context.topic;
  const n = toDecimal(args[0] ?? Undefined);
  if (n === Undefined || !Number.isInteger(n) || n < 1) return Undefined;
  return context.topic.split('/')[n - 1] ?? Undefined;
};

const FUNCTIONS: { readonly [name: string]: SqlFunction } = {
  topic: { minArgs: 0, maxArgs: 1, apply: topicLevel },
  timestamp: { minArgs: 0, maxArgs: 0, apply: (_, c) => c.timestampMs },
  // "Returns the ID of the MQTT client sending the message, or n/a if the message wasn't sent over MQTT."
  clientid: { minArgs: 0, maxArgs: 0, apply: (_, c) => c.clientId ?? 'n/a' },
  newuuid: { minArgs: 0, maxArgs: 0, apply: (_, c) => c.newUuid() },
  abs: { minArgs: 1, maxArgs: 1, apply: numeric(Math.abs) },
  ceil: { minArgs: 1, maxArgs: 1, apply: numeric(Math.ceil) },
  floor: { minArgs: 1, maxArgs: 1, apply: numeric(Math.floor) },
  // round(-1.5) = -2 in the reference: halves round away from zero, unlike Math.round.
  round: { minArgs: 1, maxArgs: 1, apply: numeric((x) => Math.sign(x) * Math.round(Math.abs(x))) },
  sign: { minArgs: 1, maxArgs: 1, apply: numeric(Math.sign) },
  sqrt: { minArgs: 1, maxArgs: 1, apply: numeric(Math.sqrt) },
  power: { minArgs: 2, maxArgs: 2, apply: numeric2(Math.pow) },
  mod: { minArgs: 2, maxArgs: 2, apply: numeric2((x, y) => x % y) },
};

export const SUPPORTED_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

/** The function of that name (IoT SQL function names are matched without regard to case here). */
export const lookupFunction = (name: string): SqlFunction | undefined => {
  const key = name.toLowerCase();
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, key) ? FUNCTIONS[key] : undefined;
};
