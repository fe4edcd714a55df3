// One suite, every event store: SQLite and DynamoDB-on-dynalite must behave the same to the decider.
import type { TestFn } from 'ava';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { appendWithRetry } from '../testing/appendWithRetry.ts';
import type { EventStore } from './eventStore.ts';

export type ContractEvent = { readonly type: string; readonly n: number; readonly tags?: readonly string[] };

export type EventStoreUnderTest = { readonly store: EventStore<ContractEvent>; readonly close: () => Promise<void> };

let streamCounter = 0;
const freshStream = (label: string): string => `f1/l1/${label}-${process.pid}-${++streamCounter}`;
const ev = (n: number, type = 'counted'): ContractEvent => ({ type, n });

export const eventStoreContract = (test: TestFn, name: string, makeStore: () => Promise<EventStoreUnderTest>): void => {
  const withStore = async (run: (store: EventStore<ContractEvent>) => Promise<void>): Promise<void> => {
    const { store, close } = await makeStore();
    try {
      await run(store);
    } finally {
      await close();
    }
  };

  test(`${name}: a stream never written reads empty at version 0`, (t) =>
    withStore(async (store) => {
      t.deepEqual(await store.readStream(freshStream('empty')), { events: [], currentVersion: 0 });
    }));

  test(`${name}: an append to a new stream numbers its events 1..n and reads back in order`, (t) =>
    withStore(async (store) => {
      const id = freshStream('new');
      const events = [ev(1), { type: 'tagged', n: 2.5, tags: ['a', 'ü'] }, ev(3)];
      t.deepEqual(await store.appendToStream(id, 0, events), E.right({ nextVersion: 3 }));
      t.deepEqual(await store.readStream(id), {
        events: events.map((event, i) => ({ version: i + 1, event })),
        currentVersion: 3,
      });
    }));

  test(`${name}: of two appends at the same expected version exactly one wins`, (t) =>
    withStore(async (store) => {
      const id = freshStream('race');
      await store.appendToStream(id, 0, [ev(1)]);
      const results = await Promise.all([
        store.appendToStream(id, 1, [ev(2, 'a')]),
        store.appendToStream(id, 1, [ev(2, 'b'), ev(3, 'b')]),
      ]);
      const wins = results.filter(E.isRight);
      const losses = results.filter(E.isLeft);
      t.is(wins.length, 1);
      t.is(losses.length, 1);
      const winner = wins[0]!.right.nextVersion;
      t.deepEqual(losses[0]!.left, { kind: 'ConcurrencyConflict', streamId: id, expected: 1, actual: winner });
      const read = await store.readStream(id);
      t.is(read.currentVersion, winner);
      t.is(new Set(read.events.slice(1).map((e) => e.event.type)).size, 1, 'the loser wrote none of its events');
    }));

  test(`${name}: an append at a stale or future version is a conflict naming the actual version`, (t) =>
    withStore(async (store) => {
      const id = freshStream('stale');
      await store.appendToStream(id, 0, [ev(1), ev(2)]);
      t.deepEqual(
        await store.appendToStream(id, 0, [ev(3)]),
        E.left({ kind: 'ConcurrencyConflict', streamId: id, expected: 0, actual: 2 }),
      );
      t.deepEqual(
        await store.appendToStream(id, 1, [ev(3)]),
        E.left({ kind: 'ConcurrencyConflict', streamId: id, expected: 1, actual: 2 }),
      );
      t.deepEqual(
        await store.appendToStream(id, 5, [ev(3)]),
        E.left({ kind: 'ConcurrencyConflict', streamId: id, expected: 5, actual: 2 }),
      );
      const missing = freshStream('missing');
      t.deepEqual(
        await store.appendToStream(missing, 3, [ev(1)]),
        E.left({ kind: 'ConcurrencyConflict', streamId: missing, expected: 3, actual: 0 }),
      );
      t.is((await store.readStream(id)).currentVersion, 2);
    }));

  test(`${name}: 'any' appends after whatever is there`, (t) =>
    withStore(async (store) => {
      const id = freshStream('any');
      t.deepEqual(await store.appendToStream(id, 'any', [ev(1)]), E.right({ nextVersion: 1 }));
      t.deepEqual(await store.appendToStream(id, 'any', [ev(2), ev(3)]), E.right({ nextVersion: 3 }));
      t.deepEqual(
        (await store.readStream(id)).events.map((e) => e.event.n),
        [1, 2, 3],
      );
    }));

  test(`${name}: reading from a version returns that version and later ones, with the stream's version`, (t) =>
    withStore(async (store) => {
      const id = freshStream('from');
      await store.appendToStream(
        id,
        0,
        [1, 2, 3, 4, 5].map((n) => ev(n)),
      );
      const read = await store.readStream(id, { fromVersion: 4 });
      t.deepEqual(read, {
        events: [
          { version: 4, event: ev(4) },
          { version: 5, event: ev(5) },
        ],
        currentVersion: 5,
      });
      t.deepEqual(await store.readStream(id, { fromVersion: 6 }), { events: [], currentVersion: 5 });
    }));

  test(`${name}: streams are independent`, (t) =>
    withStore(async (store) => {
      const a = freshStream('a');
      const b = freshStream('b');
      await store.appendToStream(a, 0, [ev(1), ev(2)]);
      t.deepEqual(await store.appendToStream(b, 0, [ev(10)]), E.right({ nextVersion: 1 }));
      t.deepEqual(
        (await store.readStream(a)).events.map((e) => e.event.n),
        [1, 2],
      );
    }));

  test(`${name}: an empty append changes nothing and still checks the version`, (t) =>
    withStore(async (store) => {
      const id = freshStream('noop');
      await store.appendToStream(id, 0, [ev(1)]);
      t.deepEqual(await store.appendToStream(id, 1, []), E.right({ nextVersion: 1 }));
      t.true(E.isLeft(await store.appendToStream(id, 0, [])));
      t.is((await store.readStream(id)).events.length, 1);
    }));

  test(`${name}: a commit appends its events, replaces the checkpoint and reads back at the next position`, (t) =>
    withStore(async (store) => {
      const id = freshStream('commit');
      t.is(await store.readCheckpoint(id), undefined);
      t.deepEqual(
        await store.commit(id, 0, { events: [ev(1), ev(2)], checkpoint: { total: 2 }, effects: [{ kind: 'alert' }] }),
        E.right({ position: 1, nextVersion: 2 }),
      );
      t.deepEqual(
        await store.commit(id, 1, { events: [], checkpoint: { total: 2, seen: 5 }, effects: [] }),
        E.right({ position: 2, nextVersion: 2 }),
      );
      t.deepEqual(
        await store.commit(id, 2, { events: [ev(3)], checkpoint: { total: 3 }, effects: [] }),
        E.right({ position: 3, nextVersion: 3 }),
      );
      t.deepEqual(await store.readCheckpoint(id), { position: 3, version: 3, state: { total: 3 } });
      t.deepEqual(
        (await store.readStream(id)).events,
        [ev(1), ev(2), ev(3)].map((event, i) => ({ version: i + 1, event })),
      );
      t.deepEqual(
        (await store.readStream(id, { fromVersion: 2 })).events.map((e) => e.version),
        [2, 3],
      );
    }));
  test(`${name}: of two commits at the same position exactly one wins, and the loser wrote nothing`, (t) =>
    withStore(async (store) => {
      const id = freshStream('commit-race');
      await store.commit(id, 0, { events: [ev(1)], checkpoint: { by: 'first' }, effects: [] });
      const results = await Promise.all([
        store.commit(id, 1, { events: [ev(2, 'a')], checkpoint: { by: 'a' }, effects: [] }),
        store.commit(id, 1, { events: [], checkpoint: { by: 'b' }, effects: [] }),
      ]);
      t.is(results.filter(E.isRight).length, 1);
      const loss = results.find(E.isLeft)!;
      t.deepEqual(loss.left, { kind: 'ConcurrencyConflict', streamId: id, expected: 1, actual: 2 });
      const head = await store.readCheckpoint<{ by: string }>(id);
      const winner = results[0]!._tag === 'Right' ? 'a' : 'b';
      t.deepEqual(head, { position: 2, version: winner === 'a' ? 2 : 1, state: { by: winner } });
    }));
  test(`${name}: a commit at a stale or future position is a conflict naming the actual position`, (t) =>
    withStore(async (store) => {
      const id = freshStream('commit-stale');
      await store.commit(id, 0, { events: [], checkpoint: {}, effects: [] });
      t.deepEqual(
        await store.commit(id, 0, { events: [ev(1)], checkpoint: {}, effects: [] }),
        E.left({ kind: 'ConcurrencyConflict', streamId: id, expected: 0, actual: 1 }),
      );
      t.deepEqual(
        await store.commit(id, 4, { events: [ev(1)], checkpoint: {}, effects: [] }),
        E.left({ kind: 'ConcurrencyConflict', streamId: id, expected: 4, actual: 1 }),
      );
      t.deepEqual(await store.readCheckpoint(id), { position: 1, version: 0, state: {} });
    }));
  test(`${name}: appends and commits share one version count; an append keeps the checkpoint`, (t) =>
    withStore(async (store) => {
      const id = freshStream('mixed');
      await store.commit(id, 0, { events: [ev(1)], checkpoint: { n: 1 }, effects: [] });
      t.deepEqual(await store.appendToStream(id, 1, [ev(2)]), E.right({ nextVersion: 2 }));
      t.deepEqual(await store.readCheckpoint(id), { position: 2, version: 2, state: { n: 1 } });
      t.deepEqual(
        await store.appendToStream(id, 1, [ev(3)]),
        E.left({ kind: 'ConcurrencyConflict', streamId: id, expected: 1, actual: 2 }),
      );
    }));
  test(`${name}: two writers retrying 50 appends each lose no event (versions 1..100 contiguous)`, (t) =>
    withStore(async (store) => {
      const id = freshStream('writers');
      let conflicts = 0;
      const writer = async (name: string): Promise<void> => {
        for (let i = 0; i < 50; i++) {
          const result = await appendWithRetry(store, id, () => [{ type: name, n: i }], {
            maxAttempts: 50,
            baseMs: 1,
            capMs: 4,
          });
          if (E.isLeft(result))
            throw new Error(`writer ${name} gave up at append ${i}: ${JSON.stringify(result.left)}`);
          conflicts += result.right.attempts - 1;
        }
      };
      await Promise.all([writer('a'), writer('b')]);
      const read = await store.readStream(id);
      t.is(read.currentVersion, 100);
      t.deepEqual(
        read.events.map((e) => e.version),
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
      for (const name of ['a', 'b']) {
        t.deepEqual(
          read.events.filter((e) => e.event.type === name).map((e) => e.event.n),
          Array.from({ length: 50 }, (_, i) => i),
          `writer ${name}'s appends all landed, in its order`,
        );
      }
      t.log(`${conflicts} conflicts retried`);
    }));

  test(`${name}: appending batches in sequence reads back as their concatenation (property)`, (t) =>
    withStore(async (store) => {
      const event = fc.record({
        type: fc.constantFrom('counted', 'state', 'alert'),
        n: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(event, { minLength: 1, maxLength: 5 }), { maxLength: 5 }),
          async (batches) => {
            const id = freshStream('prop');
            let version = 0;
            for (const batch of batches) {
              const result = await store.appendToStream(id, version, batch);
              if (E.isLeft(result)) return false;
              version = result.right.nextVersion;
            }
            const read = await store.readStream(id);
            const flat = batches.flat();
            return (
              read.currentVersion === flat.length &&
              JSON.stringify(read.events) === JSON.stringify(flat.map((event, i) => ({ version: i + 1, event })))
            );
          },
        ),
        { numRuns: 10 },
      );
      t.pass();
    }));
};
