import type { Command } from 'commander';

// Not built yet: see the open issues. Registered so that `factory --help` lists the whole command line.
export const registerCerts = (program: Command): void => {
  program.command('certs').description('(not built yet)').allowUnknownOption().action(() => {
    process.stderr.write('factory certs: not built yet\n');
    process.exitCode = 1;
  });
};
