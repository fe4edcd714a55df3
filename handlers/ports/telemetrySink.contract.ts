// One suite, every telemetry sink: Timestream, InfluxDB and SQLite must store what they accept, once.
import type { TestFn } from 'ava';
import fc from 'fast-check';
import type { TelemetryRecord, TelemetrySink } from './telemetrySink.ts';

export type TelemetrySinkUnderTest = {
  readonly sink: TelemetrySink;
  /** What the backing store holds now, read back through its own API. */
  readonly stored: () => Promise<readonly TelemetryRecord[]>;
  readonly close: () => Promise<void>;
};

const byMessageId = (records: readonly TelemetryRecord[]): TelemetryRecord[] =>
  [...records].sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));

const record = (i: number, machineId = 'press-01'): TelemetryRecord => ({
  factoryId: 'f1',
  lineId: 'l1',
  machineId,
  messageId: `m-${String(i).padStart(5, '0')}`,
  ts: 1_700_000_000_000 + i * 1000,
  measures: { spindle_temp: 60 + i / 8, vibration: i % 7 },
});

const canonical = (records: readonly TelemetryRecord[]) =>
  byMessageId(records).map((r) => [
    r.factoryId,
    r.lineId,
    r.machineId,
    r.messageId,
    r.ts,
    Object.entries(r.measures).sort(([a], [b]) => (a < b ? -1 : 1)),
  ]);

export const telemetrySinkContract = (
  test: TestFn,
  name: string,
  make: () => Promise<TelemetrySinkUnderTest>,
): void => {
  const withSink = async (run: (under: TelemetrySinkUnderTest) => Promise<void>): Promise<void> => {
    const under = await make();
    try {
      await run(under);
    } finally {
      await under.close();
    }
  };

  test(`${name}: written records are stored as multi-measure records`, (t) =>
    withSink(async ({ sink, stored }) => {
      const records = [record(1), record(2, 'lathe-02'), { ...record(3), measures: { spindle_temp: -12.5 } }];
      t.deepEqual(await sink.write(records), { accepted: 3, rejected: [] });
      t.deepEqual(byMessageId(await stored()), byMessageId(records));
    }));

  test(`${name}: 250 records from three machines are all stored`, (t) =>
    withSink(async ({ sink, stored }) => {
      const records = Array.from({ length: 250 }, (_, i) => record(i, `m-${i % 3}`));
      t.deepEqual(await sink.write(records), { accepted: 250, rejected: [] });
      t.deepEqual(byMessageId(await stored()), byMessageId(records));
    }));

  test(`${name}: the same record written twice is stored once`, (t) =>
    withSink(async ({ sink, stored }) => {
      await sink.write([record(1), record(2)]);
      const again = await sink.write([record(2), record(2), record(3)]);
      t.is(again.rejected.length, 0);
      t.deepEqual(byMessageId(await stored()), [record(1), record(2), record(3)]);
    }));

  test(`${name}: an empty write stores nothing`, (t) =>
    withSink(async ({ sink, stored }) => {
      t.deepEqual(await sink.write([]), { accepted: 0, rejected: [] });
      t.deepEqual(await stored(), []);
    }));

  test(`${name}: any batch of distinct readings reads back exactly (property)`, (t) =>
    withSink(async ({ sink, stored }) => {
      let run = 0;
      const measureName = fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/).filter((n) => n !== 'message_id');
      const reading = fc.record({
        machineId: fc.constantFrom('press-01', 'lathe-02', 'mill_3'),
        ts: fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }),
        measures: fc.dictionary(
          measureName,
          fc
            .double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 })
            .map((n) => (Object.is(n, -0) ? 0 : n)),
          { minKeys: 1, maxKeys: 6 },
        ),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(reading, { selector: (r) => `${r.machineId}@${r.ts}`, maxLength: 30 }),
          async (readings) => {
            run++;
            const records = readings.map((r, i): TelemetryRecord => ({
              factoryId: 'f1',
              lineId: `p${run}`,
              messageId: `p${run}-${i}`,
              ...r,
            }));
            const report = await sink.write(records);
            const mine = (await stored()).filter((s) => s.lineId === `p${run}`);
            return (
              report.accepted === records.length &&
              JSON.stringify(canonical(mine)) === JSON.stringify(canonical(records))
            );
          },
        ),
        { numRuns: 20 },
      );
      t.pass();
    }));
};
