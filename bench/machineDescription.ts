// What the figures were measured on: they mean little without it.
import { cpus, totalmem, loadavg, platform, release } from 'node:os';

export type MachineDescription = {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  readonly loadAtStart: number;
};

export const machineDescription = (): MachineDescription => ({
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
  node: process.version,
  os: `${platform()} ${release()}`,
  loadAtStart: Math.round(loadavg()[0]! * 100) / 100,
});
