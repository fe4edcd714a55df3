// An operator classifies a stop while a replay is still writing into the store (the dashboard's form
// during `factory replay --dashboard`): the replay's next commit goes on top of the decision, and the
// summary the replay prints counts the stop under its reason.
import test from 'ava';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { decodeSiteConfig } from '../../domain/site/siteConfig.ts';
import { classifyStop } from '../../handlers/classify/classifyStop.ts';
import { openFactoryDb } from '../store/schema.ts';
import { sqliteEventStore } from '../store/sqliteEventStore.ts';
import { openReplayEngine } from './replayEngine.ts';
import { tempDir } from '../testing/replayFixtures.ts';
import { stoppedRecording, stoppedSiteJson, UNSPECIFIED_STOP } from '../testing/stoppedPlant.ts';

test('a stop classified between two commits of a replay stays classified in the summary the replay prints', async (t) => {
  const decoded = decodeSiteConfig(stoppedSiteJson);
  if (E.isLeft(decoded)) return t.fail(decoded.left.join('\n'));
  const site = decoded.right;
  const db = openFactoryDb(join(tempDir(), 'plant.db'));
  try {
    const engine = openReplayEngine(db, site, { id: 'plant', path: 'plant.jsonl' });
    const lines = stoppedRecording()
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as { t: string; topic: string; payload: Record<string, unknown> });
    const feed = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        const { t: at, topic, payload } = lines[i]!;
        engine.receive(i + 1, Date.parse(at), topic, { kind: 'json', payload }, { payload });
      }
    };
    // Up to 07:30 CST: press-a's stop (06:40–07:10) is over and settled.
    const half = lines.findIndex((l) => Date.parse(l.t) >= UNSPECIFIED_STOP.to + 20 * 60_000);
    feed(0, half);
    await engine.commit();
    const classified = await classifyStop(sqliteEventStore<MachineEvent>(db), site, {
      machine: 'f1/l1/press-a',
      at: UNSPECIFIED_STOP.from + 60_000,
      reason: 'tool_failure',
      by: 'anna',
      classifiedAt: 0,
    });
    t.true(E.isRight(classified));
    feed(half, lines.length);
    await engine.commit();
    const pressA = engine.summary().machines.find((m) => m.machineId === 'press-a')!;
    t.deepEqual(pressA.downtimeByReason, { tool_failure: 1800 });
    t.is(pressA.total, 8100);
  } finally {
    db.close();
  }
});
