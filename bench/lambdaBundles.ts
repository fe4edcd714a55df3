// Each Lambda bundle (npm run build:lambdas → dist/lambdas/<name>/index.mjs): its size, and its cold
// import time in a fresh node process (nothing cached, as at a Lambda cold start), median of three.
// A bundle that is not there is reported as not built, never guessed.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const LAMBDAS = ['process', 'timer', 'notify'] as const;
export const LAMBDA_DIR = join(import.meta.dirname, '..', 'dist', 'lambdas');

export type BundleFigure =
  | { readonly name: string; readonly built: true; readonly bytes: number; readonly coldImportMs: number; readonly importError?: string }
  | { readonly name: string; readonly built: false };

const coldImportMs = (path: string): number => {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(path).href)});console.log(performance.now()-t)`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return Number(out.trim().split('\n').pop());
};

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export const benchLambdaBundles = (dir = LAMBDA_DIR, runs = 3): BundleFigure[] =>
  LAMBDAS.map((name): BundleFigure => {
    const path = join(dir, name, 'index.mjs');
    if (!existsSync(path)) return { name, built: false };
    const bytes = statSync(path).size;
    try {
      return { name, built: true, bytes, coldImportMs: median(Array.from({ length: runs }, () => coldImportMs(path))) };
    } catch (error) {
      return { name, built: true, bytes, coldImportMs: NaN, importError: (error as Error).message.split('\n')[0]! };
    }
  });
