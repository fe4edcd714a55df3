// The `<recording>` argument of `factory replay`, checked before anything is written: a path that
// does not exist, a directory, or a file that is not JSON Lines recording lines at all (a binary file
// would otherwise be "271 rejected", exit 0) is bad input (2); a file that fails while being read is
// work that failed (1). Each is one line naming the path and what to do.
import * as E from 'fp-ts/lib/Either.js';
import { decodeRecordingLine } from '../../domain/wire/recording.ts';
import { recordingLines } from '../replay/recordingLines.ts';
import { siteRegistry } from '../../domain/site/siteRegistry.ts';
import { loadSampleSite } from '../simulator/sampleRecording.ts';
import { inputFileProblem, type ArgumentProblem } from './argumentProblem.ts';

const FORMAT = 'a recording is JSON Lines, one {"t","topic","payload"|"payloadB64"} object per line, gzip allowed';
// Enough lines that a recording starting with a few damaged ones is still read (and they rejected).
const SNIFFED_LINES = 20;

/** A read error of a recording as one line: a damaged or cut-short gzip says so. */
export const readFailure = (path: string, error: unknown, afterLine?: number): ArgumentProblem => {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  const where = afterLine === undefined ? '' : ` after line ${afterLine} (the lines before it are in the store)`;
  return code.startsWith('Z_')
    ? {
        message: `${path}: the gzip data is damaged or cut short (${message})${where}; copy the file again, or gunzip what is left and replay that`,
        exitCode: 1,
      }
    : { message: `${path}: cannot be read (${message})${where}; check the file`, exitCode: 1 };
};

/** The first lines of a recording, or why it cannot be one. */
const firstLines = async (
  path: string,
): Promise<E.Either<ArgumentProblem, { readonly line: number; readonly text: string }[]>> => {
  const lines: { line: number; text: string }[] = [];
  try {
    for await (const line of recordingLines(path)) {
      lines.push(line);
      if (lines.length >= SNIFFED_LINES) break;
    }
  } catch (error) {
    return E.left(readFailure(path, error));
  }
  return E.right(lines);
};

export const recordingProblem = async (path: string): Promise<ArgumentProblem | undefined> => {
  const missing = inputFileProblem('', path, `a recording file: ${FORMAT}`);
  if (missing !== undefined) return missing;
  const lines = await firstLines(path);
  if (E.isLeft(lines)) return lines.left;
  if (lines.right.length === 0) return undefined;
  const decoded = lines.right.map((l) => ({ line: l.line, result: decodeRecordingLine(l.text) }));
  if (decoded.some((d) => E.isRight(d.result))) return undefined;
  const first = decoded[0]!;
  // The parser quotes the bytes it choked on: kept printable, so the message stays one line a terminal shows.
  const reason = E.isLeft(first.result) ? first.result.left.slice(0, 120).replace(/[^\x20-\x7e]/g, '?') : '';
  return {
    message: `${path} is not a recording: none of its first ${decoded.length} lines is a recording line (line ${first.line}: ${reason}); ${FORMAT}`,
    exitCode: 2,
  };
};

/**
 * Whether a recording is of the bundled sample plant (`npm start`'s recording, or a part of it):
 * every topic among its first lines names a machine of the sample site. Only such a recording may be
 * replayed without --config, against the sample site: any other would be refused message by message.
 */
export const isSampleRecording = async (path: string): Promise<boolean> => {
  const lines = await firstLines(path);
  if (E.isLeft(lines)) return false;
  const sample = siteRegistry(loadSampleSite());
  const topics = lines.right.flatMap((l) => {
    const decoded = decodeRecordingLine(l.text);
    return E.isRight(decoded) && decoded.right.topic.startsWith('dt/') ? [decoded.right.topic.split('/')] : [];
  });
  return (
    topics.length > 0 &&
    topics.every(([, factory = '', line = '', machine = '']) => sample.machine(factory, line, machine) !== undefined)
  );
};
