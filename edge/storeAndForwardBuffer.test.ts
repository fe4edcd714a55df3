import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testProp, fc } from '@fast-check/ava';
import { openStoreAndForwardBuffer, type BufferedMessage, type BufferOptions } from './storeAndForwardBuffer.ts';

const freshDir = () => mkdtempSync(join(tmpdir(), 'sfb-'));
const msg = (n: number, type = 'telemetry', machine = 'f1/l1/m1'): BufferedMessage => ({
  id: `gw.${machine}.${type}.${n}`,
  machine,
  topic: `dt/${machine}/${type}`,
  type,
  payload: JSON.stringify({ v: 1, n }),
  createdAt: 1000 + n,
});
// Every message of msg() with a one-digit n costs the same: topic + payload + id + 32.
const SIZE = (type = 'telemetry') => {
  const m = msg(1, type);
  return m.topic.length + m.payload.length + m.id.length + 32;
};

const open = (dir: string, options: Partial<BufferOptions> = {}) =>
  openStoreAndForwardBuffer({ dir, maxBytes: 1_000_000, whenFull: 'drop-oldest', synchronous: 'NORMAL', ...options });

test('messages come out in the order they went in, and leave only when acknowledged', (t) => {
  const dir = freshDir();
  const buffer = open(dir);
  for (let n = 0; n < 5; n++) buffer.append(msg(n));
  const first = buffer.take(3);
  t.deepEqual(
    first.map((m) => m.id),
    [0, 1, 2].map((n) => msg(n).id),
  );
  t.deepEqual(
    buffer.take(10).map((m) => m.id),
    [3, 4].map((n) => msg(n).id),
  );
  buffer.acknowledge(first[0]!.seq);
  t.is(buffer.stats(2000).depth, 4);
  buffer.rewind(); // connection lost: the unacknowledged go out again, oldest first
  t.deepEqual(
    buffer.take(10).map((m) => m.id),
    [1, 2, 3, 4].map((n) => msg(n).id),
  );
  buffer.close();
  rmSync(dir, { recursive: true });
});

test('what was appended survives closing and reopening; an id already waiting is stored once', (t) => {
  const dir = freshDir();
  const a = open(dir);
  a.append(msg(1));
  a.append(msg(2));
  t.is(a.append(msg(1)).outcome, 'duplicate');
  a.close();
  const b = open(dir);
  t.deepEqual(
    b.take(10).map((m) => m.id),
    [msg(1).id, msg(2).id],
  );
  t.like(b.stats(1001), { depth: 2, oldestAgeMs: 0 });
  b.close();
  rmSync(dir, { recursive: true });
});

test('a mark moves with the append it comes with, survives reopening, and stays when the append fails', (t) => {
  const dir = freshDir();
  const a = open(dir);
  t.is(a.mark('alerts'), 0);
  a.append(msg(1, 'alert'), { name: 'alerts', value: 1 });
  a.append(msg(2));
  t.is(a.mark('alerts'), 1, 'an append without the mark leaves it');
  a.append(msg(1, 'alert'), { name: 'alerts', value: 2 });
  t.is(a.mark('alerts'), 2, 'a duplicate was handed over all the same');
  t.throws(() =>
    a.append({ ...msg(3, 'alert'), payload: undefined as unknown as string }, { name: 'alerts', value: 3 }),
  );
  t.is(a.mark('alerts'), 2, 'a failed append rolls its mark back with it');
  a.close();
  const b = open(dir);
  t.is(b.mark('alerts'), 2);
  t.deepEqual(
    b.take(10).map((m) => m.id),
    [msg(1, 'alert').id, msg(2).id],
  );
  b.close();
  rmSync(dir, { recursive: true });
});

