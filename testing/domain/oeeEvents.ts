// Test support: arbitrary settled events for the OEE projection's laws, in any order (the laws say the
// projection holds for events as they come). Not imported by production code.
import { fc } from '@fast-check/ava';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { T0 } from './machineTimelines.ts';

const HOUR = 3_600_000;

export type OeeEventOptions = {
  /** Events fall in [T0, T0 + hours). */
  readonly hours: number;
  /** Jobs of these products (orders `<product>-<n>`); none when absent. */
  readonly products?: readonly string[];
  /** Whether a window may open among the events. */
  readonly windowOpened?: boolean;
};

export const oeeEvent = (options: OeeEventOptions): fc.Arbitrary<MachineEvent> =>
  fc.integer({ min: 0, max: options.hours * HOUR }).chain((offset) => {
    const ts = T0 + offset;
    const products = options.products ?? [];
    return fc.oneof(
      fc.constantFrom('RUNNING', 'DOWN', 'PLANNED_STOP').map((s): MachineEvent => ({
        type: 'StateChanged',
        ts,
        messageId: `s${offset}`,
        state: s,
        reason: null,
        previous: null,
      })),
      fc.tuple(fc.nat(50), fc.nat(5)).map(([n, r]): MachineEvent => ({
        type: 'CountsAdvanced',
        ts,
        messageId: `c${offset}`,
        total: n,
        reject: 0,
        totalDelta: n,
        rejectDelta: Math.min(n, r),
        kind: 'advance',
      })),
      fc.constant<MachineEvent>({ type: 'HeartbeatMissed', ts, lastHeardTs: ts }),
      ...(products.length === 0
        ? []
        : [
            fc.tuple(fc.constantFrom(...products), fc.nat(3)).map(([product, order]): MachineEvent => ({
              type: 'JobStarted',
              ts,
              messageId: `j${offset}`,
              order: `${product}-${order}`,
              product,
              targetQuantity: null,
            })),
          ]),
      ...(options.windowOpened === true ? [fc.constant<MachineEvent>({ type: 'WindowOpened', ts })] : []),
    );
  });
