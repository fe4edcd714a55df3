// One suite, every alert publisher: SNS and the local SQLite table deliver each alert they accept.
import type { TestFn } from 'ava';
import type { Alert, AlertPublisher } from './alertPublisher.ts';

export type AlertPublisherUnderTest = {
  readonly publisher: AlertPublisher;
  readonly delivered: () => Promise<readonly Alert[]>;
  readonly close: () => Promise<void>;
};

export const sampleAlert = (i: number, status: Alert['status'] = 'RAISED'): Alert => ({
  alertId: `a-${i}-${status}`,
  factoryId: 'f1',
  lineId: 'l1',
  machineId: `press-0${i}`,
  detector: 'threshold:spindle_temp',
  status,
  at: 1_700_000_000_000 + i,
  message: `spindle_temp above 90 degC on press-0${i}`,
});

export const alertPublisherContract = (
  test: TestFn,
  name: string,
  make: () => Promise<AlertPublisherUnderTest>,
): void => {
  test(`${name}: every published alert is delivered whole`, async (t) => {
    const { publisher, delivered, close } = await make();
    const alerts = [sampleAlert(1), sampleAlert(2), sampleAlert(1, 'CLEARED')];
    t.deepEqual(await publisher.publish(alerts), { accepted: 3, rejected: [] });
    t.deepEqual(
      [...(await delivered())].sort((a, b) => a.alertId.localeCompare(b.alertId)),
      [...alerts].sort((a, b) => a.alertId.localeCompare(b.alertId)),
    );
    await close();
  });
  test(`${name}: publishing nothing delivers nothing`, async (t) => {
    const { publisher, delivered, close } = await make();
    t.deepEqual(await publisher.publish([]), { accepted: 0, rejected: [] });
    t.deepEqual(await delivered(), []);
    await close();
  });
};
