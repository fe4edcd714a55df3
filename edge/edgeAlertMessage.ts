// An edge alert (one line of the alert log) as the wire contract's `alert` message on
// `dt/{factoryId}/{lineId}/{machineId}/alert` (docs/wire-contract.md#alert), checked with the domain
// codec before it may enter the buffer, as readings are.
import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { dataTopic } from '../domain/wire/topic.ts';
import { decodePayload } from '../domain/wire/wireMessage.ts';
import type { EdgeAlert } from './edgeAlertLog.ts';

export type AlertOutbound = {
  readonly id: string;
  readonly topic: string;
  readonly payload: Readonly<Record<string, unknown>>;
};

/**
 * The message id, stable across restarts: the same decision (gateway, machine, detector, transition,
 * time) always gets the same id, so a copy sent again is a duplicate downstream. The detector's name
 * is hashed to keep the id short whatever its length.
 */
export const alertMessageId = (gatewayId: string, alert: EdgeAlert): string => {
  const detector = createHash('sha256').update(alert.detector).digest('hex').slice(0, 12);
  return `${gatewayId}.${alert.machineId}.alert.${alert.ts}.${alert.type === 'DetectorRaised' ? 'raised' : 'cleared'}.${detector}`;
};

export const alertOutbound = (gatewayId: string, alert: EdgeAlert): E.Either<string, AlertOutbound> => {
  const id = alertMessageId(gatewayId, alert);
  const payload =
    alert.type === 'DetectorRaised'
      ? {
          v: 1,
          id,
          ts: alert.ts,
          detector: alert.detector,
          transition: 'raised',
          cause: alert.cause,
          trigger: alert.trigger,
        }
      : { v: 1, id, ts: alert.ts, detector: alert.detector, transition: 'cleared', cause: alert.cause };
  const topic = dataTopic(alert, 'alert');
  return E.map(() => ({ id, topic, payload }))(decodePayload(topic, payload));
};
