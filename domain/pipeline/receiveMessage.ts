// The first steps of the processing core, shared by the Lambda handler and every replay path: decode the wire
// message, find its machine in the site configuration, convert its units. What comes out is the machine and
// what it observed (or, for an alert message, the edge alert), or the reason it is bad input.
import * as E from 'fp-ts/lib/Either.js';
import { edgeAlertOf, type EdgeAlert } from '../alerts/edgeAlert.ts';
import { counterModulus } from '../machine/counterWidth.ts';
import type { Observation } from '../machine/observation.ts';
import { isConfiguredMetric, normalizeMetric, unknownMetricsReason } from '../site/normalizeMetric.ts';
import type { SiteConfig } from '../site/siteConfig.ts';
import type { MachineEntry, SiteRegistry } from '../site/siteRegistry.ts';
import { decodeMessageBytes, decodePayload, type ReadingMessage, type WireMessage } from '../wire/wireMessage.ts';

/** A message as it was received: parsed JSON, or bytes that still need parsing. */
export type ReceivedBody =
  { readonly kind: 'json'; readonly payload: unknown } | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

export type ReceivedObservation = { readonly machine: MachineEntry; readonly observation: Observation };
/** An alert a gateway's detectors raised or cleared (an `alert` message): not an observation of the machine. */
export type ReceivedEdgeAlert = { readonly machine: MachineEntry; readonly edgeAlert: EdgeAlert };
export type Received = ReceivedObservation | ReceivedEdgeAlert;

const hasOwn = Object.prototype.hasOwnProperty;

/** A job's product must be one the catalog gives this machine an ideal cycle time for: else its performance means nothing. */
const unknownProduct = (machine: MachineEntry, product: string): string => {
  const known = Object.keys(machine.productCycleTimesS ?? {});
  return `product: "${product}" has no ideal cycle time for machine ${machine.factory}/${machine.line}/${machine.machine} (type ${machine.type}) in the product catalog (known: ${known.join(', ') || 'none'}); add it to products[] with idealCycleTimeS.byType.${machine.type} or byMachine`;
};

const toObservation = (
  site: SiteConfig,
  machine: MachineEntry,
  message: ReadingMessage,
): E.Either<string, Observation> => {
  const { id: messageId, ts } = message.payload;
  switch (message.type) {
    case 'state':
      return E.right({
        kind: 'state',
        messageId,
        ts,
        state: message.payload.state,
        reason: message.payload.reason ?? null,
      });
    case 'counts': {
      const { total, reject } = message.payload;
      const bits = machine.counterBits;
      if (bits !== undefined && Math.max(total, reject) >= counterModulus(bits))
        return E.left(
          `${total >= counterModulus(bits) ? 'total' : 'reject'}: ${Math.max(total, reject)} does not fit the ${bits}-bit counters of machine ${machine.factory}/${machine.line}/${machine.machine} (counterBits in the site configuration); check its counterBits`,
        );
      return E.right({ kind: 'counts', messageId, ts, total, reject });
    }
    case 'job': {
      const { order, product, targetQuantity } = message.payload;
      return machine.productCycleTimesS !== undefined &&
        Object.prototype.hasOwnProperty.call(machine.productCycleTimesS, product)
        ? E.right({ kind: 'job', messageId, ts, order, product, targetQuantity: targetQuantity ?? null })
        : E.left(unknownProduct(machine, product));
    }
    case 'telemetry': {
      // One bad metric rejects the whole message: a reading is kept as it was sent, whole, with its
      // reason, never silently thinned out.
      const readings = message.payload.metrics;
      const metrics: Record<string, number> = {};
      // Made only when a metric is bad: this runs for every telemetry message.
      let problems: string[] | undefined;
      let unknown: string[] | undefined;
      for (const name in readings) {
        if (!hasOwn.call(readings, name)) continue;
        const converted = normalizeMetric(site, name, readings[name]!);
        // normalizeMetric's reason starts with the metric's name already; unknown metrics are said once, together.
        if (E.isLeft(converted)) {
          if (isConfiguredMetric(site, name)) (problems ??= []).push(`metrics.${converted.left}`);
          else (unknown ??= []).push(`metrics.${name}`);
        } else metrics[name] = converted.right;
      }
      if (unknown !== undefined) (problems ??= []).push(unknownMetricsReason(site, unknown));
      return problems !== undefined
        ? E.left(problems.join('; '))
        : E.right({ kind: 'telemetry', messageId, ts, metrics });
    }
  }
};

const notConfigured = (message: WireMessage): string =>
  `machine ${message.factoryId}/${message.lineId}/${message.machineId} is not in the site configuration: add it under factories[].lines[].machines[]`;

// Plain branches rather than pipe/chain: this runs once per message, and fp-ts's data-last
// combinators allocate closures on every call (a tenth of a replay's profile).
/** Any wire message: a reading becomes an observation, an alert message an edge alert; or the reason it is bad input. */
export const receiveWireMessage = (
  site: SiteConfig,
  registry: SiteRegistry,
  topic: string,
  body: ReceivedBody,
): E.Either<string, Received> => {
  const decoded = body.kind === 'json' ? decodePayload(topic, body.payload) : decodeMessageBytes(topic, body.bytes);
  if (E.isLeft(decoded)) return decoded;
  const message = decoded.right;
  const machine = registry.machine(message.factoryId, message.lineId, message.machineId);
  if (machine === undefined) return E.left(notConfigured(message));
  if (message.type === 'alert') return E.right({ machine, edgeAlert: edgeAlertOf(message) });
  const observation = toObservation(site, machine, message);
  return E.isLeft(observation) ? observation : E.right({ machine, observation: observation.right });
};
