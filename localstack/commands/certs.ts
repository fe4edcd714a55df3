// `factory certs --out <dir> --thing <name> [--thing <name>…]` (docs/command-line.md): the local CA, made once
// and reused, and a certificate per thing signed by it (CN = thing name).
import type { Command } from 'commander';
import { isValidThingName } from '../../domain/policy/iotPolicy.ts';
import { caFiles, loadOrCreateCertificateAuthority } from '../certs/certificateAuthority.ts';
import { ensureCertificates, thingCertificateFiles } from '../certs/thingCertificate.ts';

const collect = (value: string, previous: readonly string[]): readonly string[] => [...previous, value];

export const registerCerts = (program: Command): void => {
  program
    .command('certs')
    .description(
      'make the local CA (<dir>/ca.pem, ca.key; made once, reused) and a certificate per thing (<dir>/<name>.pem, <name>.key; CN = thing name)',
    )
    .requiredOption('--out <dir>', 'directory of the CA and the certificates')
    .option(
      '--thing <name>',
      'thing name (repeatable); a machine is factoryId:lineId:machineId',
      collect,
      [] as readonly string[],
    )
    .action(async (options: { out: string; thing: readonly string[] }) => {
      const bad = options.thing.filter((name) => !isValidThingName(name));
      if (bad.length > 0) {
        process.stderr.write(
          bad
            .map(
              (name) =>
                `factory certs: --thing ${JSON.stringify(name)}: expected 1-128 characters A-Z a-z 0-9 : _ - (an AWS IoT thing name); a machine is factoryId:lineId:machineId\n`,
            )
            .join(''),
        );
        process.exitCode = 2;
        return;
      }
      try {
        const ca = await loadOrCreateCertificateAuthority(options.out);
        const issued = new Set(await ensureCertificates(ca, options.out, options.thing));
        const lines = [
          `ca ${caFiles(options.out).certificate}`,
          ...[...new Set(options.thing)].map((name) => {
            const files = thingCertificateFiles(options.out, name);
            return `${name} ${files.certificate} ${files.key} ${issued.has(name) ? 'issued' : 'kept'}`;
          }),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } catch (error) {
        process.stderr.write(`factory certs: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      }
    });
};
