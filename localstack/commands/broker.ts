// `factory broker [--config f] [--certs <dir>] [--tls-port <n>] [--port <n>]` (docs/command-line.md): the
// local IoT Core. First stdout lines: its URLs; logs (refusals, denials) go to stderr.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { pino } from 'pino';
import type { MachineRef } from '../../domain/wire/topic.ts';
import { isId } from '../../domain/wire/primitives.ts';
import { loadOrCreateCertificateAuthority } from '../certs/certificateAuthority.ts';
import { ensureCertificates } from '../certs/thingCertificate.ts';
import { startLocalBroker } from '../broker/localBroker.ts';
import { buildThingRegistry, type GatewayRef } from '../broker/thingRegistry.ts';
import { machinesOfSiteConfig } from '../broker/siteMachines.ts';
import { inputFileProblem } from './argumentProblem.ts';

const collect = (value: string, previous: readonly string[]): readonly string[] => [...previous, value];

class UsageError extends Error {}

const port = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a port number 0-65535 (0 picks a free one)`);
  return n;
};

const gatewayOf = (value: string): GatewayRef => {
  const [factoryId, gatewayId, ...more] = value.split(':');
  if (!isId(factoryId) || !isId(gatewayId) || more.length > 0)
    throw new UsageError(`--gateway ${JSON.stringify(value)}: expected factoryId:gatewayId, e.g. f1:gw-f1`);
  return { factoryId, gatewayId };
};

const machinesOf = async (file: string | undefined): Promise<readonly MachineRef[]> => {
  if (file === undefined) return [];
  const missing = inputFileProblem('--config', file, 'a site configuration, JSON or YAML: docs/site-configuration.md');
  if (missing !== undefined) throw new UsageError(missing.message);
  const text = await readFile(file, 'utf8');
  const machines = machinesOfSiteConfig(text, file);
  if (E.isLeft(machines)) throw new UsageError(machines.left.join('\n'));
  return machines.right;
};

type BrokerOptions = { config?: string; certs: string; tlsPort: string; port?: string; gateway: readonly string[] };

export const registerBroker = (program: Command): void => {
  program
    .command('broker')
    .description(
      'the local IoT Core: MQTT over mutual TLS, client id = certificate thing name, the IoT policy enforced',
    )
    .option('--config <file>', 'site configuration (JSON or YAML): its machines are registered as things')
    .option('--certs <dir>', 'CA and certificates (made if missing)', 'certs')
    .option('--tls-port <n>', 'mutual-TLS port', '8883')
    .option(
      '--port <n>',
      'also a plain MQTT listener on 127.0.0.1 (local tests only: the client id alone names the thing)',
    )
    .option(
      '--gateway <factoryId:gatewayId>',
      'register a gateway thing (repeatable)',
      collect,
      [] as readonly string[],
    )
    .action(async (options: BrokerOptions) => {
      const log = pino({ base: undefined }, pino.destination(2));
      try {
        const tlsPort = port(options.tlsPort, '--tls-port') ?? 8883;
        const plainPort = port(options.port, '--port');
        const things = buildThingRegistry({
          machines: await machinesOf(options.config),
          gateways: options.gateway.map(gatewayOf),
        });
        if (E.isLeft(things)) throw new UsageError(things.left.join('\n'));
        const ca = await loadOrCreateCertificateAuthority(options.certs);
        const issued = await ensureCertificates(ca, options.certs, [...things.right.keys()], { broker: true });
        if (issued.length > 0)
          log.info(
            { certs: options.certs, issued: issued.length },
            `issued ${issued.length} thing certificate(s) in ${options.certs}`,
          );
        const broker = await startLocalBroker({
          certsDir: options.certs,
          tlsPort,
          plainPort,
          things: things.right,
          log: ({ level, msg, ...fields }) => log[level](fields, msg),
        });
        process.stdout.write(`${broker.urls.join('\n')}\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await broker.close();
      } catch (error) {
        process.stderr.write(`factory broker: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = error instanceof UsageError ? 2 : 1;
      }
    });
};
