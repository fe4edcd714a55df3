// For tests: a real Modbus TCP server (modbus-serial ServerTCP) on a free loopback port.
// ServerTCP reads `port || 502`, so port 0 silently means 502: two test files at once then collide
// (and one waits forever for 'initialized'). A free port is found first and the failure is thrown.
import { createServer, type AddressInfo } from 'node:net';
import modbusSerial from 'modbus-serial';

export type TestModbusServer = { readonly port: number; readonly close: () => Promise<void> };

type Vector = ConstructorParameters<typeof modbusSerial.ServerTCP>[0];

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

export const startModbusServer = async (vector: Vector): Promise<TestModbusServer> => {
  const port = await freePort();
  const server = new modbusSerial.ServerTCP(vector, { host: '127.0.0.1', port, unitID: 1 });
  await new Promise<void>((resolve, reject) => {
    server.once('initialized', () => resolve());
    server.once('serverError', (error: Error) =>
      reject(new Error(`the test Modbus server could not listen on 127.0.0.1:${port}: ${error.message}`)),
    );
  });
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};
