// Reads a recording (docs/wire-contract.md, JSON Lines) line by line, gzip-compressed or not: the first two
// bytes tell (0x1f 0x8b), whatever the file is called.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
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

// Line ends as node:readline reads them with crlfDelay Infinity: \r\n, \n, or a lone \r.
const LINE_END = /\r\n|\r|\n/;

/**
 * Every line with its 1-based number; blank lines are skipped but still numbered. The chunks are
 * split here rather than by node:readline, whose per-line events cost as much as parsing the line.
 */
export async function* recordingLines(path: string): AsyncGenerator<RecordingLineText> {
  const raw = createReadStream(path);
  const input = (await isGzip(path)) ? raw.pipe(createGunzip()) : raw;
  input.setEncoding('utf8');
  let line = 0;
  let rest = '';
  // A chunk that ended in \r: a \n starting the next one belongs to the same line end.
  let pendingCr = false;
  for await (const chunk of input as AsyncIterable<string>) {
    let text = rest + chunk;
    if (pendingCr && text.charCodeAt(0) === 10) text = text.slice(1);
    pendingCr = text.charCodeAt(text.length - 1) === 13;
    // Splitting on one character is several times faster than on the pattern; \r is rare.
    const pieces = text.includes('\r') ? text.split(LINE_END) : text.split('\n');
    rest = pieces.pop() ?? '';
    for (const piece of pieces) {
      line += 1;
      if (piece.trim() !== '') yield { line, text: piece };
    }
  }
  line += 1;
  if (rest.trim() !== '') yield { line, text: rest };
}
