// Where a replay keeps its data: the --db file, or a fresh temporary one that goes when the process does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFactoryDb, type FactoryDb } from '../store/schema.ts';

export type OpenedStore = { readonly db: FactoryDb; readonly path: string; readonly close: () => void };

export const openStore = (path: string | undefined): OpenedStore => {
  if (path !== undefined) {
    const db = openFactoryDb(path);
    return { db, path, close: () => db.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'factory-replay-'));
  const temporary = join(dir, 'replay.db');
  const db = openFactoryDb(temporary);
  return {
    db,
    path: temporary,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
