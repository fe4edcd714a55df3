// The `--db <store>` argument as every command checks it, so the same case gets the same message and
// exit status everywhere (docs/command-line.md): a path that does not exist is bad usage (2); a file
// that is not a factory store, or one no replay has filled, is work that failed (1).
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/lib/Either.js';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { inputFileProblem, type ArgumentProblem } from './argumentProblem.ts';
import { loadSiteConfig } from '../replay/replaySchema.ts';
import { openFactoryDb, type FactoryDb } from '../store/schema.ts';

const problem = (message: string, exitCode: 1 | 2): ArgumentProblem => ({ message, exitCode });

/** Why `--db <path>` cannot be a store a replay writes into (it may not exist yet; its folder must). */
export const writableStoreProblem = (path: string): ArgumentProblem | undefined => {
  const folder = dirname(path);
  if (!existsSync(folder))
    return problem(
      `--db ${path}: the folder ${folder} does not exist; create it (mkdir -p ${folder}) or choose another path`,
      2,
    );
  if (!existsSync(path)) return undefined;
  if (statSync(path).isDirectory())
    return problem(
      `--db ${path} is a directory; pass a file path for the store, e.g. ${path.replace(/\/$/, '')}/plant.db`,
      2,
    );
  return notAStore(path, 'pass a store written by `factory replay … --db`, or a new path');
};

/** Looked at read-only first: opening a store writes its schema, which must never happen to another program's database. */
const notAStore = (path: string, whatToDo: string): ArgumentProblem | undefined => {
  let tables: string[];
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      tables = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((row) => row.name);
    } finally {
      db.close();
    }
  } catch (error) {
    return problem(
      `--db ${path} is not a factory store (${error instanceof Error ? error.message : String(error)}); ${whatToDo}`,
      1,
    );
  }
  return tables.length === 0 || tables.includes('checkpoints')
    ? undefined
    : problem(
        `--db ${path} is an SQLite database but not a factory store (it has no checkpoints table); ${whatToDo}`,
        1,
      );
};

/** Opens a store a replay has filled, with the site it was filled with; or says why not. */
export const openFilledStore = (
  path: string,
): E.Either<ArgumentProblem, { readonly db: FactoryDb; readonly site: SiteConfig }> => {
  const again = `run \`factory replay <recording> --db ${path}\` first`;
  const missing = inputFileProblem('--db', path, `the store file a replay wrote; ${again}`);
  if (missing !== undefined) return E.left(missing);
  const foreign = notAStore(path, again);
  if (foreign !== undefined) return E.left(foreign);
  let db: FactoryDb;
  try {
    db = openFactoryDb(path);
  } catch (error) {
    return E.left(
      problem(
        `--db ${path} is not a factory store (${error instanceof Error ? error.message : String(error)}); ${again}`,
        1,
      ),
    );
  }
  try {
    const site = loadSiteConfig(db);
    if (E.isLeft(site)) throw new Error(`it holds a site configuration that does not load (${site.left})`);
    if (site.right === undefined) throw new Error('it holds no replay');
    return E.right({ db, site: site.right });
  } catch (error) {
    db.close();
    return E.left(problem(`--db ${path}: ${error instanceof Error ? error.message : String(error)}; ${again}`, 1));
  }
};
