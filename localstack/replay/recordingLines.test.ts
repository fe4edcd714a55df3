import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';
import { recordingLines, type RecordingLineText } from './recordingLines.ts';

// What recordingLines read before it split chunks itself: node:readline with crlfDelay Infinity.
const byReadline = async (path: string): Promise<RecordingLineText[]> => {
  const lines: RecordingLineText[] = [];
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() !== '') lines.push({ line, text });
  }
  return lines;
};

const collect = async (path: string): Promise<RecordingLineText[]> => {
  const lines: RecordingLineText[] = [];
  for await (const line of recordingLines(path)) lines.push(line);
  return lines;
};

const withFile = async <A>(content: string | Buffer, use: (path: string) => Promise<A>): Promise<A> => {
  const dir = mkdtempSync(join(tmpdir(), 'recording-lines-'));
  try {
    const path = join(dir, 'recording.jsonl');
    writeFileSync(path, content);
    return await use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const CHUNK = 64 * 1024; // fs.createReadStream's default highWaterMark: where chunks split

const lineArb = fc.oneof(
  fc.constantFrom('', ' ', '\t', '{"t":1}', 'é€😀'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);
const endArb = fc.constantFrom('\n', '\r\n', '\r');
const textArb = fc
  .tuple(fc.array(fc.tuple(lineArb, endArb), { maxLength: 30 }), lineArb)
  .map(([lines, last]) => lines.map(([text, end]) => text + end).join('') + last);

testProp(
  'recording lines are the lines node:readline reads, with the same numbers, blank lines skipped',
  [textArb, fc.boolean()],
  async (t, text, gzip) => {
    const ours = await withFile(gzip ? gzipSync(Buffer.from(text, 'utf8')) : text, collect);
    t.deepEqual(ours, await withFile(text, byReadline));
  },
  { numRuns: 150 },
);

test('a \\r\\n split between two chunks is one line end, and a character split between them stays whole', async (t) => {
  const first = 'a'.repeat(CHUNK - 1) + '\r';
  const second = '\n{"t":1}\n' + 'b'.repeat(CHUNK - 10) + '€' + 'c\rd\n\n e \r\n';
  const lines = await withFile(first + second, collect);
  t.deepEqual(lines, await withFile(first + second, byReadline));
  t.deepEqual(
    lines.map((l) => l.line),
    [1, 2, 3, 4, 6],
  );
  t.is(lines[2]?.text, 'b'.repeat(CHUNK - 10) + '€c');
});
