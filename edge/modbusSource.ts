// Modbus TCP: polls the configured holding/input registers every `pollMs`. Modbus has no timestamps,
// so a poll's read time is its readings' time. Register words become values in registerDecoding.ts.
import modbusSerial from 'modbus-serial';
import * as E from 'fp-ts/lib/Either.js';
import type { ModbusSourceConfig, ModbusTag } from './gatewayConfig.ts';
import { registerCount, valueFromRegisters } from './registerDecoding.ts';
import { machineTags, type Source, type SourceEvent, type TagReading } from './source.ts';

export type ModbusMachine = {
  readonly source: ModbusSourceConfig;
  readonly metrics?: Readonly<Record<string, ModbusTag>>;
  readonly state?: ModbusTag;
  readonly counts?: { readonly total: ModbusTag; readonly reject: ModbusTag };
};

const reasonOf = (error: unknown): string => {
  const e = error as { message?: string; modbusCode?: number };
  return e.modbusCode !== undefined
    ? `Modbus exception ${e.modbusCode}: ${e.message ?? ''}`.trim()
    : (e.message ?? String(error));
};

// modbus-serial is CommonJS: its module object is the client class, which the typings call `default`.
const ModbusRTU = modbusSerial.default;

export const modbusSource = (machine: ModbusMachine, now: () => number = Date.now): Source => {
  const client = new ModbusRTU();
  const tags = machineTags(machine);
  const port = machine.source.port ?? 502;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let polling = false;

  const ensureOpen = async (): Promise<void> => {
    if (client.isOpen) return;
    await client.connectTCP(machine.source.host, { port });
    client.setID(machine.source.unitId ?? 1);
    client.setTimeout(machine.source.timeoutMs ?? 1000);
  };

  const readTag = async (tag: ModbusTag): Promise<E.Either<string, number>> => {
    const count = registerCount(tag.type);
    const result =
      tag.table === 'holding'
        ? await client.readHoldingRegisters(tag.address, count)
        : await client.readInputRegisters(tag.address, count);
    return valueFromRegisters(result.data, tag);
  };

  const poll = async (onReading: (event: SourceEvent) => void): Promise<void> => {
    if (polling || stopped) return; // a slow device: skip the tick rather than queue reads behind it
    polling = true;
    const ts = now();
    try {
      await ensureOpen();
      const readings: TagReading[] = [];
      for (const [tag, address] of tags) {
        try {
          const value = await readTag(address);
          readings.push(E.isRight(value) ? { tag, ts, value: value.right } : { tag, ts, bad: value.left });
        } catch (error) {
          const e = error as { modbusCode?: number };
          if (e.modbusCode === undefined) throw error; // the link, not the register: a fault for the whole poll
          readings.push({ tag, ts, bad: `${address.table} register ${address.address}: ${reasonOf(error)}` });
        }
      }
      onReading({ kind: 'tags', readings });
    } catch (error) {
      onReading({ kind: 'fault', ts, reason: `modbus ${machine.source.host}:${port}: ${reasonOf(error)}` });
      if (client.isOpen) client.close(() => undefined);
    } finally {
      polling = false;
    }
  };

  return {
    start: async (onReading) => {
      timer = setInterval(() => void poll(onReading), machine.source.pollMs ?? 1000);
      await poll(onReading);
    },
    stop: async () => {
      stopped = true;
      if (timer !== undefined) clearInterval(timer);
      if (client.isOpen) await new Promise<void>((resolve) => client.close(() => resolve()));
    },
  };
};
