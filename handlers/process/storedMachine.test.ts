import test from 'ava';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { initialOeeState } from '../../domain/oee/oeeProjection.ts';
import { memoryEventStore } from './memoryPorts.ts';
import { readStoredMachine, SNAPSHOT_FORMAT } from './storedMachine.ts';

const opened: MachineEvent[] = [{ type: 'WindowOpened', ts: 1_000 }];

test('a snapshot of another state format is ignored and the stream is read from its first event', async (t) => {
  const store = memoryEventStore<MachineEvent>();
  await store.appendToStream('m', 0, opened);
  await store.writeSnapshot('m', 1, { format: SNAPSHOT_FORMAT - 1, stream: { decider: { pending: 'an older shape' } }, oee: { windows: {} }, recentIds: [] });
  const stored = await readStoredMachine(store, 'm');
  t.is(stored.snapshot, undefined);
  t.deepEqual(stored.events, opened);
});

test('a snapshot of this format is used and only the events after it are read', async (t) => {
  const store = memoryEventStore<MachineEvent>();
  await store.appendToStream('m', 0, opened);
  await store.writeSnapshot('m', 1, { format: SNAPSHOT_FORMAT, stream: {}, oee: initialOeeState, recentIds: [] });
  const stored = await readStoredMachine(store, 'm');
  t.is(stored.snapshot?.version, 1);
  t.deepEqual(stored.events, []);
});
