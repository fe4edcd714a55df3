// The first steps of the processing pipeline, shared by the Lambda handler, the local stack and the
// gateway: decode the wire message, enrich it from the site configuration, convert its units. What
// comes out is the machine it belongs to and what it observed — or the reason it is bad input.
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Observation } from '../machine/observation.ts';
import { normalizeMetric } from '../site/normalizeMetric.ts';
import type { SiteConfig } from '../site/siteConfig.ts';
import type { MachineEntry, SiteRegistry } from '../site/siteRegistry.ts';
import { decodeMessageBytes, decodePayload, type WireMessage } from '../wire/wireMessage.ts';

/** A message as it was received: parsed JSON, or bytes that still need parsing. */
export type ReceivedBody = { readonly kind: 'json'; readonly payload: unknown } | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

export type ReceivedObservation = { readonly machine: MachineEntry; readonly observation: Observation };

const toObservation = (site: SiteConfig, message: WireMessage): E.Either<string, Observation> => {
  const { id: messageId, ts } = message.payload;
  switch (message.type) {
    case 'state':
      return E.right({ kind: 'state', messageId, ts, state: message.payload.state, reason: message.payload.reason ?? null });
    case 'counts':
      return E.right({ kind: 'counts', messageId, ts, total: message.payload.total, reject: message.payload.reject });
    case 'telemetry': {
      // One bad metric rejects the whole message: a reading is kept as it was sent, whole, with its
      // reason, never silently thinned out.
      const metrics: Record<string, number> = {};
      const problems: string[] = [];
      for (const [name, reading] of Object.entries(message.payload.metrics)) {
        const converted = normalizeMetric(site, name, reading);
        // normalizeMetric's reason starts with the metric's name already.
        if (E.isLeft(converted)) problems.push(`metrics.${converted.left}`);
        else metrics[name] = converted.right;
      }
      return problems.length > 0 ? E.left(problems.join('; ')) : E.right({ kind: 'telemetry', messageId, ts, metrics });
    }
  }
};

export const receiveMessage = (site: SiteConfig, registry: SiteRegistry, topic: string, body: ReceivedBody): E.Either<string, ReceivedObservation> =>
  pipe(
    body.kind === 'json' ? decodePayload(topic, body.payload) : decodeMessageBytes(topic, body.bytes),
    E.chain((message) => {
      const machine = registry.machine(message.factoryId, message.lineId, message.machineId);
      return machine === undefined
        ? E.left(`machine ${message.factoryId}/${message.lineId}/${message.machineId} is not in the site configuration: add it under factories[].lines[].machines[]`)
        : pipe(toObservation(site, message), E.map((observation) => ({ machine, observation })));
    }),
  );
