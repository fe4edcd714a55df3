// Each Lambda bundle (npm run build:lambdas → dist/lambdas/<name>/index.mjs): its size, and its cold
// import time in a fresh node process (nothing cached, as at a Lambda cold start), median of five,
// with the environment the deployed function has (it decides which SDK clients load at init).
// A bundle that is not there is reported as not built, never guessed.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { coldImport, DEPLOYED_ENVIRONMENT } from '../handlers/build.ts';

export const LAMBDAS = ['process', 'timer', 'notify'] as const;
export const LAMBDA_DIR = join(import.meta.dirname, '..', 'dist', 'lambdas');

export type BundleFigure =
  | {
      readonly name: string;
      readonly built: true;
      readonly bytes: number;
      readonly coldImportMs: number;
      readonly importError?: string;
    }
  | { readonly name: string; readonly built: false };

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export const benchLambdaBundles = (dir = LAMBDA_DIR, runs = 5): BundleFigure[] =>
  LAMBDAS.map((name): BundleFigure => {
    const path = join(dir, name, 'index.mjs');
    if (!existsSync(path)) return { name, built: false };
    const bytes = statSync(path).size;
    try {
      return {
        name,
        built: true,
        bytes,
        coldImportMs: median(Array.from({ length: runs }, () => coldImport(path, DEPLOYED_ENVIRONMENT[name]).ms)),
      };
    } catch (error) {
      return { name, built: true, bytes, coldImportMs: NaN, importError: (error as Error).message.split('\n')[0]! };
    }
  });
