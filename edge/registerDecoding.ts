// Modbus registers are 16-bit words; a device's value is one word (int16/uint16) or two (int32,
// uint32, float32). Which word comes first is the device's choice (`wordOrder`): BE = high word
// first (Modbus's own byte order extended to words), LE = low word first ("word-swapped").
// value = raw × scale + offset (docs/gateway-configuration.md). Pure functions: the protocol I/O lives in modbusSource.ts.
import * as E from 'fp-ts/lib/Either.js';
import type { RegisterType, WordOrder } from './gatewayConfig.ts';

/** How many 16-bit registers a value of this type spans. */
export const registerCount = (type: RegisterType): 1 | 2 => (type === 'int16' || type === 'uint16' ? 1 : 2);

/** Registers (as read, each 0..65535) to the raw value of the type, before scale and offset. */
export const rawFromRegisters = (
  words: readonly number[],
  type: RegisterType,
  wordOrder: WordOrder = 'BE',
): E.Either<string, number> => {
  const need = registerCount(type);
  if (words.length !== need) return E.left(`expected ${need} register(s) for ${type}, got ${words.length}`);
  if (words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffff))
    return E.left(`expected register words 0..65535, got ${JSON.stringify(words)}`);
  const view = new DataView(new ArrayBuffer(4));
  if (need === 1) {
    view.setUint16(0, words[0] ?? 0);
    return E.right(type === 'int16' ? view.getInt16(0) : view.getUint16(0));
  }
  const [first = 0, second = 0] = words;
  const [high, low] = wordOrder === 'BE' ? [first, second] : [second, first];
  view.setUint16(0, high);
  view.setUint16(2, low);
  switch (type) {
    case 'int32':
      return E.right(view.getInt32(0));
    case 'uint32':
      return E.right(view.getUint32(0));
    default: {
      const value = view.getFloat32(0);
      // A NaN or infinite float is the device saying "no value" (or a wrong word order); never a reading.
      return Number.isFinite(value)
        ? E.right(value)
        : E.left(`float32 registers ${JSON.stringify(words)} hold ${value}, not a number`);
    }
  }
};

/** The inverse, for simulators and tests: a raw value of the type to the registers a device would hold. */
export const registersFromRaw = (raw: number, type: RegisterType, wordOrder: WordOrder = 'BE'): number[] => {
  const view = new DataView(new ArrayBuffer(4));
  switch (type) {
    case 'int16':
      view.setInt16(0, raw);
      return [view.getUint16(0)];
    case 'uint16':
      view.setUint16(0, raw);
      return [view.getUint16(0)];
    case 'int32':
      view.setInt32(0, raw);
      break;
    case 'uint32':
      view.setUint32(0, raw);
      break;
    case 'float32':
      view.setFloat32(0, raw);
      break;
  }
  const words = [view.getUint16(0), view.getUint16(2)];
  return wordOrder === 'BE' ? words : words.reverse();
};

/** The engineering value: raw × scale + offset. */
export const scaled = (raw: number, scale = 1, offset = 0): number => raw * scale + offset;

/** Registers to the engineering value in one step. */
export const valueFromRegisters = (
  words: readonly number[],
  tag: {
    readonly type: RegisterType;
    readonly wordOrder?: WordOrder;
    readonly scale?: number;
    readonly offset?: number;
  },
): E.Either<string, number> =>
  E.map((raw: number) => scaled(raw, tag.scale, tag.offset))(rawFromRegisters(words, tag.type, tag.wordOrder));
