// Test support: small recordings from the plant model, written to temporary files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plantRecording, recordingText, type RecordedMessage } from '../simulator/plantRecording.ts';
import { loadSampleSite, SAMPLE_OPTIONS } from '../simulator/sampleRecording.ts';

export const site = loadSampleSite();

/** The sample plant over its first `minutes`, with its faults and malformed messages. */
export const shortRecording = (minutes: number): RecordedMessage[] =>
  plantRecording(site, { ...SAMPLE_OPTIONS, endMs: SAMPLE_OPTIONS.startMs + minutes * 60_000 });

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'factory-test-'));

export const writeRecording = (dir: string, name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

export const recordingOf = (messages: readonly RecordedMessage[]): string => recordingText(messages);
