// The bundled sample: the sample site's three plants through one early shift each (and the start of
// the late one), generated deterministically rather than stored, and cached as gzip JSON Lines.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import { decodeSiteConfig, type SiteConfig } from '../../domain/site/siteConfig.ts';
import { plantRecording, recordingText, type PlantOptions } from './plantRecording.ts';

export const SAMPLE_SITE_PATH = fileURLToPath(new URL('../sample/site.json', import.meta.url));

const MIN = 60_000;
const START = Date.UTC(2026, 10, 24, 3, 0); // 06:00 in Izmir, 05:00 in Leipzig, 03:00 in Birmingham
const at = (minutes: number): number => START + minutes * MIN;

export const SAMPLE_OPTIONS: PlantOptions = {
  startMs: START,
  endMs: Date.UTC(2026, 10, 24, 14, 0),
  seed: 20261124,
  telemetryEveryS: 5,
  countsEveryS: 30,
  malformed: true,
  faults: {
    'leipzig/machining/cnc-02': { temperatureDrift: true, toolWearOut: { failAt: at(560) } },
    'leipzig/body/press-02': { pressureSpike: { at: at(300) } },
    'leipzig/body/robot-01': { counterResetAt: at(400) },
    'birmingham/stamping/press-01': {
      stuckSensor: { metric: 'pressure', from: at(330), to: at(350) },
      imperialUnits: true,
    },
    'birmingham/machining/cnc-01': { imperialUnits: true, lateBatch: { from: at(250), to: at(256) } },
    'izmir/l2/robot-01': { silence: { from: at(200), to: at(212) } },
  },
};

export const loadSampleSite = (): SiteConfig => {
  const decoded = decodeSiteConfig(JSON.parse(readFileSync(SAMPLE_SITE_PATH, 'utf8')));
  if (E.isLeft(decoded)) throw new Error(`the bundled sample site is invalid: ${decoded.left.join('; ')}`);
  return decoded.right;
};

/** Writes the sample recording to `dir` once and returns its path. */
export const ensureSampleRecording = (dir: string): string => {
  const path = join(dir, 'sample-recording.jsonl.gz');
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, gzipSync(recordingText(plantRecording(loadSampleSite(), SAMPLE_OPTIONS))));
  }
  return path;
};
