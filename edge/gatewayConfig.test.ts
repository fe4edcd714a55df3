import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { decodeGatewayConfig } from './gatewayConfig.ts';

// docs/gateway-configuration.md's example, verbatim.
const example = {
  version: 1,
  gatewayId: 'gw-f1',
  factoryId: 'f1',
  broker: { url: 'mqtts://localhost:8883', ca: 'certs/ca.pem', cert: 'certs/gw-f1.pem', key: 'certs/gw-f1.key' },
  buffer: { dir: 'data/gw-f1', maxBytes: 104857600, whenFull: 'drop-oldest' },
  machines: [
    {
      lineId: 'l1',
      machineId: 'press-01',
      source: { kind: 'opcua', endpoint: 'opc.tcp://10.0.0.5:4840', securityMode: 'None', samplingIntervalMs: 1000 },
      metrics: { spindle_temp: { nodeId: 'ns=1;s=press01.temp', unit: 'degC' } },
      state: { nodeId: 'ns=1;s=press01.state', map: { 1: 'RUNNING', 2: 'IDLE', 3: 'DOWN' } },
      counts: { total: { nodeId: 'ns=1;s=press01.total' }, reject: { nodeId: 'ns=1;s=press01.reject' } },
    },
    {
      lineId: 'l1',
      machineId: 'lathe-02',
      source: { kind: 'modbus', host: '10.0.0.6', port: 502, unitId: 1, pollMs: 1000 },
      metrics: {
        spindle_temp: {
          table: 'holding',
          address: 0,
          type: 'float32',
          wordOrder: 'BE',
          scale: 1,
          offset: 0,
          unit: 'degF',
        },
      },
      state: { table: 'holding', address: 10, type: 'uint16', map: { 0: 'OFF', 1: 'RUNNING', 2: 'DOWN' } },
      counts: {
        total: { table: 'holding', address: 20, type: 'uint32', wordOrder: 'BE' },
        reject: { table: 'holding', address: 22, type: 'uint32', wordOrder: 'BE' },
      },
    },
  ],
};

const errorsOf = (doc: unknown): readonly string[] => {
  const result = decodeGatewayConfig(doc);
  return E.isLeft(result) ? result.left : [];
};

test('the docs/gateway-configuration.md example decodes as written', (t) => {
  const result = decodeGatewayConfig(example);
  if (E.isLeft(result)) return t.fail(result.left.join('\n'));
  t.is(result.right.machines.length, 2);
  t.deepEqual(result.right.machines[1]?.state, example.machines[1]?.state);
});

test('defaults: whenFull drop-oldest, pollMs and samplingIntervalMs 1000, Modbus port 502 unit 1', (t) => {
  const doc = structuredClone(example) as any;
  delete doc.buffer.whenFull;
  delete doc.buffer.maxBytes;
  delete doc.machines[0].source.samplingIntervalMs;
  delete doc.machines[0].source.securityMode;
  doc.machines[1].source = { kind: 'modbus', host: '10.0.0.6' };
  const result = decodeGatewayConfig(doc);
  if (E.isLeft(result)) return t.fail(result.left.join('\n'));
  const c = result.right;
  t.is(c.buffer.whenFull, 'drop-oldest');
  t.is(c.buffer.maxBytes, 100 * 1024 * 1024);
  t.like(c.machines[0]?.source, { samplingIntervalMs: 1000, securityMode: 'None' });
  t.like(c.machines[1]?.source, { pollMs: 1000, port: 502, unitId: 1 });
});

test('an error names the path of the bad field and what was expected', (t) => {
  const doc = structuredClone(example) as any;
  doc.machines[1].metrics.spindle_temp.type = 'float64';
  t.deepEqual(errorsOf(doc), [
    'machines.1.metrics.spindle_temp.type: expected one of "int16", "uint16", "int32", "uint32", "float32", got "float64"',
  ]);
  const doc2 = structuredClone(example) as any;
  doc2.machines[0].state.map['4'] = 'BROKEN';
  t.deepEqual(errorsOf(doc2), [
    'machines.0.state.map.4: expected one of RUNNING, IDLE, DOWN, SETUP, PLANNED_STOP, OFF, got "BROKEN"',
  ]);
  const doc3 = structuredClone(example) as any;
  doc3.buffer.whenFull = 'drop-newest';
  t.deepEqual(errorsOf(doc3), ['buffer.whenFull: expected one of "drop-oldest", "reject-new", got "drop-newest"']);
  const doc4 = structuredClone(example) as any;
  doc4.machines[0].source.kind = 'profinet';
  t.deepEqual(errorsOf(doc4), [
    'machines.0.source.kind: expected "opcua", "modbus", "mqtt" or "sparkplug", got "profinet"',
  ]);
});

