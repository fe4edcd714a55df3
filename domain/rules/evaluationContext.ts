// What the caller hands the evaluator with each message. domain/ has no clock and no randomness, so
// timestamp(), newuuid() and rand() read them from here and a replay gives the same output every time.

export type Mqtt5Properties = {
  readonly payloadFormatIndicator?: 'UNSPECIFIED_BYTES' | 'UTF8_DATA';
  readonly contentType?: string;
  readonly responseTopic?: string;
  /** Correlation data, base64-encoded as get_mqtt_property returns it. */
  readonly correlationData?: string;
  readonly userProperties?: readonly (readonly [string, string])[];
};

export type MessageContext = {
  readonly topic: string;
  /** The payload parsed as JSON, or its bytes (a Uint8Array) when it is not JSON. */
  readonly payload: unknown;
  /** The payload as published; encode(*, 'base64') encodes these bytes (else the payload's JSON text). */
  readonly payloadBytes?: Uint8Array;
  readonly clientId?: string;
  /** timestamp(): milliseconds since the epoch, as the rules engine received the message. */
  readonly timestampMs: number;
  readonly newUuid: () => string;
  /** rand(): uniformly distributed in [0, 1). Without it rand() fails the rule with a reason. */
  readonly random?: () => number;
  readonly principal?: string;
  readonly sourceIp?: string;
  readonly traceId?: string;
  readonly accountId?: string;
  readonly mqtt5?: Mqtt5Properties;
};

/**
 * Why a rule could not be evaluated here (a function that calls AWS, a missing random source). Thrown by
 * functions and caught by runRule alone: it abandons the whole evaluation, as a failing rule does in IoT
 * Core, so unwinding is the meaning. Nothing outside domain/rules ever sees it thrown.
 */
export class RuleFailure extends Error {}
