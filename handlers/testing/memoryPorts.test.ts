// The in-memory ports stand in for the real ones in fast runs (processBatch's tests, the throughput
// bench), so they run the same contract suites as every adapter: a fake that drifted from the port
// would make those runs prove nothing.
import test from 'ava';
import { alertPublisherContract } from '../ports/alertPublisher.contract.ts';
import { deadLetterQueueContract } from '../ports/deadLetterQueue.contract.ts';
import { eventStoreContract, type ContractEvent } from '../ports/eventStore.contract.ts';
import { telemetrySinkContract } from '../ports/telemetrySink.contract.ts';
import { timerSchedulerContract } from '../ports/timerScheduler.contract.ts';
import { memoryEventStore, memoryOutputs, memorySink } from './memoryPorts.ts';

const closed = async () => {};

eventStoreContract(test, 'memory event store', async () => ({
  store: memoryEventStore<ContractEvent>(),
  close: closed,
}));

telemetrySinkContract(test, 'memory telemetry sink', async () => {
  const { sink, stored } = memorySink();
  return { sink, stored: async () => stored(), close: closed };
});

alertPublisherContract(test, 'memory alert publisher', async () => {
  const { publisher, alerts } = memoryOutputs();
  return { publisher, delivered: async () => alerts, close: closed };
});

deadLetterQueueContract(test, 'memory dead letters', async () => {
  const { deadLetters, letters } = memoryOutputs();
  return { queue: deadLetters, received: async () => letters, close: closed };
});

timerSchedulerContract(test, 'memory timers', async () => {
  const { scheduler, timers } = memoryOutputs();
  return { scheduler, pending: async () => [...timers.values()], close: closed };
});
