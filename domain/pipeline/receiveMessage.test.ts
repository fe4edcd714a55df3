// The edge alert message through the first steps of the pipeline: decoded, enriched, and given back
// as an edge alert (receiveWireMessage), which the processing core folds into the machine's stream.
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { alertEventOf } from '../alerts/edgeAlert.ts';
import { decodeSiteConfig, type SiteConfig } from '../site/siteConfig.ts';
import { siteRegistry } from '../site/siteRegistry.ts';
import { receiveWireMessage } from './receiveMessage.ts';

const site = ((): SiteConfig => {
  const result = decodeSiteConfig({
    version: 1,
    factories: [
      {
        id: 'f1',
        timezone: 'Europe/Berlin',
        lines: [{ id: 'l1', machines: [{ id: 'press-01', type: 'press', idealCycleTimeS: 1 }] }],
      },
    ],
    metrics: { spindle_temp: { unit: 'degC' } },
  });
  if (E.isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right;
})();
const registry = siteRegistry(site);
const json = (payload: unknown) => ({ kind: 'json' as const, payload });
const ALERT_TOPIC = 'dt/f1/l1/press-01/alert';
const raised = {
  v: 1,
  id: 'gw-f1.press-01.alert.threshold:spindle_temp.raised.1764050430000',
  ts: '2026-11-25T06:00:30.000Z',
  detector: 'threshold:spindle_temp',
  transition: 'raised',
  cause: 'spindle_temp 92.4 degC above 90 for 30 s',
  trigger: { messageId: 'gw-f1.press-01.telemetry.1764050400000', ts: 1764050400000, value: 92.4 },
};

test('an alert message is received as the edge alert of its machine, with the detector event it reports', (t) => {
  const received = receiveWireMessage(site, registry, ALERT_TOPIC, json(raised));
  if (E.isLeft(received) || !('edgeAlert' in received.right)) return t.fail(JSON.stringify(received));
  t.is(received.right.machine.machine, 'press-01');
  t.deepEqual(received.right.edgeAlert, {
    messageId: raised.id,
    ts: Date.parse(raised.ts),
    detector: 'threshold:spindle_temp',
    transition: 'raised',
    cause: raised.cause,
    trigger: raised.trigger,
  });
  t.deepEqual(alertEventOf(received.right.edgeAlert), {
    type: 'DetectorRaised',
    detector: 'threshold:spindle_temp',
    ts: Date.parse(raised.ts),
    cause: raised.cause,
    trigger: raised.trigger,
    origin: 'edge',
  });
});

test('a cleared alert carries no trigger, and reports DetectorCleared', (t) => {
  const cleared = {
    v: 1,
    id: 'c1',
    ts: 1764050500000,
    detector: 'heartbeat',
    transition: 'cleared',
    cause: 'heard again',
  };
  const received = receiveWireMessage(site, registry, ALERT_TOPIC, json(cleared));
  if (E.isLeft(received) || !('edgeAlert' in received.right)) return t.fail(JSON.stringify(received));
  t.is(received.right.edgeAlert.trigger, null);
  t.deepEqual(alertEventOf(received.right.edgeAlert), {
    type: 'DetectorCleared',
    detector: 'heartbeat',
    ts: 1764050500000,
    cause: 'heard again',
    origin: 'edge',
  });
});

test('a bad alert is bad input with the field named; an alert of an unknown machine names the machine', (t) => {
  t.deepEqual(
    receiveWireMessage(site, registry, ALERT_TOPIC, json({ ...raised, transition: 'opened' })),
    E.left('transition: expected raised | cleared, got "opened"'),
  );
  t.deepEqual(
    receiveWireMessage(site, registry, ALERT_TOPIC, json({ ...raised, detector: '' })),
    E.left('detector: expected a non-empty string of at most 128 characters, got ""'),
  );
  const unknown = receiveWireMessage(site, registry, 'dt/f1/l1/lathe-09/alert', json(raised));
  t.true(E.isLeft(unknown) && unknown.left.startsWith('machine f1/l1/lathe-09 is not in the site configuration'));
});
