// Test support: the hand-made plant (handMadePlant.ts) with a reason catalog, and a recording in which
// press-a stops without a reason from 06:40 to 07:10 CST (across an hour) and press-b stops for a jam,
// both long before the recording ends, so their hours are final (they left the checkpoint) by then.
// For the tests of reason coding after the fact. Not used by the product.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { handMadeSiteJson, PLANT_START } from './handMadePlant.ts';

export const stoppedSiteJson = {
  ...handMadeSiteJson,
  reasons: [
    { code: 'tool_failure', category: 'equipmentFailure', name: 'Tool failure' },
    { code: 'jam', category: 'idlingAndMinorStops', name: 'Jam' },
    { code: 'changeover', category: 'setupAndAdjustments' },
    { code: 'slow_feed', category: 'reducedSpeed' },
  ],
};

const MIN = 60_000;
/** press-a's unspecified stop: 06:40–07:10 CST. */
export const UNSPECIFIED_STOP = { from: PLANT_START + 40 * MIN, to: PLANT_START + 70 * MIN };

/** Three hours from 06:00 CST: press-a down 06:40–07:10 with no reason; press-b down 08:00–08:10 for a jam. */
export const stoppedRecording = (minutes = 180): string => {
  const lines: string[] = [];
  let id = 0;
  const add = (ms: number, machine: string, type: 'state' | 'counts', body: Record<string, unknown>): void => {
    const ts = new Date(ms).toISOString();
    lines.push(
      JSON.stringify({
        t: ts,
        topic: `dt/f1/l1/${machine}/${type}`,
        payload: { v: 1, id: `${machine}-${id++}`, ts, ...body },
      }),
    );
  };
  let made = 0;
  for (let s = 0; s <= minutes * 60; s += 10) {
    const ms = PLANT_START + s * 1000;
    if (s === 0) {
      add(ms, 'press-a', 'state', { state: 'RUNNING' });
      add(ms, 'press-b', 'state', { state: 'RUNNING' });
    }
    if (ms === UNSPECIFIED_STOP.from) add(ms, 'press-a', 'state', { state: 'DOWN' });
    if (ms === UNSPECIFIED_STOP.to) add(ms, 'press-a', 'state', { state: 'RUNNING' });
    if (s === 120 * 60) add(ms, 'press-b', 'state', { state: 'DOWN', reason: 'jam' });
    if (s === 130 * 60) add(ms, 'press-b', 'state', { state: 'RUNNING' });
    if (ms < UNSPECIFIED_STOP.from || ms >= UNSPECIFIED_STOP.to) made += 9;
    add(ms, 'press-a', 'counts', { total: made, reject: 0 });
    add(ms, 'press-b', 'counts', { total: Math.floor(s / 20), reject: 0 });
  }
  return `${lines.join('\n')}\n`;
};

export const writeStoppedPlant = (dir: string): { readonly site: string; readonly recording: string } => {
  const site = join(dir, 'site.json');
  writeFileSync(site, JSON.stringify(stoppedSiteJson, null, 2));
  const recording = join(dir, 'plant.jsonl');
  writeFileSync(recording, stoppedRecording());
  return { site, recording };
};
