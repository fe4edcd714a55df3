// `factory simulate --days N --machines M --out rec.jsonl.gz` writes the synthetic maintenance history
// (wearHistory.ts) and, beside it, the site configuration its replay needs (rec.site.json).
import { writeFile } from 'node:fs/promises';
import { openRecordingFile } from '../recorder/recordingFile.ts';
import { historySite, wearHistoryLines, type WearHistoryOptions } from './wearHistory.ts';

/** Where the site of a history recording goes: its name without .jsonl/.gz, then .site.json. */
export const historySitePath = (recordingPath: string): string =>
  `${recordingPath.replace(/(\.gz)?$/i, '').replace(/\.(jsonl|json|ndjson)$/i, '')}.site.json`;

/** Writes the recording and its site; resolves with the site's path and the number of lines. */
export const writeHistoryFiles = async (
  out: string,
  options: WearHistoryOptions,
): Promise<{ readonly sitePath: string; readonly lines: number }> => {
  const file = await openRecordingFile(out, '--out');
  let lines = 0;
  try {
    for (const line of wearHistoryLines(options)) {
      await file.write(line + '\n');
      lines++;
    }
  } finally {
    await file.close();
  }
  const sitePath = historySitePath(out);
  await writeFile(sitePath, JSON.stringify(historySite(options.machines), null, 2) + '\n');
  return { sitePath, lines };
};
