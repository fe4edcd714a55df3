// The Pulumi program: `pulumi up` per stack (Pulumi.dev.yaml, Pulumi.prod.yaml). Pulumi's nodejs
// runtime runs this TypeScript ESM file through tsx: Pulumi.yaml sets `runtime.options.typescript:
// false` (no ts-node) and `nodeargs: --import=tsx`, the same loader `npm test` uses.
//
// Only a default export: the language host (@pulumi/pulumi cmd/run) refuses an entry module with both
// a default export and named exports. Everything else lives in platform.ts.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pulumi from '@pulumi/pulumi';
import * as E from 'fp-ts/lib/Either.js';
import { decodeStackConfig, resolveConfigPaths } from './config.ts';
import { createFactoryPlatform } from './platform.ts';

/** The program: config is read and validated once, here, before any resource exists. */
export default async function main(): Promise<Readonly<Record<string, pulumi.Input<unknown>>>> {
  const config = decodeStackConfig(pulumi.runtime.allConfig());
  if (E.isLeft(config)) {
    throw new pulumi.RunError(
      `stack ${pulumi.getStack()}: the stack configuration is invalid:\n${config.left.join('\n')}`,
    );
  }
  // The engine names the project directory; an engine too old to do so leaves a placeholder, and
  // then the directory above infra/ (where Pulumi.yaml sits beside this program) is the project.
  const named = pulumi.getRootDirectory();
  const root = existsSync(join(named, 'Pulumi.yaml')) ? named : resolve(dirname(fileURLToPath(import.meta.url)), '..');
  return createFactoryPlatform(resolveConfigPaths(config.right, root)).outputs;
}
