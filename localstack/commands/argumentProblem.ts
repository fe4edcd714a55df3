// How a command refuses an argument it cannot use: one line naming the argument or path and what to
// do, and the exit status docs/command-line.md gives the case — 2 for bad usage or input (a path that
// does not exist included), 1 for work that failed. Every command says the same case the same way.
import { existsSync, statSync } from 'node:fs';

export type ArgumentProblem = { readonly message: string; readonly exitCode: 1 | 2 };

/** Why `path` cannot be the input file an option names (`what` says what it should be), or undefined. */
export const inputFileProblem = (option: string, path: string, what: string): ArgumentProblem | undefined => {
  const named = option === '' ? path : `${option} ${path}`;
  if (!existsSync(path)) return { message: `${named} does not exist; check the path (${what})`, exitCode: 2 };
  if (statSync(path).isDirectory()) return { message: `${named} is a directory; pass ${what}`, exitCode: 2 };
  return undefined;
};

/** Writes the problem as the command's one line and sets its exit status. */
export const refuse = (command: string, p: ArgumentProblem): void => {
  process.stderr.write(`${command}: ${p.message}\n`);
  process.exitCode = p.exitCode;
};
