// Test support: a small hand-made plant, as a new user would write one (America/Chicago, three
// shifts, one crossing midnight), and recordings built message by message. Not used by the product.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { decodeSiteConfig, type SiteConfig } from '../../domain/site/siteConfig.ts';

export const handMadeSiteJson = {
  version: 1,
  factories: [
    {
      id: 'f1',
      name: 'Plant Chicago',
      timezone: 'America/Chicago',
      lines: [
        {
          id: 'l1',
          machines: [
            { id: 'press-a', type: 'press', idealCycleTimeS: 1 },
            { id: 'press-b', type: 'press', idealCycleTimeS: 10 },
          ],
        },
      ],
    },
  ],
  shifts: [
    { name: 'first', start: '06:00', end: '14:00', breaks: [{ start: '10:00', end: '10:30' }] },
    { name: 'second', start: '14:00', end: '22:00' },
    { name: 'third', start: '22:00', end: '06:00' },
  ],
  microStopS: 120,
  heartbeatTimeoutS: 300,
  allowedLatenessS: 600,
  metrics: { pressure: { unit: 'kPa', min: 0, max: 60000 } },
  detectors: { press: [{ kind: 'heartbeat', timeoutS: 300 }] },
};

export const handMadeSite = (): SiteConfig => {
  const decoded = decodeSiteConfig(handMadeSiteJson);
  if (E.isLeft(decoded)) throw new Error(decoded.left.join('\n'));
  return decoded.right;
};

/** 2026-11-24 06:00 CST. */
export const PLANT_START = Date.UTC(2026, 10, 24, 12, 0);

type Line = { readonly t: string; readonly topic: string; readonly payload: Record<string, unknown> };
let ids = 0;
const line = (
  ms: number,
  machine: string,
  type: 'state' | 'counts' | 'telemetry',
  body: Record<string, unknown>,
): Line => {
  const ts = new Date(ms).toISOString();
  return {
    t: ts,
    topic: `dt/f1/l1/${machine}/${type}`,
    payload: { v: 1, id: `${machine}-${type}-${ids++}`, ts, ...body },
  };
};

/**
 * One hour of the plant from 06:00: press-a runs at 0.9 parts/s (its ideal 1 s), counting every 10 s,
 * and falls silent after `silentAfterMin` minutes (null: never); press-b runs at one part per 5 s with
 * an ideal cycle of 10 s (performance 2: a configuration warning), reporting to the end of the hour.
 */
export const handMadeRecording = (
  options: {
    readonly minutes?: number;
    readonly silentAfterMin?: number | null;
    readonly resumeAtMin?: number | null;
  } = {},
): string => {
  const minutes = options.minutes ?? 60;
  const silentAfter = options.silentAfterMin === undefined ? 30 : options.silentAfterMin;
  const resumeAt = options.resumeAtMin ?? null;
  const lines: Line[] = [
    line(PLANT_START, 'press-a', 'state', { state: 'RUNNING' }),
    line(PLANT_START, 'press-b', 'state', { state: 'RUNNING' }),
  ];
  for (let s = 0; s <= minutes * 60; s += 10) {
    const ms = PLANT_START + s * 1000;
    const silent = silentAfter !== null && s > silentAfter * 60 && (resumeAt === null || s < resumeAt * 60);
    if (!silent) lines.push(line(ms, 'press-a', 'counts', { total: Math.round(0.9 * s), reject: Math.floor(s / 600) }));
    lines.push(line(ms, 'press-b', 'counts', { total: Math.floor(s / 5), reject: 0 }));
    if (s % 60 === 0) lines.push(line(ms, 'press-b', 'telemetry', { metrics: { pressure: 25000 } }));
  }
  return `${lines
    .sort((a, b) => a.t.localeCompare(b.t))
    .map((l) => JSON.stringify(l))
    .join('\n')}\n`;
};

export const writeHandMadePlant = (
  dir: string,
  recording = handMadeRecording(),
): { readonly site: string; readonly recording: string } => {
  const site = join(dir, 'site.json');
  writeFileSync(site, JSON.stringify(handMadeSiteJson, null, 2));
  const path = join(dir, 'plant.jsonl');
  writeFileSync(path, recording);
  return { site, recording: path };
};
