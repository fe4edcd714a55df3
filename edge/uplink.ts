// Where the store-and-forward buffer drains to: AWS IoT Core (or the local broker). Two adapters:
// brokerForwarder.ts, the gateway's own MQTT connection over mutual TLS (a gateway run without
// Greengrass), and greengrassForwarder.ts, through the Greengrass nucleus's IPC (a gateway run as a
// Greengrass component: the nucleus already holds the core's one connection, and a second client
// with the same thing name would knock it off). Either one removes a message from the buffer only
// once the other side has taken it, and resends from the oldest unacknowledged after a failure.

export type UplinkStats = {
  /** Which way the messages go: `mqtt` (own connection) or `greengrass` (the nucleus). */
  readonly via: 'mqtt' | 'greengrass';
  readonly connected: boolean;
  readonly published: number;
  readonly inFlight: number;
  readonly reconnects: number;
  /** Why the last attempt failed; absent once a message is taken again (or none is waiting). */
  readonly lastError?: string;
};

export type UplinkEvent = { readonly kind: 'connected' | 'disconnected' | 'error'; readonly detail?: string };

export type Uplink = {
  /** New messages are in the buffer: send what can be sent. */
  readonly wake: () => void;
  readonly stats: () => UplinkStats;
  readonly stop: () => Promise<void>;
};

/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export const backoffDelay = (attempt: number, minMs: number, maxMs: number, random: number): number =>
  Math.round(minMs + random * (Math.min(maxMs, minMs * 2 ** attempt) - minMs));
