import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { decodeSiteConfig } from '../../domain/site/siteConfig.ts';
import { dispatchOutbox, memoryEventStore, memoryOutputs, memorySink } from '../testing/memoryPorts.ts';
import { processContext } from '../machines/machineContext.ts';
// The first test starts from what the process function scheduled: it runs that function, as the cloud does.
import { processBatch } from '../process/processBatch.ts';
import { kinesisRecord, partitionKeyOf, ruleOutput } from '../testing/ruleRecords.ts';
import { decodeTimerEvent, handleTimer } from './handleTimer.ts';

const decoded = decodeSiteConfig({
  version: 1,
  factories: [
    {
      id: 'f1',
      name: 'P',
      timezone: 'UTC',
      lines: [{ id: 'l1', machines: [{ id: 'press-01', type: 'press', idealCycleTimeS: 10 }] }],
    },
  ],
  microStopS: 60,
  heartbeatTimeoutS: 120,
  allowedLatenessS: 60,
  metrics: {},
  detectors: { press: [{ kind: 'heartbeat', timeoutS: 120 }] },
});
if (E.isLeft(decoded)) throw new Error(decoded.left.join('; '));
const site = decoded.right;
const T0 = Date.UTC(2026, 0, 5, 8, 0);

test('timer: the heartbeat timer the process function scheduled makes the machine miss its heartbeat once, and raises the alert', async (t) => {
  const store = memoryEventStore<MachineEvent>();
  const outputs = memoryOutputs();
  const context = processContext(site);
  const messages = [0, 30, 60].map((s) => ({
    topic: 'dt/f1/l1/press-01/state',
    payload: { v: 1, id: `s${s}`, ts: T0 + s * 1000, state: 'RUNNING' },
    receivedAt: T0 + s * 1000,
  }));
  const records = messages.map((m, i) =>
    kinesisRecord(ruleOutput(m)!, partitionKeyOf(m.topic), String(i), m.receivedAt),
  );
  await processBatch({ site, store, telemetry: memorySink().sink, deadLetters: outputs.deadLetters }, context, records);
  await dispatchOutbox(store, site, outputs);
  const timer = outputs.timers.get('f1/l1/press-01|heartbeat')!;
  // What Scheduler hands the function is the scheduled Timer's JSON.
  const fired = decodeTimerEvent(JSON.parse(JSON.stringify(timer)));
  if (E.isLeft(fired)) return t.fail(fired.left);
  t.is(timer.fireAt, T0 + 60_000 + 120_000 + 60_000 + 1000);
  const first = await handleTimer({ site, store }, context, fired.right);
  if (E.isLeft(first)) return t.fail(first.left);
  t.deepEqual(
    first.right.decisions.filter((e) => e.type === 'HeartbeatMissed'),
    [{ type: 'HeartbeatMissed', ts: T0 + 60_000 + 120_000, lastHeardTs: T0 + 60_000 }],
  );
  await dispatchOutbox(store, site, outputs);
  t.deepEqual(
    outputs.alerts.map((a) => [a.detector, a.status]),
    [['heartbeat', 'RAISED']],
  );
  const again = await handleTimer({ site, store }, context, fired.right);
  t.deepEqual(E.isRight(again) && again.right.decisions, [], 'a timer delivered twice changes nothing');
  await dispatchOutbox(store, site, outputs);
  t.is(outputs.alerts.length, 1);
});

test('timer: an event that is not a timer, or a machine not in the site, is refused with the reason', async (t) => {
  t.true(E.isLeft(decodeTimerEvent({ hello: 1 })));
  const out = await handleTimer({ site, store: memoryEventStore<MachineEvent>() }, processContext(site), {
    machineKey: 'f9/l1/x',
    kind: 'heartbeat',
    fireAt: T0,
  });
  t.deepEqual(
    out,
    E.left('timer for f9/l1/x: the machine is not in the bundled site configuration; the timer is dropped'),
  );
});
