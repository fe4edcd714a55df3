import { fc, testProp } from '@fast-check/ava';
import { dedupMemoryFromJson, dedupMemoryToJson, draftOf, emptyDedupMemory, recall } from './dedupMemory.ts';

const entry = fc.tuple(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
  fc.boolean(),
);

testProp(
  'the dedup memory reads back from its JSON form exactly: every id recalled as it was remembered',
  [fc.array(entry, { maxLength: 200 })],
  (t, entries) => {
    const draft = draftOf(emptyDedupMemory);
    for (const [id, ts, refused] of entries) draft.remember(id, ts, refused);
    const memory = draft.done(-Infinity);
    const back = dedupMemoryFromJson(JSON.parse(JSON.stringify(dedupMemoryToJson(memory))));
    t.deepEqual([...back.entries].sort(), [...memory.entries].sort());
    for (const [id, ts] of entries) t.is(recall(back, id, ts), recall(memory, id, ts));
  },
);

testProp(
  'an id is recalled only at its own time, and never once it is older than the horizon, pruned or not',
  [fc.array(entry, { minLength: 1, maxLength: 50 }), fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 })],
  (t, entries, forgetBefore) => {
    const draft = draftOf(emptyDedupMemory);
    for (const [id, ts, refused] of entries) draft.remember(id, ts, refused);
    const pruned = draftOf(draft.done(forgetBefore));
    for (const [id, ts] of entries) {
      t.is(draft.recall(id, ts, forgetBefore), pruned.recall(id, ts, forgetBefore));
      t.is(draft.recall(id, ts, forgetBefore) === undefined, ts < forgetBefore);
    }
  },
);
