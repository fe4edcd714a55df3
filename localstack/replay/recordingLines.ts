// Reads a recording (DESIGN §3, JSON Lines) line by line, gzip-compressed or not: the first two
// bytes tell (0x1f 0x8b), whatever the file is called.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export type RecordingLineText = { readonly line: number; readonly text: string };

const isGzip = async (path: string): Promise<boolean> => {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await file.close();
  }
};

/** Every line with its 1-based number; blank lines are skipped but still numbered. */
export async function* recordingLines(path: string): AsyncGenerator<RecordingLineText> {
  const raw = createReadStream(path);
  const input = (await isGzip(path)) ? raw.pipe(createGunzip()) : raw;
  const reader = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of reader) {
    line += 1;
    if (text.trim() !== '') yield { line, text };
  }
}
