import type { Command } from 'commander';

// Not built yet: see the open issues. Registered so that `factory --help` lists the whole command line.
export const registerBroker = (program: Command): void => {
  program.command('broker').description('(not built yet)').allowUnknownOption().action(() => {
    process.stderr.write('factory broker: not built yet\n');
    process.exitCode = 1;
  });
};
