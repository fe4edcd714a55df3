// The SQLite twins of the alert, dead-letter and timer ports, run through the same contract suites
// as their AWS adapters.
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertPublisherContract, sampleAlert } from '../../handlers/ports/alertPublisher.contract.ts';
import { deadLetterQueueContract } from '../../handlers/ports/deadLetterQueue.contract.ts';
import { timerSchedulerContract } from '../../handlers/ports/timerScheduler.contract.ts';
import { openFactoryDb } from './schema.ts';
import { sqliteAlertLog } from './sqliteAlertLog.ts';
import { sqliteDeadLetters } from './sqliteDeadLetters.ts';
import { sqliteTimers } from './sqliteTimers.ts';

const dir = mkdtempSync(join(tmpdir(), 'factory-twins-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => openFactoryDb(join(dir, `twins-${++n}.db`));

alertPublisherContract(test, 'sqlite alert log', async () => {
  const db = fresh();
  const log = sqliteAlertLog(db);
  return { publisher: log, delivered: async () => log.all(), close: async () => void db.close() };
});
deadLetterQueueContract(test, 'sqlite dead letters', async () => {
  const db = fresh();
  const dlq = sqliteDeadLetters(db);
  return { queue: dlq, received: async () => dlq.all(), close: async () => void db.close() };
});
timerSchedulerContract(test, 'sqlite timers', async () => {
  const db = fresh();
  const timers = sqliteTimers(db);
  return { scheduler: timers, pending: async () => timers.pending(), close: async () => void db.close() };
});

test('sqlite timers: takeDue hands out each due timer once and leaves later ones', async (t) => {
  const db = fresh();
  const timers = sqliteTimers(db);
  await timers.schedule({ machineKey: 'a', kind: 'heartbeat', fireAt: 100, payload: {} });
  await timers.schedule({ machineKey: 'b', kind: 'heartbeat', fireAt: 200, payload: {} });
  t.deepEqual(
    timers.takeDue(150).map((x) => x.machineKey),
    ['a'],
  );
  t.deepEqual(timers.takeDue(150), []);
  t.deepEqual(
    timers.pending().map((x) => x.machineKey),
    ['b'],
  );
  db.close();
});

test('sqlite store: alerts, dead letters and timers survive a restart, and a republished alert is stored once', async (t) => {
  const file = join(dir, 'restart.db');
  const first = openFactoryDb(file);
  await sqliteAlertLog(first).publish([sampleAlert(1)]);
  await sqliteDeadLetters(first).send([{ source: 'process', reason: 'bad', receivedAt: 1 }]);
  await sqliteTimers(first).schedule({ machineKey: 'a', kind: 'heartbeat', fireAt: 5, payload: { x: 1 } });
  first.close();
  const second = openFactoryDb(file);
  await sqliteAlertLog(second).publish([sampleAlert(1)]);
  t.deepEqual(sqliteAlertLog(second).all(), [sampleAlert(1)]);
  t.deepEqual(sqliteDeadLetters(second).all(), [{ source: 'process', reason: 'bad', receivedAt: 1 }]);
  t.deepEqual(sqliteTimers(second).pending(), [{ machineKey: 'a', kind: 'heartbeat', fireAt: 5, payload: { x: 1 } }]);
  second.close();
});
