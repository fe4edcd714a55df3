import { fc, testProp } from '@fast-check/ava';
import { join } from 'node:path';
import { runReplay } from './runReplay.ts';
import { recordingOf, shortRecording, site, tempDir, writeRecording } from '../testing/replayFixtures.ts';

const dir = tempDir();
// Six plant minutes of the sample: a few hundred lines of every message type.
const baseLines = recordingOf(shortRecording(6)).trimEnd().split('\n');

type Mutation =
  | { readonly kind: 'drop' | 'duplicate' | 'swap'; readonly at: number }
  | { readonly kind: 'corrupt'; readonly at: number; readonly offset: number; readonly char: string }
  | { readonly kind: 'retype'; readonly at: number; readonly value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop' as const, 'duplicate' as const, 'swap' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('corrupt' as const),
    at: fc.nat(),
    offset: fc.nat(),
    char: fc.string({ minLength: 1, maxLength: 1 }),
  }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), value: fc.jsonValue() }),
);

const apply = (lines: string[], m: Mutation): string[] => {
  const at = m.at % lines.length;
  const out = [...lines];
  switch (m.kind) {
    case 'drop':
      out.splice(at, 1);
      break;
    case 'duplicate':
      out.splice(at, 0, lines[at]!);
      break;
    case 'swap':
      if (at + 1 < out.length) [out[at], out[at + 1]] = [out[at + 1]!, out[at]!];
      break;
    case 'corrupt': {
      const line = lines[at]!;
      const offset = m.offset % line.length;
      out[at] = `${line.slice(0, offset)}${m.char}${line.slice(offset + 1)}`;
      break;
    }
    case 'retype': {
      // A field of the payload replaced with any JSON value: the codecs must say why, never throw.
      try {
        const parsed = JSON.parse(lines[at]!) as { payload?: Record<string, unknown> };
        if (parsed.payload !== undefined) {
          const keys = Object.keys(parsed.payload);
          parsed.payload[keys[at % Math.max(1, keys.length)] ?? 'v'] = m.value;
        }
        out[at] = JSON.stringify(parsed);
      } catch {
        /* a line an earlier mutation broke stays broken */
      }
      break;
    }
  }
  return out.length === 0 ? lines.slice(0, 1) : out;
};

testProp(
  'received = accepted + rejected + duplicates on any mutated recording, and every line is counted once (25 runs)',
  [fc.array(mutation, { minLength: 1, maxLength: 25 })],
  async (t, mutations) => {
    const lines = mutations.reduce(apply, baseLines).filter((line) => line.trim() !== '');
    const recording = writeRecording(
      dir,
      `mutated-${Math.random().toString(36).slice(2)}.jsonl`,
      `${lines.join('\n')}\n`,
    );
    const summary = await runReplay({
      recording,
      site,
      via: 'direct',
      speed: 'max',
      db: join(dir, `${Date.now()}-${Math.random()}.db`),
      progress: false,
    });
    const { received, accepted, rejected, duplicates } = summary.messages;
    t.is(received, lines.length);
    t.is(received, accepted + rejected + duplicates);
    t.is(summary.rejections.length, rejected);
    t.is(new Set(summary.rejections.map((r) => r.line)).size, rejected, 'each rejected line once');
    t.true(summary.rejections.every((r) => r.line >= 1 && r.line <= lines.length && r.reason.length > 0));
  },
  { numRuns: 25 },
);