test('cross-field checks: mqtts needs all of ca, cert and key; machine ids are unique', (t) => {
  const doc = structuredClone(example) as any;
  delete doc.broker.key;
  t.true(errorsOf(doc).some((e) => e.startsWith('broker: expected ca, cert and key')));
  const doc2 = structuredClone(example) as any;
  doc2.machines[1].machineId = 'press-01';
  t.deepEqual(errorsOf(doc2), ['machines.1.machineId: expected a unique machine id, got "press-01" twice']);
});

test('mqtt and sparkplug sources and the detectors extension decode', (t) => {
  const doc = {
    ...structuredClone(example),
    broker: { url: 'mqtt://127.0.0.1:1883' },
    machines: [
      { lineId: 'l1', machineId: 'm1', source: { kind: 'mqtt', url: 'mqtt://127.0.0.1:1884', topic: 'devices/m1/+' } },
      {
        lineId: 'l1',
        machineId: 'm2',
        source: { kind: 'sparkplug', url: 'mqtt://127.0.0.1:1884', groupId: 'g', edgeNodeId: 'n', deviceId: 'd' },
        metrics: { temp: { metric: 'Temperature', unit: 'degC', min: -40, max: 400 } },
      },
    ],
    detectors: { m2: [{ kind: 'threshold', metric: 'temp', above: 90 }] },
  };
  const result = decodeGatewayConfig(doc);
  if (E.isLeft(result)) return t.fail(result.left.join('\n'));
  t.is(result.right.detectors.m2?.length, 1);
});

test('a field the gateway does not know is refused, at every level, with the fields it has', (t) => {
  const top = { ...structuredClone(example), brokr: { url: 'mqtt://127.0.0.1:1883' } };
  t.deepEqual(errorsOf(top), [
    'brokr: unknown field; a gateway configuration has version, gatewayId, factoryId, buffer, machines, broker, detectors, maintenanceModel (check the spelling)',
  ]);
  const nested = structuredClone(example) as any;
  nested.buffer.maxbytes = 1024;
  nested.machines[0].source.samplingInterval = 500;
  nested.machines[1].metrics.spindle_temp.wordorder = 'LE';
  nested.machines[1].counts.total.scale = 'x';
  nested.machines[1].stat = {};
  t.deepEqual(errorsOf(nested), [
    'buffer.maxbytes: unknown field; buffer has dir, maxBytes, whenFull, synchronous (check the spelling)',
    'machines.0.source.samplingInterval: unknown field; an opcua source has kind, endpoint, securityMode, securityPolicy, samplingIntervalMs (check the spelling)',
    'machines.1.stat: unknown field; a machine has lineId, machineId, source, metrics, state, counts, job (check the spelling)',
    'machines.1.metrics.spindle_temp.wordorder: unknown field; a metric has table, address, type, wordOrder, scale, offset, unit, min, max, canonicalUnit (check the spelling)',
    'machines.1.counts.total.scale: expected a number, got "x"',
  ]);
  const detector = structuredClone(example) as any;
  detector.detectors = { 'press-01': [{ kind: 'heartbeat', timeoutS: 60, timeout: 60 }] };
  t.deepEqual(errorsOf(detector), [
    'detectors.press-01.0.timeout: unknown field; a heartbeat detector has kind, timeoutS (check the spelling)',
  ]);
});

test('a missing field is named with what the object needs', (t) => {
  const doc = structuredClone(example) as any;
  delete doc.machines[0].lineId;
  t.deepEqual(errorsOf(doc), ['machines.0.lineId: missing; a machine needs lineId, machineId, source']);
});
