// Recordings of a given size for the benchmarks, from the plant model on the sample site. The plant
// model builds a window in memory, so a large recording is made day by day: each day is its own
// window (its own seed; counters start again from 0, as after a shift reset), and message ids carry
// the day so no day's messages look like redeliveries of another's. Cached by size, since making
// four million messages costs more than replaying them.
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { once } from 'node:events';
import { plantRecording, recordingText, type RecordedMessage } from '../localstack/simulator/plantRecording.ts';
import { loadSampleSite, SAMPLE_OPTIONS } from '../localstack/simulator/sampleRecording.ts';

const DAY_MS = 24 * 3600 * 1000;
/** Bumped when the generator changes, so a stale cache is never measured. */
const GENERATION = 1;

export const BENCH_DIR = join(import.meta.dirname, '..', '.factory', 'bench');

const withDay = (message: RecordedMessage, day: number): RecordedMessage => {
  const payload = message.payload as { id?: unknown } | undefined;
  if (day === 0 || payload === undefined || typeof payload.id !== 'string') return message;
  return { ...message, payload: { ...payload, id: `${payload.id}.d${day}` } };
};

const pathFor = (messages: number): string => join(BENCH_DIR, `plant-${messages}-g${GENERATION}.jsonl`);

/** Whether the recording of this size is already made (then benchRecording costs nothing). */
export const isRecordingCached = (messages: number): boolean => existsSync(pathFor(messages));

/** The path of a recording of exactly `messages` lines (made on first use), JSON Lines, not compressed. */
export const benchRecording = async (messages: number, log: (line: string) => void = () => {}): Promise<string> => {
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = pathFor(messages);
  if (existsSync(path)) return path;
  const site = loadSampleSite();
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  let written = 0;
  for (let day = 0; written < messages; day++) {
    const startMs = SAMPLE_OPTIONS.startMs + day * DAY_MS;
    const dayMessages = plantRecording(site, {
      ...SAMPLE_OPTIONS,
      startMs,
      endMs: startMs + DAY_MS,
      seed: SAMPLE_OPTIONS.seed + day,
      // Faults are placed at absolute times on the first day; malformed lines once, at its start.
      malformed: day === 0,
    })
      .slice(0, messages - written)
      .map((m) => withDay(m, day));
    if (!out.write(recordingText(dayMessages))) await once(out, 'drain');
    written += dayMessages.length;
    log(`recording of ${messages} messages: ${written} written (day ${day + 1})`);
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, path);
  return path;
};

/**
 * The first `messages` lines of a larger recording: the plant model is deterministic day by day, so
 * this is the recording `benchRecording(messages)` would make, without making it again.
 */
export const recordingPrefix = async (larger: string, messages: number): Promise<string> => {
  const path = pathFor(messages);
  if (existsSync(path)) return path;
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  let written = 0;
  const reader = createInterface({ input: createReadStream(larger), crlfDelay: Infinity });
  for await (const line of reader) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
    if (++written >= messages) break;
  }
  reader.close();
  out.end();
  await once(out, 'finish');
  if (written < messages)
    throw new Error(
      `${larger} has ${written} lines, fewer than the ${messages} asked for: make the larger recording first`,
    );
  renameSync(partial, path);
  return path;
};
