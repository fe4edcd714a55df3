// Reading a labelled history from disk, keeping apart the two ways it can fail: the file cannot be
// read (the work failed: exit 1) or it can but its content is wrong (bad input: exit 2).
import { readFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import type { LabeledObservation } from '../../domain/maintenance/maintenanceModel.ts';
import { ai4iHistory } from './ai4iHistory.ts';

export type HistoryFailure = { readonly kind: 'unreadable' | 'bad-content'; readonly message: string };

export const readHistoryFile = async (path: string): Promise<E.Either<HistoryFailure, LabeledObservation[]>> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return E.left({
      kind: 'unreadable',
      message: `--data ${path}: cannot read the file (${reason}); check the path and its permissions`,
    });
  }
  const rows = ai4iHistory(text, path);
  return E.isLeft(rows) ? E.left({ kind: 'bad-content', message: rows.left }) : E.right(rows.right);
};
