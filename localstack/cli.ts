// The `factory` command line (docs/command-line.md). Each command lives in localstack/commands/<name>.ts
// and registers itself here; exit status: 0 done, 1 the work failed, 2 bad usage or bad input.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerReplay } from './commands/replay.ts';
import { registerReport } from './commands/report.ts';
import { registerRules } from './commands/rules.ts';
import { registerDashboard } from './commands/dashboard.ts';
import { registerGateway } from './commands/gateway.ts';
import { registerMaintenance } from './commands/maintenance.ts';
import { registerCerts } from './commands/certs.ts';
import { registerBroker } from './commands/broker.ts';
import { registerRecord } from './commands/record.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerDowntime } from './commands/downtime.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command('factory')
  .description(
    'The local-first smart-factory platform: replay, report, rules, broker, gateway, maintenance (reference: docs/command-line.md)',
  )
  .version(version, '-V, --version', 'print the version')
  .exitOverride()
  .configureOutput({ outputError: (message, write) => write(message) });

for (const register of [
  registerReplay,
  registerReport,
  registerRules,
  registerDashboard,
  registerGateway,
  registerMaintenance,
  registerCerts,
  registerBroker,
  registerRecord,
  registerSimulate,
  registerDowntime,
])
  register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`factory: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
