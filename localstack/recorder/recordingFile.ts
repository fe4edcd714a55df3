// A recording file being written: JSON Lines, gzip-compressed when the name ends in .gz (docs/wire-contract.md
// allows it; replay tells by the magic bytes). The file is opened at once so that an unwritable path
// fails before any traffic is taken, and `close` resolves only when every byte (and the gzip trailer)
// is on disk, so a recording stopped by Ctrl-C is complete.
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

export type RecordingFile = {
  /** Appends text (whole lines, each ending in a newline); resolves at once unless the disk is behind. */
  readonly write: (text: string) => Promise<void>;
  readonly close: () => Promise<void>;
};

const CHUNK_CHARS = 64 * 1024;
const FLUSH_AFTER_MS = 200;

export const isGzipPath = (path: string): boolean => path.toLowerCase().endsWith('.gz');

/** Opens (creates or truncates) `path`; rejects with a message naming the file when it cannot be written. */
export const openRecordingFile = async (path: string, flag: string): Promise<RecordingFile> => {
  let handle;
  try {
    handle = await open(path, 'w');
  } catch (error) {
    throw new Error(
      `${flag} ${path}: cannot be written (${error instanceof Error ? error.message : String(error)}); check that its directory exists and is writable`,
    );
  }
  const file = handle.createWriteStream();
  const gzip = isGzipPath(path) ? createGzip() : undefined;
  const sink: Writable = gzip ?? file;
  const done = gzip === undefined ? finished(file) : pipeline(gzip, file);
  // Kept so that a write error surfaces at close rather than as an unhandled rejection.
  let failure: unknown;
  done.catch((error: unknown) => {
    failure = error;
  });
  // Lines are gathered and handed to the stream in chunks: one zlib call per line would make a
  // generated day of plant (100 000 lines) take seconds longer. A timer bounds how long a line waits.
  let pending = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = async (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    if (!sink.write(chunk)) await Promise.race([once(sink, 'drain'), done]);
  };
  let closing: Promise<void> | undefined;
  return {
    write: async (text) => {
      pending += text;
      if (pending.length >= CHUNK_CHARS) await flush();
      else timer ??= setTimeout(() => void flush(), FLUSH_AFTER_MS);
    },
    close: () => {
      closing ??= (async () => {
        await flush();
        sink.end();
        await done.catch(() => undefined);
        if (failure !== undefined)
          throw new Error(
            `${flag} ${path}: writing failed (${failure instanceof Error ? failure.message : String(failure)})`,
          );
      })();
      return closing;
    },
  };
};
