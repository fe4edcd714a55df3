// The gateway configuration, version 1 (docs/gateway-configuration.md): which machines, which protocol, which tags.
// Every field is checked at load; an error names the path of the bad field and what was expected.
// Extensions (all optional, so every §8 document still reads): per-machine `job` (the tags of the current
// order and product, published as a `job` message when they change), per-metric `min`/`max` (readings
// outside are rejected at the edge), per-metric `canonicalUnit` (convert at the edge), `buffer.synchronous`, `source.url` for mqtt/sparkplug sources,
// `detectors` (edge detectors, README.md) and `maintenanceModel` (the model.json file that `maintenance`
// detectors score with; required when any machine has one). `broker` may be left out of the
// configuration of a gateway run as a Greengrass component: it publishes through the nucleus.
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { closed, isRecord } from '../domain/closedStruct.ts';
import { describeValue as show, failWith, formatDecodeErrors } from '../domain/decodeError.ts';
import type { DetectorSpec } from '../domain/detectors/detectorSpec.ts';
import { AnyNumber, isWholeNumberIn, NonEmptyString, oneOf, refined } from '../domain/refined.ts';
import { Detector } from '../domain/site/configCodecs.ts';
import { MachineState } from '../domain/wire/messages.ts';
import { Id, VersionOne } from '../domain/wire/primitives.ts';

const NonEmpty = NonEmptyString;
const intIn = (name: string, min: number, max: number) =>
  refined(name, isWholeNumberIn(min, max), `a whole number from ${min} to ${max}`);
const Interval = intIn('milliseconds', 10, 86_400_000);
const Unit = NonEmpty;

export const REGISTER_TYPES = ['int16', 'uint16', 'int32', 'uint32', 'float32'] as const;
export type RegisterType = (typeof REGISTER_TYPES)[number];
export type WordOrder = 'BE' | 'LE';

/** A Modbus register (or register pair) and how its words become a number. */
const ModbusTag = t.intersection([
  t.type({
    table: oneOf(['holding', 'input'] as const),
    address: intIn('register address', 0, 65535),
    type: oneOf(REGISTER_TYPES),
  }),
  t.partial({ wordOrder: oneOf(['BE', 'LE'] as const), scale: AnyNumber, offset: AnyNumber }),
]);
const OpcuaTag = t.type({ nodeId: NonEmpty });
const SparkplugTag = t.type({ metric: NonEmpty });

const StateMap = new t.Type<Readonly<Record<string, MachineState>>, Record<string, string>, unknown>(
  'state map',
  (u): u is Record<string, MachineState> => typeof u === 'object' && u !== null,
  (u, c) => {
    if (typeof u !== 'object' || u === null || Array.isArray(u) || Object.keys(u).length === 0)
      return failWith(u, c, `expected an object of raw value to machine state ({"1": "RUNNING"}), got ${show(u)}`);
    const out: Record<string, MachineState> = {};
    for (const [raw, state] of Object.entries(u)) {
      const decoded = MachineState.validate(state, [...c, { key: raw, type: MachineState, actual: state }]);
      if (E.isLeft(decoded))
        return failWith(
          state,
          [...c, { key: raw, type: MachineState, actual: state }],
          `expected one of RUNNING, IDLE, DOWN, SETUP, PLANNED_STOP, OFF, got ${show(state)}`,
        );
      out[raw] = decoded.right;
    }
    return t.success(out);
  },
  (m) => ({ ...m }),
);

/** Raw product values (a PLC's product number) to the product ids of the site's catalog. */
const ProductMap = t.record(t.string, NonEmpty);

const tagsOf = <A>(tag: t.Type<A, unknown, unknown>) => {
  const metric = closed(
    t.intersection([tag, t.type({ unit: Unit }), t.partial({ min: AnyNumber, max: AnyNumber, canonicalUnit: Unit })]),
    'a metric',
  );
  const counter = closed(tag, 'a counter');
  return t.partial({
    metrics: t.record(t.string, metric),
    state: closed(t.intersection([tag, t.type({ map: StateMap })]), 'a state'),
    counts: closed(t.type({ total: counter, reject: counter }), 'counts'),
    job: closed(
      t.intersection([
        t.type({ order: counter, product: closed(t.intersection([tag, t.partial({ map: ProductMap })]), 'a product') }),
        t.partial({ targetQuantity: counter }),
      ]),
      'a job',
    ),
  });
};

const OpcuaSource = t.intersection([
  t.type({ kind: t.literal('opcua'), endpoint: NonEmpty }),
  t.partial({
    securityMode: oneOf(['None', 'Sign', 'SignAndEncrypt'] as const),
    securityPolicy: NonEmpty,
    samplingIntervalMs: Interval,
  }),
]);
const ModbusSource = t.intersection([
  t.type({ kind: t.literal('modbus'), host: NonEmpty }),
  t.partial({ port: intIn('port', 1, 65535), unitId: intIn('unit id', 0, 255), pollMs: Interval, timeoutMs: Interval }),
]);
const MqttSource = t.intersection([t.type({ kind: t.literal('mqtt'), url: NonEmpty, topic: NonEmpty }), t.partial({})]);
const SparkplugSource = t.intersection([
  t.type({ kind: t.literal('sparkplug'), url: NonEmpty, groupId: NonEmpty, edgeNodeId: NonEmpty }),
  t.partial({ deviceId: NonEmpty }),
]);

