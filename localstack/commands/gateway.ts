// `factory gateway --config gw.json` (docs/gateway-configuration.md, docs/command-line.md): runs the edge gateway until SIGINT/SIGTERM.
// Exit 2 when the configuration is unreadable as JSON/YAML or a field is bad (each bad field named);
// progress and events go to stderr as JSON lines.
import { readFileSync } from 'node:fs';
import { inputFileProblem } from './argumentProblem.ts';
import { resolve, dirname, isAbsolute } from 'node:path';
import type { Command } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { parse as parseYaml } from 'yaml';
import { decodeGatewayConfig, type GatewayConfig } from '../../edge/gatewayConfig.ts';

const fail = (message: string, code: number): void => {
  process.stderr.write(`factory gateway: ${message}\n`);
  process.exitCode = code;
};

/** Relative paths in the file (certificates, buffer dir) are relative to the file, not to the shell. */
const relativeTo = (file: string, config: GatewayConfig): GatewayConfig => {
  const at = (p: string | undefined) => (p === undefined || isAbsolute(p) ? p : resolve(dirname(file), p));
  return {
    ...config,
    ...(config.broker === undefined
      ? {}
      : {
          broker: {
            ...config.broker,
            ca: at(config.broker.ca),
            cert: at(config.broker.cert),
            key: at(config.broker.key),
          },
        }),
    buffer: { ...config.buffer, dir: at(config.buffer.dir) ?? config.buffer.dir },
    ...(config.maintenanceModel === undefined ? {} : { maintenanceModel: at(config.maintenanceModel) }),
  };
};

export const registerGateway = (program: Command): void => {
  program
    .command('gateway')
    .description(
      'run the edge gateway: read machines (OPC UA, Modbus TCP, MQTT, Sparkplug B), buffer on disk, publish over MQTT',
    )
    .requiredOption('--config <file>', 'gateway configuration, JSON or YAML (docs/gateway-configuration.md)')
    .action(async (opts: { config: string }) => {
      let text: string;
      const missing = inputFileProblem(
        '--config',
        opts.config,
        'a gateway configuration file, JSON or YAML: docs/gateway-configuration.md',
      );
      if (missing !== undefined) return fail(missing.message, missing.exitCode);
      try {
        text = readFileSync(opts.config, 'utf8');
      } catch (error) {
        return fail(`--config ${opts.config}: cannot read the file (${(error as Error).message})`, 1);
      }
      let document: unknown;
      try {
        document = /\.ya?ml$/i.test(opts.config) ? parseYaml(text) : JSON.parse(text);
      } catch (error) {
        return fail(
          `--config ${opts.config}: not valid ${/\.ya?ml$/i.test(opts.config) ? 'YAML' : 'JSON'} (${(error as Error).message})`,
          2,
        );
      }
      const decoded = decodeGatewayConfig(document);
      if (E.isLeft(decoded))
        return fail(`--config ${opts.config}: bad gateway configuration:\n  ${decoded.left.join('\n  ')}`, 2);
      const config = relativeTo(resolve(opts.config), decoded.right);
      // Loaded here, not at the top: the protocol libraries (node-opcua above all) take seconds to load and
      // print warnings, which no other `factory` command should pay for.
      const { startGateway } = await import('../../edge/gateway.ts');
      let gateway: ReturnType<typeof startGateway>;
      try {
        gateway = startGateway(config, {
          log: (entry) => process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), ...entry })}\n`),
        });
      } catch (error) {
        return fail(`cannot start: ${(error as Error).message}`, 1);
      }
      process.stderr.write(
        `factory gateway: ${config.gatewayId} running ${config.machines.length} machine(s) → ${gateway.status().broker.via === 'greengrass' ? 'the Greengrass nucleus' : config.broker?.url}\n`,
      );
      await new Promise<void>((done) => {
        const stop = () => void gateway.stop().finally(done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
};
