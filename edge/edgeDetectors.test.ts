import { fileURLToPath } from 'node:url';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { edgeDetectors, loadEdgeModel } from './edgeDetectors.ts';
import { decodeGatewayConfig } from './gatewayConfig.ts';

// the bundled model, read as a file (edge code never imports localstack)
const BUNDLED_MODEL_PATH_FOR_TESTS = fileURLToPath(
  new URL('../localstack/sample/maintenance-model.json', import.meta.url),
);
const MAINTENANCE = { kind: 'maintenance', threshold: 0.5 } as const;
const document = (extra: Record<string, unknown>) => ({
  version: 1,
  gatewayId: 'gw-leipzig',
  factoryId: 'leipzig',
  broker: { url: 'mqtt://127.0.0.1:1883' },
  buffer: { dir: 'data/gw' },
  machines: [
    {
      lineId: 'machining',
      machineId: 'cnc-02',
      source: { kind: 'modbus', host: '10.0.0.7' },
      metrics: Object.fromEntries(
        ['air_temp', 'process_temp', 'spindle_speed', 'torque', 'tool_wear'].map((name, i) => [
          name,
          {
            table: 'input',
            address: i * 2,
            type: 'float32',
            unit: name.endsWith('temp') ? 'degC' : name === 'spindle_speed' ? 'rpm' : name === 'torque' ? 'Nm' : 'min',
          },
        ]),
      ),
    },
  ],
  detectors: { 'cnc-02': [MAINTENANCE] },
  ...extra,
});

test('a gateway configuration with a maintenance detector and its model path decodes, keeping the path', (t) => {
  const decoded = decodeGatewayConfig(document({ maintenanceModel: 'models/model.json' }));
  t.true(
    E.isRight(decoded) &&
      decoded.right.maintenanceModel === 'models/model.json' &&
      decoded.right.detectors['cnc-02']?.[0]?.kind === 'maintenance',
  );
});

test('a maintenance detector without maintenanceModel is refused at load, naming the field to add', (t) => {
  const decoded = decodeGatewayConfig(document({}));
  t.true(E.isLeft(decoded));
  if (E.isLeft(decoded))
    t.regex(
      decoded.left.join('\n'),
      /detectors\.cnc-02\.0: a maintenance detector needs a failure model; add "maintenanceModel"/,
    );
});

test('the gateway scores a worn tool from its published readings (degC here) and raises the maintenance alert', (t) => {
  const decoded = decodeGatewayConfig(document({ maintenanceModel: BUNDLED_MODEL_PATH_FOR_TESTS }));
  if (E.isLeft(decoded)) return t.fail(decoded.left.join('\n'));
  const model = loadEdgeModel(decoded.right);
  if (E.isLeft(model)) return t.fail(model.left);
  const built = edgeDetectors(decoded.right, model.right);
  if (E.isLeft(built)) return t.fail(built.left.join('\n'));
  const detector = built.right.get('cnc-02')!;
  const sample = (wear: number, torque: number) => ({
    kind: 'sample' as const,
    ts: wear * 1000,
    messageId: `m${wear}`,
    metrics: { air_temp: 26.4, process_temp: 36.6, spindle_speed: 1500, torque, tool_wear: wear },
  });
  const [healthy, quiet] = detector.step(detector.initialState, sample(20, 38));
  t.deepEqual(quiet, []);
  const [, events] = detector.step(healthy, sample(235, 54));
  t.is(events[0]?.type, 'DetectorRaised');
  t.is(events[0]?.detector, 'maintenance:failure');
});

test('an unreadable model file is an error naming maintenanceModel and the path', (t) => {
  const model = loadEdgeModel({ maintenanceModel: '/nonexistent/model.json' });
  t.true(E.isLeft(model) && model.left.startsWith('maintenanceModel /nonexistent/model.json: cannot read it'));
});