const SOURCES = {
  opcua: [closed(OpcuaSource, 'an opcua source'), OpcuaTag],
  modbus: [closed(ModbusSource, 'a modbus source'), ModbusTag],
  mqtt: [closed(MqttSource, 'a mqtt source'), t.never],
  sparkplug: [closed(SparkplugSource, 'a sparkplug source'), SparkplugTag],
} as const;
type SourceKind = keyof typeof SOURCES;

export type OpcuaSourceConfig = t.TypeOf<typeof OpcuaSource>;
export type ModbusSourceConfig = t.TypeOf<typeof ModbusSource>;
export type MqttSourceConfig = t.TypeOf<typeof MqttSource>;
export type SparkplugSourceConfig = t.TypeOf<typeof SparkplugSource>;
export type ModbusTag = t.TypeOf<typeof ModbusTag>;
export type OpcuaTag = t.TypeOf<typeof OpcuaTag>;
export type SparkplugTag = t.TypeOf<typeof SparkplugTag>;

type Tags<A> = {
  readonly metrics?: Readonly<
    Record<
      string,
      A & { readonly unit: string; readonly min?: number; readonly max?: number; readonly canonicalUnit?: string }
    >
  >;
  readonly state?: A & { readonly map: Readonly<Record<string, MachineState>> };
  readonly counts?: { readonly total: A; readonly reject: A };
  /** The current order and product (docs/gateway-configuration.md#jobs): a `job` message when they change. */
  readonly job?: {
    readonly order: A;
    readonly product: A & { readonly map?: Readonly<Record<string, string>> };
    readonly targetQuantity?: A;
  };
};
type Base = { readonly lineId: string; readonly machineId: string };
export type GatewayMachineConfig =
  | (Base & { readonly source: OpcuaSourceConfig } & Tags<OpcuaTag>)
  | (Base & { readonly source: ModbusSourceConfig } & Tags<ModbusTag>)
  | (Base & { readonly source: MqttSourceConfig } & Tags<never>)
  | (Base & { readonly source: SparkplugSourceConfig } & Tags<SparkplugTag>);

/** The machine entry: the source's kind chooses how its tags are addressed (node id, register, metric name). */
const Machine = new t.Type<GatewayMachineConfig, unknown, unknown>(
  'machine',
  (u): u is GatewayMachineConfig => typeof u === 'object' && u !== null,
  (u, c) => {
    if (!isRecord(u)) return failWith(u, c, `expected a machine object, got ${show(u)}`);
    const source = u.source as Record<string, unknown> | undefined;
    const kind = source?.kind;
    if (typeof kind !== 'string' || !(kind in SOURCES)) {
      return failWith(
        kind,
        [...c, { key: 'source', type: t.unknown, actual: source }, { key: 'kind', type: t.unknown, actual: kind }],
        `expected "opcua", "modbus", "mqtt" or "sparkplug", got ${show(kind)}`,
      );
    }
    const [sourceCodec, tagCodec] = SOURCES[kind as SourceKind];
    const codec = closed(
      t.intersection([
        t.type({ lineId: Id, machineId: Id, source: sourceCodec as t.Mixed }),
        tagsOf(tagCodec as t.Mixed),
      ]),
      'a machine',
    );
    return codec.validate(u, c) as t.Validation<GatewayMachineConfig>;
  },
  t.identity,
);

/** Every object of the document refuses fields it does not know, as the site configuration does. */
const GatewayConfigCodec = closed(
  t.intersection([
    t.type({
      version: VersionOne,
      gatewayId: Id,
      factoryId: Id,
      buffer: closed(
        t.intersection([
          t.type({ dir: NonEmpty }),
          t.partial({
            maxBytes: intIn('bytes', 1024, Number.MAX_SAFE_INTEGER),
            whenFull: oneOf(['drop-oldest', 'reject-new'] as const),
            synchronous: oneOf(['NORMAL', 'FULL'] as const),
          }),
        ]),
        'buffer',
      ),
      machines: t.array(Machine),
    }),
    t.partial({
      broker: closed(
        t.intersection([t.type({ url: NonEmpty }), t.partial({ ca: NonEmpty, cert: NonEmpty, key: NonEmpty })]),
        'broker',
      ),
      detectors: t.record(t.string, t.array(Detector)),
      maintenanceModel: NonEmpty,
    }),
  ]),
  'a gateway configuration',
);

