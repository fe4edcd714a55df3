// What every machine source is (OPC UA, Modbus TCP, MQTT, Sparkplug B): something that, once started,
// reports what it read until stopped. Protocol details stay inside each source's own file.

/** Which configured tag a value belongs to. */
export type Tag =
  | { readonly kind: 'metric'; readonly name: string }
  | { readonly kind: 'state' }
  | { readonly kind: 'total' }
  | { readonly kind: 'reject' }
  /** The current order and product (and its target), published as a `job` message when they change. */
  | { readonly kind: 'order' }
  | { readonly kind: 'product' }
  | { readonly kind: 'targetQuantity' };

/** One tag's value at its time (epoch ms: the source timestamp where the protocol has one, else the read time). */
export type TagReading =
  | { readonly tag: Tag; readonly ts: number; readonly value: unknown }
  /** The device answered, but not with a value: a Modbus exception, an OPC UA bad status code. */
  | { readonly tag: Tag; readonly ts: number; readonly bad: string };

export type SourceEvent =
  /** Tags read together (one poll, one subscription notification): their metrics make one telemetry message. */
  | { readonly kind: 'tags'; readonly readings: readonly TagReading[] }
  /** A device that speaks the wire contract already: `type` is the last level of its topic. */
  | { readonly kind: 'wire'; readonly ts: number; readonly type: string; readonly payload: unknown }
  /** The link or the device failed as a whole (connection lost, timeout): counted, never a reading. */
  | { readonly kind: 'fault'; readonly ts: number; readonly reason: string };

export type Source = {
  /** Resolves once the source runs; it reconnects by itself and reports failures as `fault` events. */
  readonly start: (onReading: (event: SourceEvent) => void) => Promise<void>;
  readonly stop: () => Promise<void>;
};

export const tagName = (tag: Tag): string =>
  tag.kind === 'metric'
    ? `metrics.${tag.name}`
    : tag.kind === 'state'
      ? 'state'
      : tag.kind === 'total' || tag.kind === 'reject'
        ? `counts.${tag.kind}`
        : `job.${tag.kind}`;

/** The tags a machine's configuration names (docs/gateway-configuration.md: metrics, state, counts, job), each with its device address. */
export type MachineTags<A> = {
  readonly metrics?: Readonly<Record<string, A>>;
  readonly state?: A;
  readonly counts?: { readonly total: A; readonly reject: A };
  readonly job?: { readonly order: A; readonly product: A; readonly targetQuantity?: A };
};

/** Every configured tag of a machine, in a fixed order: metrics, state, total, reject, order, product, target. */
export const machineTags = <A>(machine: MachineTags<A>): [Tag, A][] => [
  ...Object.entries(machine.metrics ?? {}).map(([name, tag]): [Tag, A] => [{ kind: 'metric', name }, tag]),
  ...(machine.state === undefined ? [] : [[{ kind: 'state' }, machine.state] as [Tag, A]]),
  ...(machine.counts === undefined
    ? []
    : ([
        [{ kind: 'total' }, machine.counts.total],
        [{ kind: 'reject' }, machine.counts.reject],
      ] as [Tag, A][])),
  ...(machine.job === undefined
    ? []
    : ([
        [{ kind: 'order' }, machine.job.order],
        [{ kind: 'product' }, machine.job.product],
        ...(machine.job.targetQuantity === undefined ? [] : [[{ kind: 'targetQuantity' }, machine.job.targetQuantity]]),
      ] as [Tag, A][])),
];
