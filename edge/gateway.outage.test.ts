// Outages, end to end with the real command: `node bin/factory.js gateway --config …` as a child
// process reading a Modbus server, publishing to an aedes broker. The broker goes away mid-stream and
// comes back; the gateway is killed with SIGKILL (once while the broker is away) and restarted.
// Afterwards every reading taken is delivered exactly once after dedup, in order, and the edge alert
// the readings raise arrives once.
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually, startTestBroker } from './testing/testBroker.ts';
import { startModbusServer } from './testing/testModbusServer.ts';

const repo = resolve(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('broker outage and SIGKILL: every reading taken arrives exactly once after dedup, in per-machine order', async (t) => {
  const broker = await startTestBroker();
  // Each read of register 0 serves the next number: a reading's value says which reading it is.
  const served: number[] = [];
  const modbus = await startModbusServer({
    getHoldingRegister: (address: number) => {
      if (address !== 0) return 0;
      served.push(served.length + 1);
      return served.length;
    },
  });
  const port = modbus.port;

  const dir = mkdtempSync(join(tmpdir(), 'gw-outage-'));
  const configFile = join(dir, 'gw.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      version: 1,
      gatewayId: 'gw-out',
      factoryId: 'f1',
      broker: { url: broker.url() },
      buffer: { dir: 'buffer', whenFull: 'drop-oldest' },
      machines: [
        {
          lineId: 'l1',
          machineId: 'm1',
          source: { kind: 'modbus', host: '127.0.0.1', port, unitId: 1, pollMs: 50 },
          metrics: { n: { table: 'holding', address: 0, type: 'uint16', unit: 'count' } },
        },
      ],
      // Raised once, at the 6th reading, before the first outage, and never cleared: it must arrive once, whatever the kills.
      detectors: { m1: [{ kind: 'threshold', metric: 'n', above: 5, forS: 0 }] },
    }),
  );
  let child: ChildProcess | undefined;
  const kills: number[] = [];
  const startChild = () => {
    child = spawn(process.execPath, ['bin/factory.js', 'gateway', '--config', configFile], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.resume();
  };
  const kill = async () => {
    const c = child!;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
    kills.push(served.length);
  };
  const telemetry = () => broker.received.filter((m) => m.topic === 'dt/f1/l1/m1/telemetry');
  try {
    startChild();
    await eventually(() => telemetry().length >= 10, 20_000, 'first readings');
    await broker.stop(); // outage 1: the broker goes away mid-stream
    const outageFrom = served.length;
    await sleep(600);
    const outageTo = served.length;
    await broker.start();
    await eventually(() => telemetry().length >= served.length - 2, 10_000, 'catch up after the broker outage');
    await kill(); // a crash while connected
    startChild();
    // Distinct ids: repeats of what was in flight at the kill are not readings taken after the restart.
    const atRestart = served.length;
    await eventually(
      () => new Set(telemetry().map((m) => m.payload.id)).size >= atRestart + 5,
      20_000,
      'readings after the restart',
    );
    await broker.stop(); // outage 2: broker gone, and the gateway crashes while buffering
    await sleep(500);
    await kill();
    startChild();
    await sleep(500);
    await broker.start();
    await sleep(500);
    await modbus.close(); // no more readings
    await eventually(
      () => {
        const status = join(dir, 'buffer', 'status.json');
        return existsSync(status) && JSON.parse(readFileSync(status, 'utf8')).buffer.depth === 0;
      },
      15_000,
      'buffer drained',
    );
    child!.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));

    // Dedup by id: a repeat is byte-for-byte the same message.
    const byId = new Map<string, string>();
    const order: number[] = [];
    for (const m of telemetry()) {
      const id = m.payload.id as string;
      const text = JSON.stringify(m.payload);
      if (byId.has(id)) {
        t.is(byId.get(id), text, `repeat of ${id} differs`);
        continue;
      }
      byId.set(id, text);
      order.push((m.payload.metrics as { n: { value: number } }).n.value);
    }
    t.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      'in per-machine order after dedup',
    );
    t.is(new Set(order).size, order.length, 'one id per reading');
    // A reading served in the instant of a SIGKILL may not have reached the disk: it was never taken
    // (not acknowledged). At most one per kill, and only the last one before that kill.
    const missing = served.filter((n) => !order.includes(n));
    t.true(
      missing.length <= kills.length,
      `missing ${JSON.stringify(missing)} after kills at ${JSON.stringify(kills)}`,
    );
    for (const n of missing) t.true(kills.includes(n), `reading ${n} was lost outside a kill`);
    t.true(outageTo - outageFrom >= 3, 'readings were taken while the broker was away');
    const alerts = broker.received.filter((m) => m.topic === 'dt/f1/l1/m1/alert');
    t.deepEqual(
      [...new Set(alerts.map((m) => m.payload.id))].length,
      1,
      'the edge alert arrives exactly once after dedup',
    );
    t.like(alerts[0]?.payload, { detector: 'threshold:n', transition: 'raised' });
    t.true(
      [...Array(outageTo - outageFrom).keys()].every((i) => order.includes(outageFrom + 1 + i)),
      'and all of them arrived',
    );
  } finally {
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
    await broker.stop();
  }
});