export type GatewayConfig = {
  readonly version: 1;
  readonly gatewayId: string;
  readonly factoryId: string;
  /** Where a gateway run without Greengrass publishes; under Greengrass it is not used (the nucleus publishes). */
  readonly broker?: { readonly url: string; readonly ca?: string; readonly cert?: string; readonly key?: string };
  readonly buffer: {
    readonly dir: string;
    readonly maxBytes: number;
    readonly whenFull: 'drop-oldest' | 'reject-new';
    readonly synchronous: 'NORMAL' | 'FULL';
  };
  readonly machines: readonly GatewayMachineConfig[];
  /** Edge detectors per machine id (extension of §8). */
  readonly detectors: Readonly<Record<string, readonly DetectorSpec[]>>;
  /** Path of the failure model (model.json) for `maintenance` detectors (extension of §8). */
  readonly maintenanceModel?: string;
};

export const DEFAULT_INTERVAL_MS = 1000;
/** 100 MiB: about a day of one-second telemetry from 20 machines at ~60 bytes a reading. */
export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

/** Checks that go beyond shapes: unique machines, TLS files given together, a mqtt source without tags. */
const crossCheck = (config: t.TypeOf<typeof GatewayConfigCodec>): string[] => {
  const problems: string[] = [];
  const seen = new Set<string>();
  config.machines.forEach((m, i) => {
    if (seen.has(m.machineId))
      problems.push(`machines.${i}.machineId: expected a unique machine id, got ${show(m.machineId)} twice`);
    seen.add(m.machineId);
    if (
      m.source.kind !== 'mqtt' &&
      m.metrics === undefined &&
      m.state === undefined &&
      m.counts === undefined &&
      m.job === undefined
    ) {
      problems.push(
        `machines.${i}: expected at least one of metrics, state, counts, job for a ${m.source.kind} source`,
      );
    }
    if (m.job !== undefined && m.source.kind === 'sparkplug')
      problems.push(
        `machines.${i}.job: a sparkplug source cannot map a job yet; publish the job from the device as a wire-contract job message, or map it through an opcua or modbus source`,
      );
  });
  const { broker } = config;
  if (broker !== undefined) {
    const tls = [broker.ca, broker.cert, broker.key].filter((f) => f !== undefined).length;
    if (broker.url.startsWith('mqtts:') && tls !== 3)
      problems.push(
        'broker: expected ca, cert and key for an mqtts:// url (mutual TLS), or use mqtt:// for a local test broker',
      );
    if (!/^mqtts?:\/\//.test(broker.url))
      problems.push(`broker.url: expected mqtts://host:port (or mqtt:// for local tests), got ${show(broker.url)}`);
  }
  if (config.maintenanceModel === undefined) {
    for (const [machineId, specs] of Object.entries(config.detectors ?? {})) {
      specs.forEach((spec, i) => {
        if (spec.kind === 'maintenance')
          problems.push(
            `detectors.${machineId}.${i}: a maintenance detector needs a failure model; add "maintenanceModel": "<path of model.json>" (from \`factory maintenance train\`) to the gateway configuration`,
          );
      });
    }
  }
  return problems;
};

/** A parsed JSON/YAML document to a gateway configuration with defaults, or one line per bad field. */
export const decodeGatewayConfig = (document: unknown): E.Either<readonly string[], GatewayConfig> =>
  pipe(
    GatewayConfigCodec.decode(document),
    E.mapLeft((errors) => formatDecodeErrors(errors)),
    E.chain((c) => {
      const problems = crossCheck(c);
      return problems.length > 0 ? E.left(problems) : E.right(c);
    }),
    E.map((c): GatewayConfig => ({
      version: 1,
      gatewayId: c.gatewayId,
      factoryId: c.factoryId,
      ...(c.broker === undefined ? {} : { broker: c.broker }),
      buffer: {
        dir: c.buffer.dir,
        maxBytes: c.buffer.maxBytes ?? DEFAULT_MAX_BYTES,
        whenFull: c.buffer.whenFull ?? 'drop-oldest',
        synchronous: c.buffer.synchronous ?? 'FULL',
      },
      machines: c.machines.map((m): GatewayMachineConfig => {
        switch (m.source.kind) {
          case 'opcua':
            return {
              ...m,
              source: {
                ...m.source,
                securityMode: m.source.securityMode ?? 'None',
                samplingIntervalMs: m.source.samplingIntervalMs ?? DEFAULT_INTERVAL_MS,
              },
            } as GatewayMachineConfig;
          case 'modbus':
            return {
              ...m,
              source: {
                ...m.source,
                port: m.source.port ?? 502,
                unitId: m.source.unitId ?? 1,
                pollMs: m.source.pollMs ?? DEFAULT_INTERVAL_MS,
              },
            } as GatewayMachineConfig;
          default:
            return m;
        }
      }),
      detectors: c.detectors ?? {},
      ...(c.maintenanceModel === undefined ? {} : { maintenanceModel: c.maintenanceModel }),
    })),
  );
