// An alert a gateway's detectors raised or cleared at the edge and published on
// `dt/{factoryId}/{lineId}/{machineId}/alert` (docs/wire-contract.md#alert). The gateway runs the
// same detectors as the cloud (domain/detectors) on the same readings, so an edge alert is an
// AlertEvent decided earlier and elsewhere: `alertEventOf` gives that event, and a core that already
// raised the same detector for the machine holds one alert, not two.
import type { AlertEvent } from '../detectors/detector.ts';
import type { AlertMessage } from '../wire/wireMessage.ts';

export type EdgeAlert = {
  /** The message id: the idempotency key, as for readings. */
  readonly messageId: string;
  /** When the edge detector decided, epoch ms. */
  readonly ts: number;
  readonly detector: string;
  readonly transition: 'raised' | 'cleared';
  readonly cause: string;
  /** The reading that raised it, where one did; always null for a clearing. */
  readonly trigger: { readonly messageId: string; readonly ts: number; readonly value: number } | null;
};

export const edgeAlertOf = (message: AlertMessage): EdgeAlert => {
  const { id, ts, detector, transition, cause, trigger } = message.payload;
  return {
    messageId: id,
    ts,
    detector,
    transition,
    cause,
    trigger: transition === 'raised' ? (trigger ?? null) : null,
  };
};

/** The detector event the edge alert reports, as the machine's own detectors would have decided it. */
export const alertEventOf = (alert: EdgeAlert): AlertEvent =>
  alert.transition === 'raised'
    ? {
        type: 'DetectorRaised',
        detector: alert.detector,
        ts: alert.ts,
        cause: alert.cause,
        trigger: alert.trigger,
        origin: 'edge',
      }
    : { type: 'DetectorCleared', detector: alert.detector, ts: alert.ts, cause: alert.cause, origin: 'edge' };