test('drop-oldest drops telemetry before any state or counts message, oldest first, and counts each drop', (t) => {
  const dir = freshDir();
  const buffer = open(dir, { maxBytes: SIZE() * 3 + SIZE('counts') * 2 });
  buffer.append(msg(1, 'state'));
  buffer.append(msg(1));
  buffer.append(msg(1, 'counts'));
  buffer.append(msg(2));
  buffer.append(msg(3)); // full now
  const r1 = buffer.append(msg(4));
  t.deepEqual(
    r1.dropped.map((m) => m.id),
    [msg(1).id],
  );
  const r2 = buffer.append(msg(2, 'counts')); // a counts message makes room by dropping telemetry, not state
  t.deepEqual(
    r2.dropped.map((m) => m.id),
    [msg(2).id, msg(3).id].slice(0, r2.dropped.length),
  );
  t.true(r2.dropped.every((m) => m.type === 'telemetry'));
  const kept = buffer.take(100).map((m) => m.id);
  t.true(kept.includes(msg(1, 'state').id) && kept.includes(msg(1, 'counts').id) && kept.includes(msg(2, 'counts').id));
  t.deepEqual(buffer.stats(0).dropped, { telemetry: 1 + r2.dropped.length });
  buffer.close();
  rmSync(dir, { recursive: true });
});

test('new telemetry never displaces state or counts: when only they remain, the new telemetry is dropped', (t) => {
  const dir = freshDir();
  const buffer = open(dir, { maxBytes: SIZE('state') * 2 });
  buffer.append(msg(1, 'state'));
  buffer.append(msg(2, 'state'));
  t.is(buffer.append(msg(1)).outcome, 'rejected');
  t.is(buffer.stats(0).depth, 2);
  t.deepEqual(buffer.stats(0).dropped, { telemetry: 1 });
  buffer.close();
  rmSync(dir, { recursive: true });
});

test('reject-new keeps what is buffered and drops the newcomer, counted', (t) => {
  const dir = freshDir();
  const buffer = open(dir, { maxBytes: SIZE() * 2, whenFull: 'reject-new' });
  buffer.append(msg(1));
  buffer.append(msg(2));
  t.is(buffer.append(msg(3)).outcome, 'rejected');
  t.is(buffer.append(msg(1, 'state')).outcome, 'rejected');
  t.deepEqual(
    buffer.take(10).map((m) => m.id),
    [msg(1).id, msg(2).id],
  );
  t.deepEqual(buffer.stats(0).dropped, { telemetry: 1, state: 1 });
  buffer.close();
  rmSync(dir, { recursive: true });
});

test('messages handed to the broker are never dropped (they may already be delivered)', (t) => {
  const dir = freshDir();
  const buffer = open(dir, { maxBytes: SIZE() * 2 });
  buffer.append(msg(1));
  buffer.append(msg(2));
  buffer.take(1); // msg 1 in flight
  const r = buffer.append(msg(3));
  t.deepEqual(
    r.dropped.map((m) => m.id),
    [msg(2).id],
  );
  buffer.close();
  rmSync(dir, { recursive: true });
});

testProp(
  'bytes never exceed maxBytes, and stored = kept + dropped + duplicates',
  [
    fc.array(
      fc.record({
        n: fc.integer({ min: 0, max: 40 }),
        type: fc.constantFrom('telemetry', 'state', 'counts'),
        ack: fc.boolean(),
      }),
      { maxLength: 60 },
    ),
    fc.constantFrom('drop-oldest' as const, 'reject-new' as const),
  ],
  (t, ops, whenFull) => {
    const dir = freshDir();
    const maxBytes = SIZE('counts') * 6;
    const buffer = open(dir, { maxBytes, whenFull });
    let stored = 0;
    let duplicates = 0;
    let acked = 0;
    let rejected = 0;
    for (const op of ops) {
      const r = buffer.append(msg(op.n, op.type));
      if (r.outcome === 'stored') stored++;
      else if (r.outcome === 'duplicate') duplicates++;
      else rejected++;
      if (op.ack) {
        const [m] = buffer.take(1);
        if (m !== undefined) {
          buffer.acknowledge(m.seq);
          acked++;
        }
      }
      t.true(buffer.stats(0).bytes <= maxBytes);
    }
    const s = buffer.stats(0);
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
    t.is(stored + rejected, s.depth + acked + dropped);
    t.is(stored + duplicates + rejected, ops.length);
    buffer.close();
    rmSync(dir, { recursive: true });
  },
  { numRuns: 50 },
);
